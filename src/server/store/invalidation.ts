import { randomUUID } from 'node:crypto';
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
  /**
   * Resolves once every change committed before the call is known (at most FENCE_TIMEOUT_MS later; after that
   * every kept value counts as changed). A write's response awaits it, so its writer never reads a kept value
   * from before the write, on any engine.
   */
  caughtUp(): Promise<void>;
  close(): Promise<void>;
}

/** How long caughtUp() waits for the listener before it counts every kept value as changed. */
export const FENCE_TIMEOUT_MS = 1000;

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
  changeToken: () => string | null,
  rereadChanges: () => void
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
    // This connection's writes are known at once; another process's commit as soon as data_version is read again.
    caughtUp: async () => rereadChanges(),
    close: async () => undefined
  };
}

const CHANNEL = 'cache_invalidation';
/**
 * caughtUp()'s own notifications. PostgreSQL delivers notifications in commit order, whatever their channel
 * (https://www.postgresql.org/docs/current/sql-notify.html): once the listener hears a fence sent after a
 * write committed, it has heard that write's notifications too.
 */
const FENCE_CHANNEL = 'cache_invalidation_fence';
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
  const fences = fenceWaits(clock);

  const lost = () => {
    listening = false;
    fences.releaseAll(); // nothing is served until the listener is back, and then nothing kept before

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
      if (message.channel === FENCE_CHANNEL) return fences.heard(message.payload ?? '');
      const [from, tenant, tag] = (message.payload ?? '').split(' ');
      if (from === schema && tenant !== undefined && tag !== undefined) clock.bump(cacheTag(tenant, tag));
    });
    try {
      await next.connect();
      await next.query(`listen ${CHANNEL}; listen ${FENCE_CHANNEL}`);
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
    caughtUp: () => (listening && client ? fences.send(client) : Promise.resolve()),
    async close() {
      closed = true;
      listening = false;
      fences.releaseAll();
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

/** The fences one PostgreSQL clock sent and waits to hear back on its listening connection. */
function fenceWaits(clock: TagClock) {
  const owner = randomUUID(); // other clocks (other instances, other stores) hear these fences too
  const waiting = new Map<number, () => void>();
  let sent = 0;
  /**
   * The fence queries, one at a time: node-postgres queues a query sent while another is under way, warns that
   * pg@9 will not, and the writes of several requests ask for fences at once.
   */
  let sending: Promise<unknown> = Promise.resolve();
  const release = (id: number): boolean => {
    const done = waiting.get(id);
    waiting.delete(id);
    done?.();
    return done !== undefined;
  };
  // Unheard: whatever the fence was to cover counts as changed.
  const giveUp = (id: number) => {
    if (release(id)) clock.bumpAll();
  };
  return {
    heard(payload: string): void {
      const [from, id] = payload.split(' ');
      if (from === owner) release(Number(id));
    },
    releaseAll(): void {
      for (const id of [...waiting.keys()]) release(id);
    },
    send(listener: pg.Client): Promise<void> {
      sent += 1;
      const id = sent;
      const heard = new Promise<void>((resolve) => waiting.set(id, resolve));
      const timer = setTimeout(() => giveUp(id), FENCE_TIMEOUT_MS);
      timer.unref();
      sending = sending.then(() =>
        listener.query('select pg_notify($1, $2)', [FENCE_CHANNEL, `${owner} ${id}`]).catch(() => giveUp(id))
      );
      return heard.finally(() => clearTimeout(timer));
    }
  };
}
