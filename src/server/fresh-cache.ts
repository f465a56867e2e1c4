import { LRUCache } from 'lru-cache';
import type { InvalidationClock } from './store/invalidation.js';

/*
 * Values read from the store, kept while no write changed what they were made of. Each value names its tags
 * (cacheTag: a contact, a salesperson, the whole tenant) and is stamped with the invalidation clock's number
 * before it was read; it is served while none of its tags changed after that number. A value read while one
 * of its tags changed is not kept. While the clock cannot vouch (a transaction open on SQLite, the listener
 * connection down on PostgreSQL) nothing is served from the cache or kept. The caches made of it are named, with
 * their bounds, in caches.ts.
 */

export interface FreshCacheOptions<V> {
  /** Upper bound of what is held, in the unit of `sizeOf` (entries by default); 0 turns the cache off. */
  maxSize: number;
  sizeOf?: (value: V, key: string) => number;
  /** The store's invalidations. */
  clock: InvalidationClock;
}

interface Kept<V> {
  value: V;
  stamp: number;
  tags: readonly string[];
}

export class FreshCache<V extends object> {
  private readonly kept: LRUCache<string, Kept<V>> | null;
  /** Reads answered from the cache, and reads that were not (tests and benchmarks look at them). */
  hits = 0;
  misses = 0;

  constructor(private readonly options: FreshCacheOptions<V>) {
    const { maxSize, sizeOf } = options;
    this.kept =
      maxSize > 0
        ? new LRUCache<string, Kept<V>>(
            sizeOf ? { maxSize, sizeCalculation: (entry, key) => sizeOf(entry.value, key) } : { max: maxSize }
          )
        : null;
  }

  /**
   * The value for `key`: the kept one while none of its tags changed, else `produce()`'s, kept for next time
   * under the tags `tagsOf` names for it.
   */
  async get(key: string, produce: () => Promise<V>, tagsOf: (value: V) => readonly string[]): Promise<V> {
    const found = this.peek(key);
    if (found) return found;
    this.misses += 1;
    const kept = this.kept;
    const before = kept === null ? null : this.options.clock.now();
    if (kept === null || before === null) return produce();
    const value = await produce();
    const tags = tagsOf(value);
    // Changed meanwhile: the value may already be out of date, so it is not kept.
    if (this.options.clock.now() !== null && this.unchangedSince(tags, before)) {
      kept.set(key, { value, stamp: before, tags });
    }
    return value;
  }

  /** The kept value for `key` while none of its tags changed since it was read; never produces one. */
  peek(key: string): V | undefined {
    const entry = this.kept?.get(key);
    if (entry === undefined) return undefined;
    if (this.options.clock.now() === null) return undefined;
    if (!this.unchangedSince(entry.tags, entry.stamp)) {
      this.kept?.delete(key);
      return undefined;
    }
    this.hits += 1;
    return entry.value;
  }

  private unchangedSince(tags: readonly string[], stamp: number): boolean {
    const { clock } = this.options;
    for (const tag of tags) if (clock.changedAt(tag) > stamp) return false;
    return true;
  }

  get size(): number {
    return this.kept?.size ?? 0;
  }
}
