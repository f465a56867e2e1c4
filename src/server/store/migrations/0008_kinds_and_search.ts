import { PostgresAdapter, sql, type Kysely } from 'kysely';

/*
 * Interaction kinds and full-text search.
 *
 * - `kind`: 'email' (every entry so far), 'note' or 'meeting'. A note has its own text in `body` and no message:
 *   its internet_message_id is `note:<its id>`, so the log's unique key still holds and never meets a real
 *   Message-ID (those are `<…@…>`); the API shows it as null.
 * - Search covers an entry's subject, preview and body, and the names around it: the contact's name, address and
 *   company and the salesperson's name. Those live in other tables, so each engine keeps a search document per
 *   entry, maintained by triggers on every table it reads from (every write path is covered, whoever writes):
 *   - SQLite: an FTS5 table without content of its own (`contentless_delete`, so rows are removed by rowid alone),
 *     keyed by the entry's rowid. The server never runs VACUUM, which could renumber the rowids of a table without
 *     an INTEGER PRIMARY KEY; after an operator's VACUUM, run this migration's `fillSqliteSearch` again
 *     (until migration 0013, which keys the index by time and makes VACUUM harmless).
 *   - PostgreSQL: a `tsvector` column on the entry with a GIN index, set by a BEFORE trigger.
 *   Both split text the same way, into runs of letters and digits (PostgreSQL's parser would otherwise keep
 *   `ana@northwind.example` as one token), lower-case them and keep accents: configuration 'simple', tokenizer
 *   unicode61 with remove_diacritics 0. domain/search.ts splits the user's words by the same rule.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's table types
type AnyDb = Kysely<any>;

const isPostgres = (db: AnyDb) => db.getExecutor().adapter instanceof PostgresAdapter;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable('interactions')
    .addColumn('kind', 'text', (c) => c.notNull().defaultTo('email'))
    .execute();
  await db.schema.alterTable('interactions').addColumn('body', 'text').execute();
  if (isPostgres(db)) await upPostgres(db);
  else await createSqliteSearch(db);
}

/** The people around an entry, as one text (SQLite). */
const SQLITE_PEOPLE = `c.name || ' ' || c.email || ' ' || coalesce(c.company, '') || ' ' || s.name`;
/**
 * The entry's contact and salesperson as one token each (`c`/`s` and the id's bytes in hex): a search of one
 * contact's or salesperson's history asks the index for those entries only, instead of ranking every match of
 * the words in the tenant and dropping the others (store/interactions.ts, searchKeyToken). Never searched as words.
 */
const sqliteKeys = (entry: string) => `'c' || hex(${entry}.contact_id) || ' s' || hex(${entry}.salesperson_id)`;
const SQLITE_COLUMNS = 'rowid, subject, preview, body, people, keys';
const sqliteValues = (entry: string) =>
  `${entry}.rowid, ${entry}.subject, ${entry}.preview, coalesce(${entry}.body, ''), ${SQLITE_PEOPLE}, ${sqliteKeys(entry)}`;

/** The search table keyed by the log's rowid, its triggers and its rows (migration 0013 replaces them). */
export async function createSqliteSearch(db: AnyDb): Promise<void> {
  await sql`create virtual table interactions_search using fts5(
    subject, preview, body, people, keys,
    content = '', contentless_delete = 1, tokenize = 'unicode61 remove_diacritics 0'
  )`.execute(db);
  const insertFor = (entry: string, where: string) =>
    `insert into interactions_search (${SQLITE_COLUMNS})
     select ${sqliteValues(entry)}
     from contacts c, salespeople s
     where c.tenant_id = ${entry}.tenant_id and c.id = ${entry}.contact_id
       and s.tenant_id = ${entry}.tenant_id and s.id = ${entry}.salesperson_id ${where};`;
  await sql
    .raw(
      `create trigger interactions_search_insert after insert on interactions begin
         ${insertFor('new', '')}
       end`
    )
    .execute(db);
  await createSqliteSearchUpkeep(db, 'rowid', sqliteDocuments);
  await fillSqliteSearch(db);
}

/** The search rows of the entries `where` selects (over `i`, the log), keyed by the log's rowid. */
const sqliteDocuments = (where: string) =>
  `insert into interactions_search (${SQLITE_COLUMNS})
   select ${sqliteValues('i')}
   from interactions i
   join contacts c on c.tenant_id = i.tenant_id and c.id = i.contact_id
   join salespeople s on s.tenant_id = i.tenant_id and s.id = i.salesperson_id
   where ${where};`;

/**
 * The search table's triggers but the insert's (SQLite): an entry's row written again when its text or people
 * change and removed with it, and a renamed contact's or salesperson's entries written again. `key`: the log's
 * column the search table's rowid is (migration 0013 changes it); `documents`: writes the rows `where` selects.
 */
export async function createSqliteSearchUpkeep(
  db: AnyDb,
  key: string,
  documents: (where: string) => string
): Promise<void> {
  await sql
    .raw(
      `create trigger interactions_search_update after update of subject, preview, body, contact_id, salesperson_id
       on interactions begin
         delete from interactions_search where rowid = old.${key};
         ${documents('i.rowid = new.rowid')}
       end`
    )
    .execute(db);
  await sql
    .raw(
      `create trigger interactions_search_delete after delete on interactions begin
         delete from interactions_search where rowid = old.${key};
       end`
    )
    .execute(db);
  // A renamed contact or salesperson: their entries' documents are written again (only when a searched field
  // changed: the directory rewrites unchanged values on every save).
  for (const [table, column, fields] of [
    ['contacts', 'contact_id', ['name', 'email', 'company']],
    ['salespeople', 'salesperson_id', ['name']]
  ] as const) {
    const changed = fields.map((f) => `old.${f} is not new.${f}`).join(' or ');
    await sql
      .raw(
        `create trigger ${table}_search_update after update of ${fields.join(', ')} on ${table}
         when ${changed} begin
           delete from interactions_search where rowid in
             (select ${key} from interactions where tenant_id = new.tenant_id and ${column} = new.id);
           ${documents(`i.tenant_id = new.tenant_id and i.${column} = new.id`)}
         end`
      )
      .execute(db);
  }
}

/** Writes every entry's search document (SQLite) as this migration keys it (after a VACUUM; until migration 0013). */
export async function fillSqliteSearch(db: AnyDb): Promise<void> {
  await sql`delete from interactions_search`.execute(db);
  await sql
    .raw(
      `insert into interactions_search (${SQLITE_COLUMNS})
       select ${sqliteValues('i')}
       from interactions i
       join contacts c on c.tenant_id = i.tenant_id and c.id = i.contact_id
       join salespeople s on s.tenant_id = i.tenant_id and s.id = i.salesperson_id`
    )
    .execute(db);
}

async function upPostgres(db: AnyDb): Promise<void> {
  // Weights: a word in the subject counts most, then the people, then the text (ts_rank's A, B, C).
  await sql`create function interaction_search_document(
      subject text, preview text, body text, people text
    ) returns tsvector language sql immutable parallel safe as $$
      select setweight(to_tsvector('simple', regexp_replace(subject, '[^[:alnum:]]+', ' ', 'g')), 'A')
        || setweight(to_tsvector('simple', regexp_replace(people, '[^[:alnum:]]+', ' ', 'g')), 'B')
        || setweight(to_tsvector('simple', regexp_replace(preview || ' ' || coalesce(body, ''), '[^[:alnum:]]+', ' ', 'g')), 'C')
    $$`.execute(db);
  await db.schema
    .alterTable('interactions')
    .addColumn('search_document', sql`tsvector`)
    .execute();
  await sql`create function interactions_search_document() returns trigger language plpgsql as $$
    begin
      select interaction_search_document(new.subject, new.preview, new.body,
               c.name || ' ' || c.email || ' ' || coalesce(c.company, '') || ' ' || s.name)
        into new.search_document
        from contacts c, salespeople s
        where c.tenant_id = new.tenant_id and c.id = new.contact_id
          and s.tenant_id = new.tenant_id and s.id = new.salesperson_id;
      return new;
    end $$`.execute(db);
  await sql`create trigger interactions_search_document
    before insert or update of subject, preview, body, contact_id, salesperson_id on interactions
    for each row execute function interactions_search_document()`.execute(db);
  // A renamed contact or salesperson: their entries' documents are written again.
  await sql`create function people_search_document() returns trigger language plpgsql as $$
    begin
      update interactions i
        set search_document = interaction_search_document(i.subject, i.preview, i.body,
              c.name || ' ' || c.email || ' ' || coalesce(c.company, '') || ' ' || s.name)
        from contacts c, salespeople s
        where i.tenant_id = new.tenant_id
          and (case when tg_table_name = 'contacts' then i.contact_id else i.salesperson_id end) = new.id
          and c.tenant_id = i.tenant_id and c.id = i.contact_id
          and s.tenant_id = i.tenant_id and s.id = i.salesperson_id;
      return null;
    end $$`.execute(db);
  await sql`create trigger contacts_search_document after update of name, email, company on contacts
    for each row when (old.name is distinct from new.name or old.email is distinct from new.email
                       or old.company is distinct from new.company)
    execute function people_search_document()`.execute(db);
  await sql`create trigger salespeople_search_document after update of name on salespeople
    for each row when (old.name is distinct from new.name)
    execute function people_search_document()`.execute(db);
  // Existing entries: fire the BEFORE trigger once for each.
  await sql`update interactions set subject = subject`.execute(db);
  await sql`create index interactions_search_ix on interactions using gin (search_document)`.execute(db);
}

export async function down(db: AnyDb): Promise<void> {
  if (isPostgres(db)) {
    await sql`drop trigger contacts_search_document on contacts`.execute(db);
    await sql`drop trigger salespeople_search_document on salespeople`.execute(db);
    await sql`drop trigger interactions_search_document on interactions`.execute(db);
    await sql`drop function people_search_document()`.execute(db);
    await sql`drop function interactions_search_document()`.execute(db);
    await db.schema.alterTable('interactions').dropColumn('search_document').execute();
    await sql`drop function interaction_search_document(text, text, text, text)`.execute(db);
  } else {
    for (const trigger of [
      'interactions_search_insert',
      'interactions_search_update',
      'interactions_search_delete',
      'contacts_search_update',
      'salespeople_search_update'
    ]) {
      await sql.raw(`drop trigger ${trigger}`).execute(db);
    }
    await sql`drop table interactions_search`.execute(db);
  }
  await db.schema.alterTable('interactions').dropColumn('body').execute();
  await db.schema.alterTable('interactions').dropColumn('kind').execute();
}
