import { LRUCache } from 'lru-cache';

/*
 * Values read from the store, kept while the store reports no write since they were read. Any write empties
 * the cache: simple, and never stale (beyond the token's millisecond for another process's writes), because a
 * value is kept only if the store's change token was the same before and after it was read. On PostgreSQL the
 * token is null and nothing is kept.
 */

export interface FreshCacheOptions<V> {
  /** Upper bound of what is held, in the unit of `sizeOf` (entries by default); 0 turns the cache off. */
  maxSize: number;
  sizeOf?: (value: V, key: string) => number;
  /** The store's change token. */
  changeToken: () => string | null;
}

export class FreshCache<V extends object> {
  private readonly values: LRUCache<string, V> | null;
  private generation: string | null = null;

  constructor(private readonly options: FreshCacheOptions<V>) {
    const { maxSize, sizeOf } = options;
    this.values =
      maxSize > 0 ? new LRUCache<string, V>(sizeOf ? { maxSize, sizeCalculation: sizeOf } : { max: maxSize }) : null;
  }

  /** The value for `key`: the kept one while nothing was written, else `produce()`'s, kept for next time. */
  async get(key: string, produce: () => Promise<V>): Promise<V> {
    const values = this.values;
    const before = values === null ? null : this.options.changeToken();
    if (values === null || before === null) return produce();
    if (before !== this.generation) {
      values.clear();
      this.generation = before;
    } else {
      const kept = values.get(key);
      if (kept) return kept;
    }
    const value = await produce();
    // Written to meanwhile: the value may already be out of date, so it is not kept.
    if (this.options.changeToken() === before && this.generation === before) values.set(key, value);
    return value;
  }

  /** The kept value for `key` while nothing was written since it was read; never produces one. */
  peek(key: string): V | undefined {
    if (this.values === null) return undefined;
    const token = this.options.changeToken();
    return token !== null && token === this.generation ? this.values.get(key) : undefined;
  }

  get size(): number {
    return this.values?.size ?? 0;
  }
}
