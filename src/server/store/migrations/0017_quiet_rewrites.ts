import { PostgresAdapter, sql, type Kysely } from 'kysely';
import { sqliteCacheTrigger } from './0012_cache_invalidation.js';
import { documents } from './0013_search_newest_first.js';

/*
 * SQLite: an update that changes nothing searched or shown no longer rewrites the search index or names cache tags
 * (issue 20: the processor's rate). Two triggers did work for nothing on every entry the processor logs:
 * - interactions_search_update fires for "update of subject, preview, …", and SQLite's "update of" looks at the
 *   columns an UPDATE assigns, not at their values: filing a message, which sets its entries' link and text from
 *   the archived copy, deleted and wrote again each entry's search document with the same text. It now fires only
 *   when a searched column changed.
 * - interactions_cache_update fired for the search insert trigger's own numbering of a new entry (search_rowid
 *   from null to its number), naming the entry's tags again, old and new, in the transaction that inserted it and
 *   had named them already. Giving a new row its number changes nothing a cache shows. And an update that keeps
 *   the entry's contact and salesperson (filing sets its link) names their tags once, not as old and again as new:
 *   that case has a trigger of its own, interactions_cache_update_same.
 * PostgreSQL has neither trigger (its search is a GIN index; its cache trigger has no numbering to skip).
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's table types
type AnyDb = Kysely<any>;

const isPostgres = (db: AnyDb) => db.getExecutor().adapter instanceof PostgresAdapter;

const SEARCHED = ['subject', 'preview', 'body', 'contact_id', 'salesperson_id'];
const NUMBERING_A_NEW_ROW = 'old.search_rowid is null and new.search_rowid is not null';
const SAME_PEOPLE = 'old.contact_id is new.contact_id and old.salesperson_id is new.salesperson_id';

const searchUpdate = (when: string | null) =>
  `create trigger interactions_search_update after update of ${SEARCHED.join(', ')} on interactions
   ${when ? `when ${when}` : ''} begin
     delete from interactions_search where rowid = old.search_rowid;
     ${documents('i.rowid = new.rowid')}
   end`;

async function replaceTriggers(db: AnyDb, search: string, cache: string): Promise<void> {
  await sql`drop trigger interactions_search_update`.execute(db);
  await sql.raw(search).execute(db);
  await sql`drop trigger interactions_cache_update`.execute(db);
  await sql.raw(cache).execute(db);
}

export async function up(db: AnyDb): Promise<void> {
  if (isPostgres(db)) return;
  const shown = `not (${NUMBERING_A_NEW_ROW})`;
  await replaceTriggers(
    db,
    searchUpdate(SEARCHED.map((column) => `old.${column} is not new.${column}`).join(' or ')),
    sqliteCacheTrigger('interactions', 'update', `${shown} and not (${SAME_PEOPLE})`)
  );
  await sql
    .raw(
      sqliteCacheTrigger('interactions', 'update', `${shown} and ${SAME_PEOPLE}`, {
        name: 'interactions_cache_update_same',
        rows: ['new']
      })
    )
    .execute(db);
}

export async function down(db: AnyDb): Promise<void> {
  if (isPostgres(db)) return;
  await sql`drop trigger interactions_cache_update_same`.execute(db);
  await replaceTriggers(db, searchUpdate(null), sqliteCacheTrigger('interactions', 'update', null));
}
