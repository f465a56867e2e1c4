import { PostgresAdapter, sql, type Kysely } from 'kysely';

/*
 * What each write changes, for the caches of history pages and visibility scopes (src/server/fresh-cache.ts).
 * Triggers on the tables those read from name the *tags* a changed row touches, so every write path is covered,
 * whoever writes (this server, another one, the mailbox CLI):
 * - an entry: its contact `c:<id>`, its salesperson `s:<id>` and `*i` (pages without a contact or salesperson
 *   filter, such as a search);
 * - a contact: `c:<id>`;
 * - a contact's addresses, a salesperson, a team, the tenant's settings: `*`, the whole tenant (rare writes that
 *   change whom an address names or who sees whose entries).
 * SQLite: each tag's row in `cache_invalidations` takes the next number of the one-row `cache_clock`, in the
 *   writer's transaction; a process that sees the file change (`PRAGMA data_version`) reads the rows numbered
 *   above the last it saw. One row per tag, so the table stays as small as the directory.
 * PostgreSQL: `pg_notify` on channel `cache_invalidation`, delivered at commit to every instance listening
 *   (payload `<schema> <tenant> <tag>`; identical notifications in one transaction are delivered once).
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's table types
type AnyDb = Kysely<any>;

const isPostgres = (db: AnyDb) => db.getExecutor().adapter instanceof PostgresAdapter;

/** The tags a row of each table touches, as SQL over the row `r` (new or old). */
const TAGS: Record<string, (r: string) => string[]> = {
  interactions: (r) => [`'c:' || ${r}.contact_id`, `'s:' || ${r}.salesperson_id`, `'*i'`],
  contacts: (r) => [`'c:' || ${r}.id`],
  contact_addresses: () => [`'*'`],
  salespeople: () => [`'*'`],
  teams: () => [`'*'`]
};
/** tenants has no tenant_id column: its id is the tenant. */
const TENANT_OF: Record<string, string> = { tenants: 'id' };
const TABLES = [...Object.keys(TAGS), 'tenants'];
const tagsOf = (table: string, r: string) => TAGS[table]?.(r) ?? [`'*'`];
/**
 * Updates that change nothing a cache shows are not invalidations: binding a salesperson record to its user
 * (`user_oid`) happens on each person's first call and would otherwise evict the whole tenant.
 */
const SHOWN_COLUMNS: Record<string, string[]> = { salespeople: ['name', 'email', 'team_id', 'active'] };

export async function up(db: AnyDb): Promise<void> {
  if (isPostgres(db)) await upPostgres(db);
  else await upSqlite(db);
}

async function upSqlite(db: AnyDb): Promise<void> {
  await sql`create table cache_clock (id integer primary key, seq integer not null)`.execute(db);
  await sql`insert into cache_clock (id, seq) values (1, 0)`.execute(db);
  await sql`create table cache_invalidations (
    tenant_id text not null, tag text not null, seq integer not null, primary key (tenant_id, tag)
  ) without rowid`.execute(db);
  await sql`create index cache_invalidations_seq_ix on cache_invalidations (seq)`.execute(db);
  for (const table of TABLES) {
    for (const event of ['insert', 'update', 'delete'] as const) {
      const shown = event === 'update' ? SHOWN_COLUMNS[table] : undefined;
      const when = shown ? shown.map((c) => `old.${c} is not new.${c}`).join(' or ') : null;
      await sql.raw(sqliteCacheTrigger(table, event, when)).execute(db);
    }
  }
}

/**
 * SQLite: the trigger `${table}_cache_${event}` (or `name`), which names the tags a row touches under the next number
 * of the clock: the old row's and the new one's (`rows`, by default those the event has); `when`: a condition on
 * old and new for the rows it fires for (null: every row).
 */
export function sqliteCacheTrigger(
  table: string,
  event: 'insert' | 'update' | 'delete',
  when: string | null,
  { name = `${table}_cache_${event}`, rows = { insert: ['new'], update: ['old', 'new'], delete: ['old'] }[event] } = {}
): string {
  const tenant = TENANT_OF[table] ?? 'tenant_id';
  const upserts = rows.flatMap((r) =>
    tagsOf(table, r).map(
      (tag) =>
        `insert into cache_invalidations (tenant_id, tag, seq)
         values (${r}.${tenant}, ${tag}, (select seq from cache_clock where id = 1))
         on conflict (tenant_id, tag) do update set seq = excluded.seq;`
    )
  );
  return `create trigger ${name} after ${event} on ${table} ${when ? `when ${when}` : ''} begin
     update cache_clock set seq = seq + 1 where id = 1;
     ${upserts.join('\n')}
   end`;
}

async function upPostgres(db: AnyDb): Promise<void> {
  const branches = TABLES.map((table) => {
    const tenant = TENANT_OF[table] ?? 'tenant_id';
    const notify = (r: string) =>
      tagsOf(table, r)
        .map(
          (tag) => `perform pg_notify('cache_invalidation', tg_table_schema || ' ' || ${r}.${tenant} || ' ' || ${tag});`
        )
        .join('\n');
    const body = `if tg_op <> 'INSERT' then ${notify('old')} end if;
        if tg_op <> 'DELETE' then ${notify('new')} end if;`;
    const shown = SHOWN_COLUMNS[table];
    // Nested: PL/pgSQL does not promise to stop at the first false operand, and another table's row has no such fields.
    const guarded = shown
      ? `if tg_op <> 'UPDATE' then ${body}
         elsif (${shown.map((c) => `old.${c}`).join(', ')}) is distinct from (${shown.map((c) => `new.${c}`).join(', ')}) then ${body}
         end if;`
      : body;
    return `if tg_table_name = '${table}' then
        ${guarded}
      end if;`;
  });
  await sql
    .raw(
      `create function cache_invalidate() returns trigger language plpgsql as $$
       begin
         ${branches.join('\n')}
         return null;
       end $$`
    )
    .execute(db);
  for (const table of TABLES) {
    await sql
      .raw(
        `create trigger ${table}_cache after insert or update or delete on ${table}
         for each row execute function cache_invalidate()`
      )
      .execute(db);
  }
}

export async function down(db: AnyDb): Promise<void> {
  if (isPostgres(db)) {
    for (const table of TABLES) await sql.raw(`drop trigger ${table}_cache on ${table}`).execute(db);
    await sql`drop function cache_invalidate()`.execute(db);
    return;
  }
  for (const table of TABLES) {
    for (const event of ['insert', 'update', 'delete'])
      await sql.raw(`drop trigger ${table}_cache_${event}`).execute(db);
  }
  await sql`drop table cache_invalidations`.execute(db);
  await sql`drop table cache_clock`.execute(db);
}
