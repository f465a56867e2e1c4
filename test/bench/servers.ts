import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { startServer } from '../../src/server/server.js';
import { testConfig } from '../helpers/config.js';

/*
 * The system under test, in a process of its own so that the load generator does not share its event
 * loop: the real server over the seeded SQLite file, and a bare Fastify server as the yardstick. The
 * parent (api.ts) forks this file with the database path, reads one `ready` message, and sends `stop`.
 */

export interface ServersReady {
  type: 'ready';
  /** Base URL of the real server, as configured by default (history cache on). */
  apiUrl: string;
  /** The same server over the same file with the history cache off: what every read costs the store. */
  uncachedApiUrl: string;
  /** The bare server's hello-world route. */
  bareUrl: string;
  /**
   * The bare server again: it answers each GET /api/v1/interactions?… with the page the real server sent for that
   * URL (set by `SetCeilingPages`), doing nothing else. The history read can be no faster than this.
   */
  ceilingUrl: string;
}

export interface StopServers {
  type: 'stop';
}

/** History pages as the real server sent them (headers and gzipped body), for the ceiling route to repeat. */
export interface SetCeilingPages {
  type: 'ceiling';
  pages: Array<{
    /** Path and query, as requested. */
    url: string;
    headers: Record<string, string>;
    /** Base64. */
    body: string;
  }>;
}

export interface CeilingSet {
  type: 'ceiling-set';
}

/** Asks how much CPU time this process has used; answered with a `CpuUsed`. */
export interface AskCpu {
  type: 'cpu';
}

export interface CpuUsed {
  type: 'cpu';
  /** User and system time since the process started, in microseconds. */
  micros: number;
}

async function main(): Promise<void> {
  const databaseUrl = process.argv[2];
  if (!databaseUrl || !process.send) throw new Error('Run through api.ts: it forks this file with the database path.');

  const env = {
    AUTH_MODE: 'dev',
    DATABASE_URL: databaseUrl,
    // One user sends the whole load: the per-user and per-tenant limits would answer 429 within a second.
    RATE_LIMIT_USER_PER_MINUTE: '100000000',
    RATE_LIMIT_TENANT_PER_MINUTE: '100000000'
  };
  const api = await startServer(testConfig(env), { logger: false });
  const uncachedApi = await startServer(testConfig({ ...env, HISTORY_CACHE_MB: '0' }), { logger: false });
  const bare = Fastify();
  bare.get('/hello', async () => ({ hello: 'world' }));
  const ceilingPages = new Map<string, { headers: Record<string, string>; body: Buffer }>();
  bare.get('/api/v1/interactions', async (request, reply) => {
    const page = ceilingPages.get(request.url);
    return page ? reply.headers(page.headers).send(page.body) : reply.code(404).send();
  });
  await bare.listen({ port: 0, host: '127.0.0.1' });
  const { port } = bare.server.address() as AddressInfo;

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await Promise.all([api.close(), uncachedApi.close(), bare.close()]);
    if (process.connected) process.disconnect();
  };
  process.on('message', (message: StopServers | AskCpu | SetCeilingPages) => {
    if (message.type === 'stop') void stop();
    if (message.type === 'ceiling') {
      for (const page of message.pages) {
        ceilingPages.set(page.url, { headers: page.headers, body: Buffer.from(page.body, 'base64') });
      }
      const set: CeilingSet = { type: 'ceiling-set' };
      process.send?.(set);
    }
    if (message.type === 'cpu') {
      const { user, system } = process.cpuUsage();
      const used: CpuUsed = { type: 'cpu', micros: user + system };
      process.send?.(used);
    }
  });
  // If the parent goes away without saying so, do not linger.
  process.on('disconnect', () => void stop());

  const ready: ServersReady = {
    type: 'ready',
    apiUrl: api.url,
    uncachedApiUrl: uncachedApi.url,
    bareUrl: `http://127.0.0.1:${port}/hello`,
    ceilingUrl: `http://127.0.0.1:${port}`
  };
  // The parent may have been interrupted while this process started.
  if (process.connected) process.send(ready);
  else await stop();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
