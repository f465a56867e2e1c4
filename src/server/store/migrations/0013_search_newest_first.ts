import { PostgresAdapter, sql, type Kysely } from 'kysely';
import { createSqliteSearch, createSqliteSearchUpkeep } from './0008_kinds_and_search.js';

/*
 * Search ranks among the newest matches only (store/interactions.ts, SEARCH_CANDIDATES), so the index must give
 * them newest first, for one tenant and scope, without reading the others:
 * - SQLite: FTS5 walks its rows in rowid order and can stop, so the search table's rowid becomes the entry's
 *   time: `search_rowid` = occurredAt (ms, clamped to ±2^47) × 65,536 + a number unique within that millisecond,
 *   a new column of the log with a unique index to join on. A time range becomes a rowid range, and VACUUM no
 *   longer matters (the log's own rowid is no longer the key). The `keys` column gains the tenant's token
 *   (`t` and the id's bytes in hex) beside the contact's and the salesperson's, so the tenant and the scope are
 *   matched inside the index and the newest matches are the caller's.
 * - PostgreSQL needs nothing new: the GIN index finds the matches, interactions_occurred_ix orders them.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's table types
type AnyDb = Kysely<any>;

const isPostgres = (db: AnyDb) => db.getExecutor().adapter instanceof PostgresAdapter;

/** Entries one millisecond can hold before its numbers run into the next one's (still unique: the index says). */
const SLOTS = 65_536;
/** occurredAt clamped so that × SLOTS stays a 64-bit integer (±4,400 years around 1970). */
const clamped = (entry: string) => `max(min(${entry}.occurred_at, 140737488355327), -140737488355328)`;

const PEOPLE = `c.name || ' ' || c.email || ' ' || coalesce(c.company, '') || ' ' || s.name`;
const KEYS = `'t' || hex(i.tenant_id) || ' c' || hex(i.contact_id) || ' s' || hex(i.salesperson_id)`;
const COLUMNS = 'rowid, subject, preview, body, people, keys';
/** The search rows of the entries `where` selects (over `i`, the log). */
export const documents = (where: string) =>
  `insert into interactions_search (${COLUMNS})
   select i.search_rowid, i.subject, i.preview, coalesce(i.body, ''), ${PEOPLE}, ${KEYS}
   from interactions i
   join contacts c on c.tenant_id = i.tenant_id and c.id = i.contact_id
   join salespeople s on s.tenant_id = i.tenant_id and s.id = i.salesperson_id
   where ${where};`;

const OLD_TRIGGERS = [
  'interactions_search_insert',
  'interactions_search_update',
  'interactions_search_delete',
  'contacts_search_update',
  'salespeople_search_update'
];

export async function up(db: AnyDb): Promise<void> {
  if (isPostgres(db)) return;
  // Kysely runs SQLite's migrations outside a transaction: without one, a process stopped during the million-row
  // update would leave the log without a search table, and this migration unrecorded and unable to run again.
  await sql`savepoint migration_0013`.execute(db);
  try {
    await upSqlite(db);
  } catch (error) {
    await sql`rollback to migration_0013`.execute(db);
    throw error;
  } finally {
    await sql`release migration_0013`.execute(db);
  }
}

async function upSqlite(db: AnyDb): Promise<void> {
  for (const trigger of OLD_TRIGGERS) await sql.raw(`drop trigger ${trigger}`).execute(db);
  await sql`drop table interactions_search`.execute(db);
  await sql`alter table interactions add column search_rowid integer`.execute(db);
  await sql
    .raw(
      `update interactions set search_rowid = k.key
       from (select rowid as r, ${clamped('interactions')} * ${SLOTS}
               + row_number() over (partition by ${clamped('interactions')} order by rowid) - 1 as key
             from interactions) k
       where interactions.rowid = k.r`
    )
    .execute(db);
  await sql`create unique index interactions_search_rowid_uq on interactions (search_rowid)`.execute(db);
  await sql`create virtual table interactions_search using fts5(
    subject, preview, body, people, keys,
    content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 0'
  )`.execute(db);
  await createTriggers(db);
  await sql.raw(documents('true')).execute(db);
}

async function createTriggers(db: AnyDb): Promise<void> {
  const base = `${clamped('new')} * ${SLOTS}`;
  await sql
    .raw(
      `create trigger interactions_search_insert after insert on interactions begin
         update interactions set search_rowid =
           (select coalesce(max(search_rowid) + 1, ${base}) from interactions
            where search_rowid between ${base} and ${base} + ${SLOTS - 1})
         where rowid = new.rowid;
         ${documents('i.rowid = new.rowid')}
       end`
    )
    .execute(db);
  await createSqliteSearchUpkeep(db, 'search_rowid', documents);
}

/** Back to migration 0008's index, keyed by the log's rowid. */
export async function down(db: AnyDb): Promise<void> {
  if (isPostgres(db)) return;
  for (const trigger of OLD_TRIGGERS) await sql.raw(`drop trigger ${trigger}`).execute(db);
  await sql`drop table interactions_search`.execute(db);
  await sql`drop index interactions_search_rowid_uq`.execute(db);
  await sql`alter table interactions drop column search_rowid`.execute(db);
  await createSqliteSearch(db);
}
