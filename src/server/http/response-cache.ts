import { gzipSync } from 'node:zlib';
import negotiate from '@fastify/accept-negotiator';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';

/*
 * Serialized answers of hot reads (the contact history every opened message asks for), kept while the
 * store reports no write since they were made. Any write empties it: simple, and never stale, because an
 * answer is kept only if the store's change token was the same before and after it was read. Bodies are
 * kept gzipped too: a history page is ~20 KB of JSON and ~2.5 KB gzipped, compressed once, sent many times.
 */

export interface ResponseCacheOptions {
  /** Upper bound of the bodies held, in bytes; 0 turns the cache off. */
  maxBytes: number;
  /** The store's change token (null: the store cannot tell, so nothing is kept). */
  changeToken: () => string | null;
}

/** A JSON body, and its gzipped form, made at most once. */
export class JsonBody {
  private gzippedForm: Buffer | null = null;

  constructor(readonly identity: Buffer) {}

  get gzipped(): Buffer {
    this.gzippedForm ??= gzipSync(this.identity);
    return this.gzippedForm;
  }
}

export class ResponseCache {
  private readonly bodies: LRUCache<string, JsonBody> | null;
  private generation: string | null = null;

  constructor(private readonly options: ResponseCacheOptions) {
    this.bodies =
      options.maxBytes > 0
        ? new LRUCache<string, JsonBody>({
            maxSize: options.maxBytes,
            sizeCalculation: (body, key) => body.identity.length + body.gzipped.length + key.length
          })
        : null;
  }

  /** The body for `key`: the kept one while nothing was written, else `produce()`'s, kept for next time. */
  async serve(key: string, produce: () => Promise<Buffer>): Promise<JsonBody> {
    const bodies = this.bodies;
    if (bodies === null) return new JsonBody(await produce());
    const before = this.options.changeToken();
    if (before === null) return new JsonBody(await produce());
    if (before !== this.generation) {
      bodies.clear();
      this.generation = before;
    } else {
      const kept = bodies.get(key);
      if (kept) return kept;
    }
    const body = new JsonBody(await produce());
    // Written to meanwhile: the answer may already be out of date, so it is not kept.
    if (this.options.changeToken() === before && this.generation === before) bodies.set(key, body);
    return body;
  }

  get size(): number {
    return this.bodies?.size ?? 0;
  }
}

/** Sends a JSON body gzipped when the client accepts it (browsers always do), as it is otherwise. */
export function sendJson(request: FastifyRequest, reply: FastifyReply, body: JsonBody): FastifyReply {
  void reply.type('application/json; charset=utf-8').header('vary', 'accept-encoding');
  const accepted = request.headers['accept-encoding'];
  if (accepted && negotiate(accepted, ['gzip', 'identity']) === 'gzip') {
    return reply.header('content-encoding', 'gzip').send(body.gzipped);
  }
  return reply.send(body.identity);
}
