import type {
  CompiledQuery,
  DatabaseConnection,
  Dialect,
  Driver,
  QueryCompiler,
  QueryResult,
  TransactionSettings
} from 'kysely';
import { StoreUnavailableError } from '../errors.js';

/*
 * One mapping of the engines' "cannot reach or write the database" errors to StoreUnavailableError, applied to
 * every statement by wrapping the Kysely driver: the HTTP layer answers 503 with Retry-After, the mailbox
 * processor records a failed run, and nothing above the store needs to know the engines' error codes.
 */

/**
 * PostgreSQL SQLSTATEs (https://www.postgresql.org/docs/current/errcodes-appendix.html): class 08 connection
 * exceptions; 57P01 admin_shutdown (pg_terminate_backend, a fast shutdown), 57P02 crash_shutdown, 57P03
 * cannot_connect_now (starting up, in recovery); 53300 too_many_connections; 25006 read_only_sql_transaction
 * (a standby after failover).
 */
const PG_UNAVAILABLE = /^(08...|57P0[123]|53300|25006)$/;
/** Socket errors of node-postgres's connection. */
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);
/** node-postgres's own messages for a connection that ended or never came (it gives them no code). */
const PG_CONNECTION_MESSAGES =
  /^(Connection terminated|Client has encountered a connection error and is not queryable|timeout exceeded when trying to connect|Client was closed and is not queryable)/;
/**
 * SQLite result codes (https://www.sqlite.org/rescode.html) that say the file cannot be read or written now:
 * I/O errors, a full disk, a file that cannot be opened or is read-only, and a lock held past busy_timeout.
 */
const SQLITE_UNAVAILABLE = /^SQLITE_(IOERR|FULL|CANTOPEN|READONLY|BUSY)/;

/** True for an error that says the database is out of reach rather than that the statement is wrong. */
export function isStoreUnavailable(error: unknown): boolean {
  if (error instanceof StoreUnavailableError) return true;
  // Not `instanceof Error`: socket errors come from node's own realm, which is another one under test runners.
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (code.startsWith('SQLITE_')) return SQLITE_UNAVAILABLE.test(code);
    if (PG_UNAVAILABLE.test(code) || NETWORK_CODES.has(code)) return true;
  }
  return typeof message === 'string' && PG_CONNECTION_MESSAGES.test(message);
}

/** The error as the rest of the server should see it. */
export function storeError(error: unknown): unknown {
  return !(error instanceof StoreUnavailableError) && isStoreUnavailable(error)
    ? new StoreUnavailableError(error)
    : error;
}

async function mapped<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw storeError(error);
  }
}

class MappedConnection implements DatabaseConnection {
  constructor(readonly inner: DatabaseConnection) {}

  executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    return mapped(() => this.inner.executeQuery<R>(compiledQuery));
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery, chunkSize: number): AsyncIterableIterator<QueryResult<R>> {
    try {
      yield* this.inner.streamQuery<R>(compiledQuery, chunkSize);
    } catch (error) {
      throw storeError(error);
    }
  }
}

const innerOf = (connection: DatabaseConnection) =>
  connection instanceof MappedConnection ? connection.inner : connection;

class MappedDriver implements Driver {
  constructor(private readonly inner: Driver) {}

  init(): Promise<void> {
    return mapped(() => this.inner.init());
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new MappedConnection(await mapped(() => this.inner.acquireConnection()));
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    return mapped(() => this.inner.beginTransaction(innerOf(connection), settings));
  }

  commitTransaction(connection: DatabaseConnection): Promise<void> {
    return mapped(() => this.inner.commitTransaction(innerOf(connection)));
  }

  /**
   * Kysely rolls back when a transaction's callback throws and then rethrows the callback's error; a failing
   * rollback would replace that error with its own. It fails when there is nothing left to roll back: SQLite
   * has already rolled back after an I/O error or a full disk ("cannot rollback - no transaction is active"),
   * or the PostgreSQL connection is gone (node-postgres then drops it from the pool). Either way the original
   * error is the one worth reporting, so the rollback's own failure is not thrown.
   */
  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    try {
      await this.inner.rollbackTransaction(innerOf(connection));
    } catch {
      // see above: the transaction's own error follows
    }
  }

  savepoint(connection: DatabaseConnection, name: string, compileQuery: QueryCompiler['compileQuery']): Promise<void> {
    return mapped(async () => this.inner.savepoint?.(innerOf(connection), name, compileQuery));
  }

  rollbackToSavepoint(
    connection: DatabaseConnection,
    name: string,
    compileQuery: QueryCompiler['compileQuery']
  ): Promise<void> {
    return mapped(async () => this.inner.rollbackToSavepoint?.(innerOf(connection), name, compileQuery));
  }

  releaseSavepoint(
    connection: DatabaseConnection,
    name: string,
    compileQuery: QueryCompiler['compileQuery']
  ): Promise<void> {
    return mapped(async () => this.inner.releaseSavepoint?.(innerOf(connection), name, compileQuery));
  }

  releaseConnection(connection: DatabaseConnection): Promise<void> {
    return this.inner.releaseConnection(innerOf(connection));
  }

  destroy(): Promise<void> {
    return this.inner.destroy();
  }
}

/** The dialect with every engine error that means "unreachable" turned into StoreUnavailableError. */
export function mappingUnavailable(dialect: Dialect): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createDriver: () => new MappedDriver(dialect.createDriver()),
    createIntrospector: (db) => dialect.createIntrospector(db),
    createQueryCompiler: () => dialect.createQueryCompiler()
  };
}
