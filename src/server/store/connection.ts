import { createHash } from 'node:crypto';
import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import SqliteDatabase from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
  type SqliteDatabase as SqliteDatabaseForKysely,
  type SqliteDialectConfig
} from 'kysely';
import pg from 'pg';
import { startCheckpointer } from './checkpointer.js';
import { mappingUnavailable, storeError } from './faults.js';
import { postgresInvalidationClock, sqliteInvalidationClock, type InvalidationClock } from './invalidation.js';
import type { Database } from './schema.js';

export type Engine = 'sqlite' | 'postgres';

export interface Connection {
  db: Kysely<Database>;
  engine: Engine;
  /** Where the data lives, without credentials, for logs. */
  description: string;
  /** See Store.invalidations. */
  invalidations: InvalidationClock;
  /**
   * Why the data this connection writes would not last, or null: SQLite's file was deleted or replaced since it
   * was opened (writes then go to an unlinked file and are lost on restart). Always null on PostgreSQL.
   */
  fileProblem: () => string | null;
  /**
   * On a SQLite file, opens a snapshot reader (see SnapshotReader); null on PostgreSQL and in memory, where the
   * store's own connection serves long reads.
   */
  openSnapshot: (() => SnapshotReader) | null;
}

/**
 * A short-lived, read-only connection of its own for one long read (an export), in one read transaction: every
 * statement sees the data as of its first, and it reads through a small page cache, without memory mapping, so
 * the pages it walks neither stay resident after it nor push the hot pages out of the store's own cache. Close it
 * when the read ends, however it ends: closing ends the transaction and frees the handle. While it is open, WAL
 * checkpoints cannot pass its snapshot, so the write-ahead log grows with the writes made meanwhile.
 */
export interface SnapshotReader {
  db: Kysely<Database>;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /** PostgreSQL schema to use (tests isolate themselves this way); created when missing. */
  pgSchema?: string;
  pgPoolSize?: number;
  /**
   * PostgreSQL application_name of this pool's sessions; by default `interaction-log`, and with a schema
   * `interaction-log:<schema>` (an operator, or a test, can then end exactly these sessions).
   */
  pgApplicationName?: string;
}

/** PostgreSQL's limit on application_name (NAMEDATALEN - 1). */
const MAX_APPLICATION_NAME = 63;

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/** `./data/x.sqlite`, `file:./x.sqlite`, `file:///abs/x.sqlite` or `:memory:` to a filesystem path. */
export function sqlitePath(url: string): string {
  if (url === ':memory:') return url;
  if (url.startsWith('file://')) return fileURLToPath(url);
  if (url.startsWith('file:')) return resolve(url.slice('file:'.length));
  return resolve(url);
}

// BIGINT (oid 20) holds epoch milliseconds and minor currency units: safe as JS numbers.
const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser
};

const STATEMENT_CACHE_SIZE = 256;
/** How Kysely's SQLite compiler begins the readiness probe's statement (Store.checkWritable). */
const READINESS_WRITE = 'update "readiness_probe" ';
const BEGIN_WRITING = 'begin immediate';

/**
 * Begins a statement PostgreSQL must plan for its values on every call (PreparingClient leaves it unnamed). A
 * prepared statement switches to a generic plan after five calls; for a text search that plan cannot see how many
 * entries the words match, and read every match of a common word to sort them (97 ms instead of 11 ms at 200,000
 * entries, docs/PERFORMANCE.md). An unnamed statement is planned at bind time with its values. SQLite ignores it.
 */
export const PLAN_FOR_VALUES = '/* plan for values */ ';

/** Statement names by SQL text: a name is a hash, so every connection and instance gives a text the same one. */
const statementNames = new Map<string, string>();

/**
 * node-postgres prepares a statement once per connection when the query has a name, and then only binds and
 * executes it: PostgreSQL plans it once instead of on every call (the history query's planning took ~1 ms).
 * Kysely passes text and values; this client names each parameterized text by a hash of it. Texts without
 * values are left alone: they may hold several commands (migrations), which a prepared statement cannot; so are
 * texts that begin with PLAN_FOR_VALUES.
 */
class PreparingClient extends pg.Client {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- pg.Client.query's many overloads
  override query(...args: any[]): any {
    const [text, values] = args;
    if (
      typeof text === 'string' &&
      Array.isArray(values) &&
      values.length > 0 &&
      args.length === 2 &&
      !text.startsWith(PLAN_FOR_VALUES)
    ) {
      let name = statementNames.get(text);
      if (name === undefined) {
        name = createHash('sha1').update(text).digest('base64url');
        if (statementNames.size >= 10_000) statementNames.clear();
        statementNames.set(text, name);
      }
      return super.query({ name, text, values });
    }
    return (super.query as (...rest: unknown[]) => unknown)(...args);
  }
}
/** How long another connection's commit may go unseen by the change token. */
export const OTHER_WRITERS_LAG_MS = 1;
/** SQLite's page cache per connection (its default is 2 MiB): the hot contacts' history pages stay in it. */
const SQLITE_CACHE_KIB = 64 * 1024;
/**
 * A snapshot reader's page cache. An export walks each page once, so a cache cannot speed it up; at the main
 * connection's size it grew the server's resident memory by 64 MiB for good (docs/PERFORMANCE.md, issue 18).
 */
export const SQLITE_SNAPSHOT_CACHE_KIB = 2 * 1024;
const SQLITE_BUSY_TIMEOUT_MS = 5000;

/**
 * better-sqlite3 for Kysely, with two additions:
 * - Statement reuse. Kysely prepares every statement anew; better-sqlite3 statements can be reused, and
 *   Kysely runs one query at a time on the connection (its mutex), so a statement is never busy twice.
 *   Reuse saves ~20% per request.
 * - The store's change token. `data_version` moves when another connection (another process: the mailbox
 *   CLI, a second server) commits. It costs a statement (~3 µs, a twentieth of a cached read), so it is read
 *   at most once a millisecond: another process's commit is seen within one, as if it had come that much
 *   later. This connection's own writes are counted as their statements are prepared, so they are seen at
 *   once. The count moves before the write runs; no read runs between the two, since a transaction holds
 *   Kysely's mutex until it ends.
 */
function sqliteForKysely(database: SqliteDatabase.Database): {
  database: SqliteDatabaseForKysely;
  changeToken: () => string | null;
  /** The next change token reads data_version whenever it was last read. */
  rereadChanges: () => void;
} {
  const statements = new Map<string, SqliteDatabase.Statement>();
  let ownWrites = 0;
  const dataVersion = database.prepare('PRAGMA data_version').pluck();
  let version = 0;
  let versionReadAt = Number.NEGATIVE_INFINITY;
  // The same string while nothing changed: caches compare it on every read.
  let token = { version: -1, writes: -1, text: '' };
  const changeToken = (): string | null => {
    const now = performance.now();
    if (now - versionReadAt >= OTHER_WRITERS_LAG_MS) {
      try {
        version = Number(dataVersion.get());
      } catch {
        return null; // the connection is busy streaming a result: answer "unknown"
      }
      versionReadAt = now;
    }
    if (token.version !== version || token.writes !== ownWrites) {
      token = { version, writes: ownWrites, text: `${version}.${ownWrites}` };
    }
    return token.text;
  };
  const forKysely: SqliteDatabaseForKysely = {
    close: () => database.close(),
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (statement) {
        statements.delete(sql); // most recently used last
      } else {
        statement = database.prepare(sql);
        if (statements.size >= STATEMENT_CACHE_SIZE) {
          const oldest = statements.keys().next().value;
          if (oldest !== undefined) statements.delete(oldest);
        }
      }
      statements.set(sql, statement);
      // BEGIN and COMMIT count as read-only; the statements between them that write do not. BEGIN IMMEDIATE
      // counts as a write but writes nothing. The readiness probe's write changes no data anyone reads: counting
      // it would empty the history cache at every /readyz.
      if (!statement.readonly && sql !== BEGIN_WRITING && !sql.startsWith(READINESS_WRITE)) ownWrites += 1;
      return statement;
    }
  };
  const rereadChanges = () => {
    versionReadAt = Number.NEGATIVE_INFINITY;
  };
  return { database: forKysely, changeToken, rereadChanges };
}

/**
 * Every transaction here writes, and a use case's unit of work reads before it writes. SQLite's default BEGIN
 * takes a read snapshot at the first read and the write lock only at the first write; were another process (the
 * mailbox CLI, a second server) to commit in between, that write would fail at once (SQLITE_BUSY_SNAPSHOT,
 * which busy_timeout does not wait out). BEGIN IMMEDIATE takes the write lock first, waiting for it as
 * busy_timeout allows, so what the unit read stays true until it commits.
 */
class WritingSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw(BEGIN_WRITING));
  }
}

class WritingSqliteDialect extends SqliteDialect {
  constructor(private readonly config: SqliteDialectConfig) {
    super(config);
  }

  override createDriver(): Driver {
    return new WritingSqliteDriver(this.config);
  }
}

export function connect(url: string, options: ConnectOptions = {}): Connection {
  if (isPostgresUrl(url)) {
    const parsed = new URL(url);
    const applicationName = (
      options.pgApplicationName ?? `interaction-log${options.pgSchema ? `:${options.pgSchema}` : ''}`
    ).slice(0, MAX_APPLICATION_NAME);
    const pool = new pg.Pool({
      connectionString: url,
      max: options.pgPoolSize ?? 10,
      types: pgTypes,
      application_name: applicationName,
      ...(options.pgSchema ? { options: `-c search_path=${options.pgSchema}` } : {}),
      Client: PreparingClient
    });
    // A server that ends a session (restart, failover, pg_terminate_backend) makes its client emit 'error': on
    // the pool while the client is idle, on the client while it is checked out between statements. Unheard,
    // either kills the process. The pool drops such a client by itself; the statement that next needs a
    // connection gets a fresh one, or StoreUnavailableError while the server is away.
    const ignore = () => undefined;
    pool.on('error', ignore);
    pool.on('connect', (client) => client.on('error', ignore));
    const invalidations = postgresInvalidationClock(
      { connectionString: url, application_name: applicationName },
      options.pgSchema ?? 'public'
    );
    const db = new Kysely<Database>({ dialect: mappingUnavailable(new PostgresDialect({ pool })) });
    const destroy = db.destroy.bind(db);
    db.destroy = async () => {
      await invalidations.close();
      await destroy();
    };
    return {
      db,
      engine: 'postgres',
      description: `postgres://${parsed.host}${parsed.pathname}${options.pgSchema ? ` (schema ${options.pgSchema})` : ''}`,
      invalidations,
      fileProblem: () => null,
      openSnapshot: null
    };
  }
  const path = sqlitePath(url);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new SqliteDatabase(path);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  database.pragma(`cache_size = -${SQLITE_CACHE_KIB}`);
  const { database: forKysely, changeToken, rereadChanges } = sqliteForKysely(database);
  const invalidations = sqliteInvalidationClock(database, changeToken, rereadChanges);
  const opened = path === ':memory:' ? null : statSync(path);
  const snapshots = path === ':memory:' ? null : sqliteSnapshots(path);
  const checkpointer = path === ':memory:' ? null : startCheckpointer(database, path);
  const db = new Kysely<Database>({ dialect: mappingUnavailable(new WritingSqliteDialect({ database: forKysely })) });
  if (snapshots) {
    const destroy = db.destroy.bind(db);
    db.destroy = async () => {
      await Promise.all([snapshots.closeAll(), checkpointer?.close()]);
      await destroy();
    };
  }
  return {
    db,
    engine: 'sqlite',
    description: path,
    invalidations,
    openSnapshot: snapshots?.open ?? null,
    fileProblem() {
      if (!opened) return null;
      let now;
      try {
        now = statSync(path);
      } catch (error) {
        return `The database file ${path} cannot be found (${(error as Error).message}); it was deleted or moved after it was opened.`;
      }
      return now.ino === opened.ino && now.dev === opened.dev
        ? null
        : `The database file ${path} was replaced after it was opened; this process still writes to the old one.`;
    }
  };
}

/**
 * Snapshot readers of the SQLite file at `path` (see SnapshotReader), and closing those still open when the store
 * closes (an export whose client paused for good would otherwise keep its handle past the store).
 */
function sqliteSnapshots(path: string): { open: () => SnapshotReader; closeAll: () => Promise<void> } {
  const open = new Set<SnapshotReader>();
  return {
    open() {
      const database = openSnapshotConnection(path);
      const db = new Kysely<Database>({ dialect: mappingUnavailable(new SqliteDialect({ database })) });
      const reader: SnapshotReader = {
        db,
        async close() {
          if (!open.delete(reader)) return;
          await db.destroy();
          // Kysely closes the handle only if a query ran on it; closing twice is harmless.
          database.close();
        }
      };
      open.add(reader);
      return reader;
    },
    async closeAll() {
      await Promise.all([...open].map((reader) => reader.close()));
    }
  };
}

/** A read-only handle on `path` with a small cache and no mmap, in a read transaction (see SnapshotReader). */
function openSnapshotConnection(path: string): SqliteDatabase.Database {
  let database: SqliteDatabase.Database | null = null;
  try {
    database = new SqliteDatabase(path, { readonly: true, fileMustExist: true });
    database.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    database.pragma(`cache_size = -${SQLITE_SNAPSHOT_CACHE_KIB}`);
    database.pragma('mmap_size = 0');
    // Deferred: the first read takes the snapshot, and the transaction holds it until the handle closes.
    database.exec('begin');
    return database;
  } catch (error) {
    database?.close();
    throw storeError(error);
  }
}
