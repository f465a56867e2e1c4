import { Writable } from 'node:stream';
import type { StartOptions } from '../../src/server/server.js';

/*
 * A server's log kept in memory, for tests of what it writes (and of what it must never write): pass `logger`
 * to the server, read `lines` (one JSON entry each) afterwards.
 */

export interface LogCapture {
  lines: string[];
  logger: NonNullable<StartOptions['logger']>;
  /** The lines as the JSON entries they are. */
  entries(): Array<Record<string, unknown>>;
}

export function captureLog(level: string): LogCapture {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    }
  });
  return {
    lines,
    logger: { level, stream },
    entries: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>)
  };
}
