import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

/*
 * A repository's write that must be all or nothing runs in a transaction. On its own it opens one; inside a use
 * case's unit of work (Store.transaction) its `db` is that unit's transaction, and the write runs directly in it:
 * Kysely cannot nest transactions, and the unit's commit or rollback is then the write's too. A repository
 * method that catches its own transaction's failure to try again (salespersonForUser's race) can only do so on
 * its own: inside a unit of work the failure rolls the whole unit back.
 */

/** Runs `work` in a transaction of its own, or in the unit of work's that `db` already is. */
export function inTransaction<T>(db: Kysely<Database>, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db as Transaction<Database>) : db.transaction().execute(work);
}
