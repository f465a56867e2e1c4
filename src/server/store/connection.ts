import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase as SqliteDatabaseForKysely } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

export type Engine = 'sqlite' | 'postgres';

export interface Connection {
  db: Kysely<Database>;
  engine: Engine;
  /** Where the data lives, without credentials, for logs. */
  description: string;
  /** See Store.changeToken. */
  changeToken: () => string | null;
}

export interface ConnectOptions {
  /** PostgreSQL schema to use (tests isolate themselves this way); created when missing. */
  pgSchema?: string;
  pgPoolSize?: number;
}

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
/** SQLite's page cache per connection (its default is 2 MiB): the hot contacts' history pages stay in it. */
const SQLITE_CACHE_KIB = 64 * 1024;

/**
 * `data_version` moves when another connection (another process: the mailbox CLI, a second server)
 * commits; `total_changes()` counts this connection's own row changes. Together they move on every write.
 * `data_version` costs a statement (~5 µs), so it is read once per turn of the event loop: another process's
 * commit is seen from the next turn, as if it had come a moment later; this process's own writes at once.
 */
function sqliteChangeToken(database: SqliteDatabase.Database): () => string | null {
  const dataVersion = database.prepare('PRAGMA data_version').pluck();
  const ownChanges = database.prepare('SELECT total_changes()').pluck();
  let versionThisTurn: string | null = null;
  return () => {
    try {
      if (versionThisTurn === null) {
        versionThisTurn = String(dataVersion.get());
        setImmediate(() => {
          versionThisTurn = null;
        });
      }
      return `${versionThisTurn}.${String(ownChanges.get())}`;
    } catch {
      return null; // the connection is busy streaming a result: answer "unknown"
    }
  };
}

/**
 * Kysely prepares every statement anew; better-sqlite3 statements can be reused, and Kysely runs one
 * query at a time on the connection, so a statement is never busy twice. Reuse saves ~20% per request.
 */
function withStatementCache(database: SqliteDatabase.Database): SqliteDatabaseForKysely {
  const statements = new Map<string, SqliteDatabase.Statement>();
  return {
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
      return statement;
    }
  };
}

export function connect(url: string, options: ConnectOptions = {}): Connection {
  if (isPostgresUrl(url)) {
    const parsed = new URL(url);
    const pool = new pg.Pool({
      connectionString: url,
      max: options.pgPoolSize ?? 10,
      types: pgTypes,
      ...(options.pgSchema ? { options: `-c search_path=${options.pgSchema}` } : {})
    });
    return {
      db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }),
      engine: 'postgres',
      description: `postgres://${parsed.host}${parsed.pathname}${options.pgSchema ? ` (schema ${options.pgSchema})` : ''}`,
      // A commit's WAL position can be visible before its rows are: no cheap token is safe here.
      changeToken: () => null
    };
  }
  const path = sqlitePath(url);
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new SqliteDatabase(path);
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  database.pragma(`cache_size = -${SQLITE_CACHE_KIB}`);
  return {
    db: new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) }),
    engine: 'sqlite',
    description: path,
    changeToken: sqliteChangeToken(database)
  };
}
