import type SqliteDatabase from 'better-sqlite3';
import { LRUCache } from 'lru-cache';
import pg from 'pg';

/*
 * What this process knows of the writes that change cached values (migration 0009 names them by tag: a
 * contact, a salesperson, the whole tenant). Each change seen gets the next number of a local clock; a cached
 * value stamped with the clock's number when it was read stays good while none of its tags changed after it.
 */

/** `tenant` + NUL + tag: the key a cache entry depends on. */
export const cacheTag = (tenantId: string, tag: string): string => `${tenantId}\u0000${tag}`;
export const WHOLE_TENANT_TAG = '*';
export const ANY_ENTRY_TAG = '*i';

export interface InvalidationClock {
  /**
   * The clock's number once every change committed so far is known (another process's within
   * OTHER_WRITERS_LAG_MS on SQLite); null while changes cannot be known, and caches must then be bypassed.
   */
  now(): number | null;
  /** The number of the last change seen to `tag` (a cacheTag), or of the last full resynchronisation. */
  changedAt(tag: string): number;
  close(): Promise<void>;
}

/** Tags not remembered individually: beyond that, forgotten tags count as changed when the last was forgotten. */
const TAGS_REMEMBERED = 200_000;

class TagClock {
  private seq = 0;
  /** Every tag counts as changed at this number at least (a resynchronisation, or forgotten tags). */
  private floor = 0;
  private readonly changed = new LRUCache<string, number>({
    max: TAGS_REMEMBERED,
    dispose: (seq, _tag, reason) => {
      if (reason === 'evict' && seq > this.floor) this.floor = seq;
    }
  });

  get current(): number {
    return this.seq;
  }

  bump(tag: string): void {
    this.seq += 1;
    this.changed.set(tag, this.seq);
  }

  bumpAll(): void {
    this.seq += 1;
    this.floor = this.seq;
  }

  changedAt(tag: string): number {
    const seq = this.changed.get(tag);
    return seq === undefined || seq < this.floor ? this.floor : seq;
  }
}

/**
 * SQLite: `changeToken` says cheaply whether anything was committed (see connection.ts); only then are the
 * tags changed since the last look read from `cache_invalidations`, synchronously (better-sqlite3).
 */
export function sqliteInvalidationClock(
  database: SqliteDatabase.Database,
  changeToken: () => string | null
): InvalidationClock {
  const clock = new TagClock();
  type Changed = { tenant_id: string; tag: string; seq: number };
  let changesSince: SqliteDatabase.Statement<[number], Changed> | null = null;
  let lastSeq = -1;
  let lastToken: string | null = null;
  return {
    now() {
      const token = changeToken();
      if (token === null) return null;
      if (token === lastToken) return clock.current;
      // Inside this connection's transaction the rows could still be rolled back (and their numbers reused): they
      // are read after it ends. Until then what is known stands, as if the read had come before the commit.
      if (database.inTransaction) return clock.current;
      try {
        changesSince ??= database.prepare<[number], Changed>(
          'select tenant_id, tag, seq from cache_invalidations where seq > ? order by seq'
        );
        if (lastSeq < 0) {
          const row = database.prepare('select seq from cache_clock where id = 1').pluck().get() as number | undefined;
          lastSeq = row ?? 0;
          clock.bumpAll();
        } else {
          for (const row of changesSince.iterate(lastSeq)) {
            clock.bump(cacheTag(row.tenant_id, row.tag));
            lastSeq = row.seq;
          }
        }
      } catch {
        return null; // busy streaming a result, or the table is not there yet (before migration 0009)
      }
      lastToken = token;
      return clock.current;
    },
    changedAt: (tag) => clock.changedAt(tag),
    close: async () => undefined
  };
}

const CHANNEL = 'cache_invalidation';
const RECONNECT_MS = 1000;

/**
 * PostgreSQL: a dedicated connection LISTENs to the triggers' notifications, which arrive after their commit.
 * While it is not listening (not yet connected, or the connection was lost) `now()` is null, so caches are
 * bypassed; once it listens again every kept value counts as changed (what was missed is unknown).
 */
export function postgresInvalidationClock(config: pg.ClientConfig, schema: string): InvalidationClock {
  const clock = new TagClock();
  let listening = false;
  let closed = false;
  let client: pg.Client | null = null;
  let retry: NodeJS.Timeout | null = null;

  const lost = () => {
    listening = false;
    const dead = client;
    client = null;
    dead?.removeAllListeners();
    dead?.on('error', () => undefined);
    void dead?.end().catch(() => undefined);
    if (!closed && retry === null) {
      retry = setTimeout(() => {
        retry = null;
        void listen();
      }, RECONNECT_MS);
      retry.unref();
    }
  };

  const listen = async () => {
    if (closed) return;
    const next = new pg.Client(config);
    client = next;
    next.on('error', lost);
    next.on('end', lost);
    next.on('notification', (message) => {
      const [from, tenant, tag] = (message.payload ?? '').split(' ');
      if (from === schema && tenant !== undefined && tag !== undefined) clock.bump(cacheTag(tenant, tag));
    });
    try {
      await next.connect();
      await next.query(`listen ${CHANNEL}`);
      if (client !== next || closed) return;
      clock.bumpAll();
      listening = true;
    } catch {
      if (client === next) lost();
    }
  };

  const started = listen();
  return {
    now: () => (listening ? clock.current : null),
    changedAt: (tag) => clock.changedAt(tag),
    async close() {
      closed = true;
      listening = false;
      if (retry) clearTimeout(retry);
      await started;
      const last = client;
      client = null;
      last?.removeAllListeners();
      last?.on('error', () => undefined);
      await last?.end().catch(() => undefined);
    }
  };
}
