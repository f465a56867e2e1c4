import { setImmediate } from 'node:timers/promises';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { PersonRef } from '../../shared/schemas/common.js';
import {
  SEARCH_CANDIDATES,
  type Direction,
  type Interaction,
  type InteractionSource,
  type MessageStatus
} from '../../shared/schemas/interaction.js';
import type { NewInteraction } from '../domain/logging.js';
import { writeAudit, type Actor } from './audit.js';
import { PLAN_FOR_VALUES, type Engine } from './connection.js';
import { decodeRankedCursor, encodeRankedCursor, keysetRows, pageOf } from './cursor.js';
import { StoreNotFound } from './errors.js';
import { holderOf, type DirectoryStore } from './directory.js';
import type { Database } from './schema.js';
import { inTransaction } from './unit-of-work.js';
import { scopedSalespersonIds, type VisibilityScope } from './visibility.js';

export interface InteractionFilter {
  /** Whose history the caller may see; applied in the query itself. */
  scope: VisibilityScope;
  /** Normalized address of the contact on the other side. */
  correspondent?: string | undefined;
  contactId?: string | undefined;
  salespersonId?: string | undefined;
  /** Entries linked to this opportunity (those the scope shows). */
  opportunityId?: string | undefined;
  conversationId?: string | undefined;
  /** Inclusive lower bound, epoch ms. */
  from?: number | undefined;
  /** Exclusive upper bound, epoch ms. */
  to?: number | undefined;
  direction?: Direction | undefined;
  /** The contacts' company, exactly as stored (the team view's filter). */
  company?: string | undefined;
  source?: InteractionSource | undefined;
  /** Words that must all occur (domain/search.ts made them): the entries come best match first, then newest. */
  words?: readonly string[] | undefined;
  limit: number;
  cursor?: string | undefined;
}

// SQLite binds at most 32,766 parameters per statement; 15 columns × 500 rows stays well below.
const INSERT_CHUNK = 500;
/** Links set by one statement: three parameters each. */
const LINK_CHUNK = 500;
/** Archived copies adopted by one statement: seven parameters each. */
const COPY_CHUNK = 300;

/** What the shared mailbox's archived copy of a message says; it replaces what the pane sent. */
export interface ArchivedCopy {
  internetMessageId: string;
  subject: string;
  preview: string;
  webLink: string | null;
}

/**
 * As migration 0013's SQLite triggers write an entry's tenant (`t`), contact (`c`) and salesperson (`s`): the id's
 * bytes in hex.
 */
const searchKeyToken = (kind: 't' | 'c' | 's', id: string) => `${kind}${Buffer.from(id, 'utf8').toString('hex')}`;
const tenantKeyOf = (tenantId: string) => `keys : ${ftsString(searchKeyToken('t', tenantId))}`;
/** A word or token as an FTS5 string: inner quotes doubled, so it is never read as an operator. */
const ftsString = (word: string) => `"${word.replaceAll('"', '""')}"`;
/** The first search rowid of a millisecond, as migration 0013 numbers them (computed by SQLite: 64-bit). */
const searchRowidOf = (ms: number) => sql`(max(min(${Math.trunc(ms)}, 140737488355327), -140737488355328) * 65536)`;

/** A search candidate: the entry's search rowid (SQLite) or id (PostgreSQL), its rank and the candidates' count. */
interface MatchRow {
  entry: number | string;
  rank: number;
  candidates: number | string;
}

/**
 * How much more a word counts in these columns of the search table than in the preview or a note's text, for a
 * search's rank (SQLite): each column costs a read of the index over the candidates, so those two are the base.
 */
const SEARCH_COLUMN_WEIGHTS = [
  ['subject', 3],
  ['people', 1]
] as const;

/** What narrows a search before its cap: the contact, the salesperson, the scope's salespeople (null: all). */
interface Narrowing {
  contactId: string | undefined;
  salespersonId: string | undefined;
  visible: string[] | null;
}

/** A page of search results; searchCapped: the newest SEARCH_CANDIDATES matches were all that was ranked. */
export interface SearchPage {
  items: Interaction[];
  nextCursor: string | null;
  searchCapped?: boolean;
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The interaction log: written only through insertNew, read newest first by keyset. */
export class InteractionStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly directory: DirectoryStore,
    private readonly engine: Engine
  ) {}

  /**
   * Writes the entries that do not exist yet, all or nothing, and returns those this call created.
   * The unique key (tenant, message, contact, salesperson) makes repeats and races harmless.
   * Each created entry is audited as the actor's; with no actor (automatic logging, whose runs are
   * recorded in mailbox_runs, or the demo seed) nothing is audited.
   */
  async insertNew(tenantId: string, entries: NewInteraction[], actor: Actor | null = null): Promise<Interaction[]> {
    if (entries.length === 0) return [];
    await this.directory.ensureTenant(tenantId);
    const createdIds = await inTransaction(this.db, async (trx) => {
      const ids = new Set<string>();
      for (let start = 0; start < entries.length; start += INSERT_CHUNK) {
        // SQLite runs the chunks synchronously: a call with thousands of entries would hold every other request.
        if (start > 0) await setImmediate();
        const chunk = entries.slice(start, start + INSERT_CHUNK);
        const rows = await trx
          .insertInto('interactions')
          .values(
            chunk.map((e) => ({
              tenant_id: tenantId,
              id: e.id,
              internet_message_id: e.internetMessageId,
              conversation_id: e.conversationId,
              occurred_at: e.occurredAt,
              direction: e.direction,
              subject: e.subject,
              preview: e.preview,
              contact_id: e.contact.id,
              salesperson_id: e.salesperson.id,
              source: e.source,
              web_link: e.webLink,
              logged_by: e.loggedBy?.id ?? null,
              logged_at: e.loggedAt,
              opportunity_id: null,
              kind: e.kind ?? 'email',
              body: e.body ?? null,
              ical_uid: e.iCalUId ?? null
            }))
          )
          // Any unique key: (message, contact, salesperson) for emails, (iCalUId, contact, salesperson) for meetings.
          .onConflict((oc) => oc.doNothing())
          .returning('id')
          .execute();
        const createdHere = new Set(rows.map((row) => row.id));
        for (const id of createdHere) ids.add(id);
        const created = chunk.filter((e) => createdHere.has(e.id));
        await writeAudit(
          trx,
          tenantId,
          actor,
          created.map((e) => ({
            action: 'interaction.logged',
            entityType: 'interaction',
            entityId: e.id,
            changes: {
              internetMessageId: e.internetMessageId,
              contactId: e.contact.id,
              salespersonId: e.salesperson.id,
              source: e.source,
              kind: e.kind ?? 'email',
              ...(e.sharedMailbox ? { sharedMailbox: e.sharedMailbox } : {})
            }
          }))
        );
      }
      return ids;
    });
    return entries.filter((e) => createdIds.has(e.id)).map(fromNew);
  }

  /** Points the shared mailbox's entries for each message at where it was filed (the Archive folder's copy). */
  async setMailboxWebLinks(
    tenantId: string,
    links: Array<{ internetMessageId: string; webLink: string | null }>
  ): Promise<void> {
    if (links.length === 0) return;
    // One statement per chunk of links (a CASE over the message ids), not one per link: a page of the shared
    // mailbox sets hundreds at a time.
    await inTransaction(this.db, async (trx) => {
      for (let start = 0; start < links.length; start += LINK_CHUNK) {
        const chunk = links.slice(start, start + LINK_CHUNK);
        const cases = sql.join(
          chunk.map((link) => sql`when ${link.internetMessageId} then ${link.webLink}`),
          sql` `
        );
        await trx
          .updateTable('interactions')
          .set({ web_link: sql<string | null>`case internet_message_id ${cases} else web_link end` })
          .where('tenant_id', '=', tenantId)
          .where(
            'internet_message_id',
            'in',
            chunk.map((link) => link.internetMessageId)
          )
          .where('source', '=', 'mailbox')
          .execute();
      }
    });
  }

  /**
   * The shared mailbox's copy of each message is authoritative: every entry of the message (the pane's too) takes
   * its subject, preview and archived link. One statement per chunk, a CASE over the message ids per column.
   */
  async adoptArchivedCopies(tenantId: string, copies: ArchivedCopy[]): Promise<void> {
    if (copies.length === 0) return;
    await inTransaction(this.db, async (trx) => {
      for (let start = 0; start < copies.length; start += COPY_CHUNK) {
        const chunk = copies.slice(start, start + COPY_CHUNK);
        const column = <K extends 'subject' | 'preview' | 'webLink'>(key: K) =>
          sql.join(
            chunk.map((copy) => sql`when ${copy.internetMessageId} then ${copy[key]}`),
            sql` `
          );
        await trx
          .updateTable('interactions')
          .set({
            subject: sql<string>`case internet_message_id ${column('subject')} else subject end`,
            preview: sql<string>`case internet_message_id ${column('preview')} else preview end`,
            web_link: sql<string | null>`case internet_message_id ${column('webLink')} else web_link end`
          })
          .where('tenant_id', '=', tenantId)
          .where(
            'internet_message_id',
            'in',
            chunk.map((copy) => copy.internetMessageId)
          )
          .execute();
      }
    });
  }

  /**
   * The shared mailbox's entries' text and link for each of these messages it logged, by message id; only from
   * entries within the scope, so nobody reads a hidden entry's text by logging its message id.
   */
  async mailboxCopies(
    tenantId: string,
    internetMessageIds: string[],
    scope: VisibilityScope
  ): Promise<Map<string, Omit<ArchivedCopy, 'internetMessageId'>>> {
    const copies = new Map<string, Omit<ArchivedCopy, 'internetMessageId'>>();
    const visible = scopedSalespersonIds(scope);
    for (let start = 0; start < internetMessageIds.length; start += COPY_CHUNK) {
      let query = this.db
        .selectFrom('interactions')
        .select(['internet_message_id', 'subject', 'preview', 'web_link'])
        .where('tenant_id', '=', tenantId)
        .where('internet_message_id', 'in', internetMessageIds.slice(start, start + COPY_CHUNK))
        .where('source', '=', 'mailbox');
      if (visible) query = query.where('salesperson_id', 'in', visible);
      const rows = await query.execute();
      for (const row of rows) {
        copies.set(row.internet_message_id, { subject: row.subject, preview: row.preview, webLink: row.web_link });
      }
    }
    return copies;
  }

  /**
   * Message ids of shared-mailbox entries logged since `sinceMs` that still have no link: their message was
   * being filed when the processor's process died. Only asked after such a crash (it reads the tenant's
   * entries of that period without an index of its own).
   */
  async mailboxEntriesWithoutLink(tenantId: string, sinceMs: number, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('interactions')
      .select('internet_message_id')
      .distinct()
      .where('tenant_id', '=', tenantId)
      .where('source', '=', 'mailbox')
      .where('web_link', 'is', null)
      .where('logged_at', '>=', sinceMs)
      .limit(limit)
      .execute();
    return rows.map((row) => row.internet_message_id);
  }

  /** One entry; outside the scope it is as missing as an id of another tenant. */
  async get(tenantId: string, id: string, scope: VisibilityScope): Promise<Interaction> {
    const row = await this.selectRows(tenantId, scope).where('i.id', '=', id).executeTakeFirst();
    if (!row) throw new StoreNotFound('The interaction');
    return toInteraction(row);
  }

  async list(tenantId: string, filter: InteractionFilter): Promise<SearchPage> {
    if (filter.words !== undefined) return this.search(tenantId, filter, filter.words);
    const rows = await keysetRows(
      this.filtered(tenantId, filter),
      { key: 'i.occurred_at', id: 'i.id', direction: 'desc', keyType: 'number' },
      filter
    );
    return pageOf(rows, filter.limit, (row) => ({ key: row.occurred_at, id: row.id }), toInteraction);
  }

  /**
   * Entries holding every word, best match first, then newest, among the newest SEARCH_CANDIDATES matches. The
   * engine's full-text index finds the matches and ranks them (rank: lower is better on both, bm25's sign;
   * ts_rank is negated); the usual filters and the scope apply on top. Pages are keyed by (rank, time, id): a rank
   * is the same float each time it is computed for an unchanged entry, so the cursor's comparison with it is exact.
   */
  private async search(tenantId: string, filter: InteractionFilter, words: readonly string[]): Promise<SearchPage> {
    const after = decodeRankedCursor(filter.cursor);
    let query = this.filtered(tenantId, filter, this.engine === 'sqlite')
      .innerJoin((await this.candidates(tenantId, filter, words)).as('m'), (j) =>
        j.on(sql<boolean>`${sql.ref('m.entry')} = ${sql.ref(this.engine === 'sqlite' ? 'i.search_rowid' : 'i.id')}`)
      )
      .clearSelect()
      .select(['i.id', 'i.occurred_at', 'm.rank', 'm.candidates']);
    if (after) {
      query = query.where((eb) =>
        eb.or([
          eb('m.rank', '>', after.rank),
          eb.and([
            eb('m.rank', '=', after.rank),
            eb.or([
              eb('i.occurred_at', '<', after.occurredAt),
              eb.and([eb('i.occurred_at', '=', after.occurredAt), eb('i.id', '<', after.id)])
            ])
          ])
        ])
      );
    }
    // The page is chosen from the candidates' keys, and only its entries are read whole with their people: sorting
    // 2,000 whole rows took three times as long.
    const keys = await query
      .orderBy('m.rank')
      .orderBy('i.occurred_at', 'desc')
      .orderBy('i.id', 'desc')
      .limit(filter.limit + 1)
      .execute();
    const hasMore = keys.length > filter.limit;
    const kept = hasMore ? keys.slice(0, filter.limit) : keys;
    const rows = await rowsInOrder(this.db, tenantId, kept);
    const last = kept[kept.length - 1];
    return {
      items: rows.map(toInteraction),
      nextCursor:
        hasMore && last ? encodeRankedCursor({ rank: last.rank, occurredAt: last.occurred_at, id: last.id }) : null,
      searchCapped: Number(keys[0]?.candidates ?? 0) >= SEARCH_CANDIDATES
    };
  }

  /**
   * The newest SEARCH_CANDIDATES entries holding every word, of the tenant, the scope, the contact or salesperson
   * asked about and the time range (the other filters apply after), each with its rank (lower is better), its key
   * to join on and how many candidates there were.
   */
  private async candidates(
    tenantId: string,
    filter: InteractionFilter,
    words: readonly string[]
  ): Promise<RawBuilder<MatchRow>> {
    const people = await this.searchedPeople(tenantId, filter);
    if (people === null) return sql<MatchRow>`(select null as entry, 0.0 as rank, 0 as candidates where 1 = 0)`;
    const narrowing = { ...people, salespersonId: filter.salespersonId, visible: scopedSalespersonIds(filter.scope) };
    return this.engine === 'sqlite'
      ? this.sqliteCandidates(tenantId, filter, words, narrowing)
      : this.postgresCandidates(tenantId, filter, words, narrowing);
  }

  /**
   * SQLite matches the tenant, the people and the scope as key tokens and the time range as a rowid range
   * (migration 0013), and reads the index newest first until it has the candidates: a word in a sixth of a million
   * entries costs what 2,000 cost. The tenant's token, as long as the tenant's log, slows every AND it is in
   * (15 ms at a million entries): it is asked for only to pick the candidates, when nothing narrower is (the ids in
   * the contact's and salespeople's tokens are unique across tenants) and the store holds other tenants. The
   * candidates' rowid range is then read again without it; the join applies the tenant in any case.
   *
   * Not bm25: it weighs each word by how rare it is, and counts every entry holding it to know (20–40 ms for a word
   * in a million entries, on every search). A candidate's rank is instead where its words are: a word in the
   * subject counts 4, in the people 2, elsewhere 1 (SEARCH_COLUMN_WEIGHTS over that base), read from the index over
   * the candidates' rowids only; ties go to the newest.
   */
  private async sqliteCandidates(
    tenantId: string,
    filter: InteractionFilter,
    words: readonly string[],
    { contactId, salespersonId, visible }: Narrowing
  ): Promise<RawBuilder<MatchRow>> {
    // Each word and token as an FTS5 string: words only, never operators, and only in the text columns.
    const text = `{subject preview body people} : (${words.map(ftsString).join(' AND ')})`;
    const keys = [
      ...(contactId === undefined ? [] : [`keys : ${ftsString(searchKeyToken('c', contactId))}`]),
      ...(salespersonId === undefined ? [] : [`keys : ${ftsString(searchKeyToken('s', salespersonId))}`]),
      ...(visible ? [`keys : (${visible.map((id) => ftsString(searchKeyToken('s', id))).join(' OR ')})`] : [])
    ];
    // The tenant's token only picks the candidates, and only where other tenants' entries could take their place.
    const tenantKey = keys.length === 0 && (await this.hasOtherTenants(tenantId)) ? [tenantKeyOf(tenantId)] : [];
    const match = (parts: string[]) => sql`interactions_search match ${parts.join(' AND ')}`;
    const to = filter.to === undefined ? [] : [sql`rowid < ${searchRowidOf(filter.to)}`];
    const from = filter.from === undefined ? [] : [sql`rowid >= ${searchRowidOf(filter.from)}`];
    // The oldest candidate's rowid as text: it is beyond a JavaScript number's exact integers.
    const newest = await sql<{ count: number; oldest: string | null }>`select count(*) as count,
        cast(min(entry) as text) as oldest
      from (select rowid as entry from interactions_search
            where ${sql.join([match([text, ...keys, ...tenantKey]), ...from, ...to], sql` and `)}
            order by rowid desc limit ${sql.lit(SEARCH_CANDIDATES)})`.execute(this.db);
    const { count, oldest } = newest.rows[0] ?? { count: 0, oldest: null };
    if (oldest === null) return sql<MatchRow>`(select null as entry, 0.0 as rank, 0 as candidates where 1 = 0)`;
    const range = [sql`rowid >= cast(${oldest} as integer)`, ...to];
    const score = words.flatMap((word) =>
      SEARCH_COLUMN_WEIGHTS.map(
        ([column, weight]) =>
          sql`${sql.lit(weight)} * (rowid in (select rowid from interactions_search
            where ${sql.join([match([`${column} : ${ftsString(word)}`, text, ...keys]), ...range], sql` and `)}))`
      )
    );
    return sql<MatchRow>`(select rowid as entry, -(${sql.join(score, sql` + `)}) as rank, ${sql.lit(count)} as candidates
      from interactions_search
      where ${sql.join([match([text, ...keys]), ...range], sql` and `)})`;
  }

  /** Whether the store holds a tenant besides this one (the embedded store usually holds one). */
  private async hasOtherTenants(tenantId: string): Promise<boolean> {
    const other = await this.db
      .selectFrom('tenants')
      .select('id')
      .where('id', '<>', tenantId)
      .limit(1)
      .executeTakeFirst();
    return other !== undefined;
  }

  /** PostgreSQL reads the GIN index's matches and keeps the newest (interactions_occurred_ix orders them). */
  private async postgresCandidates(
    tenantId: string,
    filter: InteractionFilter,
    words: readonly string[],
    { contactId, salespersonId, visible }: Narrowing
  ): Promise<RawBuilder<MatchRow>> {
    const query = sql`plainto_tsquery('simple', ${words.join(' ')})`;
    const conditions = [
      sql`tenant_id = ${tenantId}`,
      sql`search_document @@ ${query}`,
      ...(contactId === undefined ? [] : [sql`contact_id = ${contactId}`]),
      ...(salespersonId === undefined ? [] : [sql`salesperson_id = ${salespersonId}`]),
      ...(visible ? [sql`salesperson_id in (${sql.join(visible)})`] : []),
      ...(filter.from === undefined ? [] : [sql`occurred_at >= ${filter.from}`]),
      ...(filter.to === undefined ? [] : [sql`occurred_at < ${filter.to}`])
    ];
    // The rank is computed outside the limit, for the kept candidates only. They are read first and handed to the
    // page's query as arrays: joined as a subquery, a fresh table without statistics got a nested loop that
    // scanned the tenant's log once per candidate (seconds for 2,000).
    const found = await sql<{
      entry: string;
      rank: number;
    }>`${sql.raw(PLAN_FOR_VALUES)}select entry, (-ts_rank(document, ${query}))::float8 as rank
      from (select id as entry, search_document as document from interactions
            where ${sql.join(conditions, sql` and `)}
            order by occurred_at desc, id desc limit ${SEARCH_CANDIDATES}) newest`.execute(this.db);
    const entries = found.rows.map((row) => row.entry);
    const ranks = found.rows.map((row) => row.rank);
    return sql<MatchRow>`(select entry, rank, ${sql.lit(found.rows.length)} as candidates
      from unnest(${entries}::text[], ${ranks}::float8[]) as found (entry, rank))`;
  }

  /** The contact a search is about, by id or address (null: an address no contact has, so nothing matches). */
  private async searchedPeople(
    tenantId: string,
    filter: InteractionFilter
  ): Promise<{ contactId: string | undefined } | null> {
    if (filter.contactId !== undefined || filter.correspondent === undefined) return { contactId: filter.contactId };
    const owner = await holderOf(this.db, 'contact_addresses', tenantId, filter.correspondent).executeTakeFirst();
    return owner ? { contactId: owner.owner_id } : null;
  }

  /**
   * The entries the filter's plain conditions and scope let through, in no order. `fromCandidates`: the query
   * joins a search's candidates, which SQLite must read first (interactionRows).
   */
  private filtered(tenantId: string, filter: InteractionFilter, fromCandidates = false) {
    let query = this.selectRows(tenantId, filter.scope, fromCandidates);
    if (filter.correspondent !== undefined) {
      const address = filter.correspondent;
      // `=`, not `in` (holderOf): with `in` SQLite scanned the tenant's whole log newest first (130 ms at a
      // million entries).
      query = query.where('i.contact_id', '=', holderOf(this.db, 'contact_addresses', tenantId, address));
    }
    if (filter.contactId !== undefined) query = query.where('i.contact_id', '=', filter.contactId);
    if (filter.salespersonId !== undefined) query = query.where('i.salesperson_id', '=', filter.salespersonId);
    if (filter.opportunityId !== undefined) query = query.where('i.opportunity_id', '=', filter.opportunityId);
    if (filter.conversationId !== undefined) query = query.where('i.conversation_id', '=', filter.conversationId);
    if (filter.from !== undefined) query = query.where('i.occurred_at', '>=', filter.from);
    if (filter.to !== undefined) query = query.where('i.occurred_at', '<', filter.to);
    if (filter.direction !== undefined) query = query.where('i.direction', '=', filter.direction);
    if (filter.company !== undefined) query = query.where('c.company', '=', filter.company);
    if (filter.source !== undefined) query = query.where('i.source', '=', filter.source);
    return query;
  }

  /** For each message id asked about, whether it is logged within the scope, and by whom first. */
  async status(tenantId: string, internetMessageIds: string[], scope: VisibilityScope): Promise<MessageStatus[]> {
    const visible = scopedSalespersonIds(scope);
    let query = this.db
      .selectFrom('interactions as i')
      .leftJoin('salespeople as lb', (j) =>
        j.onRef('lb.tenant_id', '=', 'i.tenant_id').onRef('lb.id', '=', 'i.logged_by')
      )
      .select(['i.internet_message_id', 'i.logged_at', 'lb.id as lb_id', 'lb.name as lb_name', 'lb.email as lb_email'])
      .where('i.tenant_id', '=', tenantId)
      .where('i.internet_message_id', 'in', internetMessageIds);
    if (visible) query = query.where('i.salesperson_id', 'in', visible);
    const rows = await query.orderBy('i.logged_at').orderBy('i.id').execute();
    const first = new Map<string, (typeof rows)[number]>();
    for (const row of rows) if (!first.has(row.internet_message_id)) first.set(row.internet_message_id, row);
    return internetMessageIds.map((internetMessageId) => {
      const row = first.get(internetMessageId);
      return {
        internetMessageId,
        logged: row !== undefined,
        loggedBy: row ? personOrNull(row.lb_id, row.lb_name, row.lb_email) : null,
        loggedAt: row ? iso(row.logged_at) : null
      };
    });
  }

  private selectRows(tenantId: string, scope: VisibilityScope, fromCandidates = false) {
    const visible = scopedSalespersonIds(scope);
    const query = interactionRows(this.db, tenantId, fromCandidates);
    return visible ? query.where('i.salesperson_id', 'in', visible) : query;
  }
}

/**
 * Entries of a tenant joined to their contact (c), salesperson (s) and who logged them (lb), selecting nothing yet.
 * `fromCandidates` (SQLite only): the tenant is compared as `+tenant_id`, which no index serves. A search joins its
 * 2,000 candidates, to be read first and looked up by search_rowid; without statistics (the store keeps none) the
 * planner takes a tenant's index for ten rows and scanned the whole log instead, probing the candidates (8 s at a
 * million entries).
 */
export function interactionsWithPeople(db: Kysely<Database>, tenantId: string, fromCandidates = false) {
  return db
    .selectFrom('interactions as i')
    .innerJoin('contacts as c', (j) => j.onRef('c.tenant_id', '=', 'i.tenant_id').onRef('c.id', '=', 'i.contact_id'))
    .innerJoin('salespeople as s', (j) =>
      j.onRef('s.tenant_id', '=', 'i.tenant_id').onRef('s.id', '=', 'i.salesperson_id')
    )
    .leftJoin('salespeople as lb', (j) =>
      j.onRef('lb.tenant_id', '=', 'i.tenant_id').onRef('lb.id', '=', 'i.logged_by')
    )
    .where(fromCandidates ? sql<string>`+${sql.ref('i.tenant_id')}` : sql.ref('i.tenant_id'), '=', tenantId);
}

/** The rows found for the keys, in the keys' order (an entry deleted since its key was read is left out). */
export function inKeyOrder<R extends { id: string }>(keys: ReadonlyArray<{ id: string }>, rows: R[]): R[] {
  const byId = new Map(rows.map((row) => [row.id, row]));
  return keys.map((k) => byId.get(k.id)).filter((row): row is R => row !== undefined);
}

/** The full rows of the keys, in the keys' order (an entry deleted since its key was read is left out). */
export async function rowsInOrder(
  db: Kysely<Database>,
  tenantId: string,
  keys: ReadonlyArray<{ id: string }>
): Promise<InteractionRow[]> {
  if (keys.length === 0) return [];
  const rows = await interactionRows(db, tenantId)
    .where(
      'i.id',
      'in',
      keys.map((k) => k.id)
    )
    .execute();
  return inKeyOrder(keys, rows);
}

/** Entries of a tenant with their people's names, as every reader of the log returns them (toInteraction). */
export function interactionRows(db: Kysely<Database>, tenantId: string, fromCandidates = false) {
  return interactionsWithPeople(db, tenantId, fromCandidates).select([
    'i.id',
    'i.occurred_at',
    'i.direction',
    'i.subject',
    'i.preview',
    'i.contact_id',
    'c.name as contact_name',
    'c.email as contact_email',
    'c.company as contact_company',
    'i.salesperson_id',
    's.name as salesperson_name',
    's.email as salesperson_email',
    'i.source',
    'i.internet_message_id',
    'i.conversation_id',
    'i.web_link',
    'lb.id as lb_id',
    'lb.name as lb_name',
    'lb.email as lb_email',
    'i.logged_at',
    'i.opportunity_id',
    'i.kind',
    'i.body'
  ]);
}

export type InteractionRow = Awaited<ReturnType<ReturnType<typeof interactionRows>['executeTakeFirstOrThrow']>>;

function personOrNull(id: string | null, name: string | null, email: string | null): PersonRef | null {
  return id === null ? null : { id, name: name ?? '', email: email ?? '' };
}

export function toInteraction(row: InteractionRow): Interaction {
  const note = row.kind === 'note';
  return {
    id: row.id,
    kind: row.kind,
    occurredAt: iso(row.occurred_at),
    direction: row.direction,
    subject: row.subject,
    preview: row.preview,
    contact: { id: row.contact_id, name: row.contact_name, email: row.contact_email },
    salesperson: { id: row.salesperson_id, name: row.salesperson_name, email: row.salesperson_email },
    source: row.source,
    internetMessageId: row.kind === 'email' ? row.internet_message_id : null,
    conversationId: row.conversation_id,
    webLink: row.web_link,
    loggedBy: personOrNull(row.lb_id, row.lb_name, row.lb_email),
    loggedAt: iso(row.logged_at),
    opportunityId: row.opportunity_id,
    ...(note ? { body: row.body ?? '' } : {})
  };
}

function fromNew(e: NewInteraction): Interaction {
  const note = e.kind === 'note';
  return {
    id: e.id,
    kind: e.kind ?? 'email',
    occurredAt: iso(e.occurredAt),
    direction: e.direction,
    subject: e.subject,
    preview: e.preview,
    contact: e.contact,
    salesperson: e.salesperson,
    source: e.source,
    internetMessageId: (e.kind ?? 'email') === 'email' ? e.internetMessageId : null,
    conversationId: e.conversationId,
    webLink: e.webLink,
    loggedBy: e.loggedBy,
    loggedAt: iso(e.loggedAt),
    opportunityId: null,
    ...(note ? { body: e.body ?? '' } : {})
  };
}
