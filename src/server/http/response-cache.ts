import { gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { LRUCache } from 'lru-cache';
import { FreshCache } from '../fresh-cache.js';
import type { InvalidationClock } from '../store/index.js';
import { chooseEncoding } from './content-encoding.js';

/*
 * Serialized answers of hot reads (the contact history every opened message asks for), kept while no write
 * changed what they show (see FreshCache). Bodies are kept gzipped too: a history
 * page is ~20 KB of JSON and ~2.5 KB gzipped, compressed once, sent many times. The server's instance and its
 * bound are named in caches.ts (`historyPageCache`).
 */

export interface ResponseCacheOptions {
  /** Upper bound of the bodies held, in bytes; 0 turns the cache off. */
  maxBytes: number;
  /** The store's invalidations. */
  clock: InvalidationClock;
}

/** A JSON body, and its gzipped form, made at most once. */
export class JsonBody {
  private gzippedForm: Buffer | null = null;

  /** `tags`: what the body shows (cacheTag), so what a write must change for it to be read again. */
  constructor(
    readonly identity: Buffer,
    readonly tags: readonly string[] = []
  ) {}

  get gzipped(): Buffer {
    this.gzippedForm ??= gzipSync(this.identity);
    return this.gzippedForm;
  }
}

/** History pages and the like, serialized, under a byte budget. */
export class ResponseCache {
  private readonly bodies: FreshCache<JsonBody>;

  constructor(options: ResponseCacheOptions) {
    this.bodies = new FreshCache<JsonBody>({
      maxSize: options.maxBytes,
      sizeOf: (body, key) => body.identity.length + body.gzipped.length + key.length,
      clock: options.clock
    });
  }

  /** The body for `key`: the kept one while none of its tags changed, else `produce()`'s, kept for next time. */
  async serve(key: string, produce: () => Promise<JsonBody>): Promise<JsonBody> {
    return this.bodies.get(key, produce, (body) => body.tags);
  }

  /** The kept body for `key` while none of its tags changed since it was made; never produces one. */
  peek(key: string): JsonBody | undefined {
    return this.bodies.peek(key);
  }

  get size(): number {
    return this.bodies.size;
  }

  /** Requests answered from the cache, and those that were not. */
  get counts(): { hits: number; misses: number } {
    return { hits: this.bodies.hits, misses: this.bodies.misses };
  }
}

/** What each Accept-Encoding header seen lately chose: browsers send a handful of distinct ones. */
const gzipChosen = new LRUCache<string, boolean>({ max: 100 });

function acceptsGzip(accepted: string | undefined): boolean {
  if (!accepted) return false;
  let chosen = gzipChosen.get(accepted);
  if (chosen === undefined) {
    chosen = chooseEncoding(accepted, ['gzip', 'identity']) === 'gzip';
    gzipChosen.set(accepted, chosen);
  }
  return chosen;
}

/** Sends a JSON body gzipped when the client accepts it (browsers always do), as it is otherwise. */
export function sendJson(request: FastifyRequest, reply: FastifyReply, body: JsonBody): FastifyReply {
  void reply.type('application/json; charset=utf-8').header('vary', 'accept-encoding');
  if (acceptsGzip(request.headers['accept-encoding'])) {
    return reply.header('content-encoding', 'gzip').send(body.gzipped);
  }
  return reply.send(body.identity);
}
