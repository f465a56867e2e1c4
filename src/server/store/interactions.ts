import { setImmediate } from 'node:timers/promises';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { PersonRef } from '../../shared/schemas/common.js';
import type { Direction, Interaction, MessageStatus } from '../../shared/schemas/interaction.js';
import type { NewInteraction } from '../domain/logging.js';
import { writeAudit, type Actor } from './audit.js';
import type { Engine } from './connection.js';
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

/** As migration 0007's SQLite triggers write an entry's contact (`c`) and salesperson (`s`): the id's bytes in hex. */
const searchKeyToken = (kind: 'c' | 's', id: string) => `${kind}${Buffer.from(id, 'utf8').toString('hex')}`;

/** A search match: the entry's rowid (SQLite) or id (PostgreSQL), and its rank. */
interface MatchRow {
  entry: number | string;
  rank: number;
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
              kind: e.kind ?? 'email'
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

  async list(
    tenantId: string,
    filter: InteractionFilter
  ): Promise<{ items: Interaction[]; nextCursor: string | null }> {
    if (filter.words !== undefined) return this.search(tenantId, filter, filter.words);
    const rows = await keysetRows(
      this.filtered(tenantId, filter),
      { key: 'i.occurred_at', id: 'i.id', direction: 'desc', keyType: 'number' },
      filter
    );
    return pageOf(rows, filter.limit, (row) => ({ key: row.occurred_at, id: row.id }), toInteraction);
  }

  /**
   * Entries holding every word, best match first, then newest. The engine's full-text index finds the matches
   * and ranks them (rank: lower is better on both, bm25's sign; ts_rank is negated); the usual filters and the
   * scope apply on top. Pages are keyed by (rank, time, id): a rank is the same float each time it is computed
   * for an unchanged entry, so the cursor's comparison with it is exact.
   */
  private async search(
    tenantId: string,
    filter: InteractionFilter,
    words: readonly string[]
  ): Promise<{ items: Interaction[]; nextCursor: string | null }> {
    const after = decodeRankedCursor(filter.cursor);
    let query = this.filtered(tenantId, filter)
      .innerJoin((await this.matches(tenantId, filter, words)).as('m'), (j) =>
        j.on(sql<boolean>`${sql.ref('m.entry')} = ${sql.ref(this.engine === 'sqlite' ? 'i.rowid' : 'i.id')}`)
      )
      .select('m.rank');
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
    const rows = await query
      .orderBy('m.rank')
      .orderBy('i.occurred_at', 'desc')
      .orderBy('i.id', 'desc')
      .limit(filter.limit + 1)
      .execute();
    const hasMore = rows.length > filter.limit;
    const kept = hasMore ? rows.slice(0, filter.limit) : rows;
    const last = kept[kept.length - 1];
    return {
      items: kept.map(toInteraction),
      nextCursor:
        hasMore && last ? encodeRankedCursor({ rank: last.rank, occurredAt: last.occurred_at, id: last.id }) : null
    };
  }

  /**
   * The tenant's entries holding every word, each with its rank (lower is better) and its key to join on. On
   * SQLite, a search within one contact's or salesperson's history asks the index for their entries only (their
   * key tokens, migration 0007), so it costs what their matches cost, not what the whole tenant's do.
   */
  private async matches(
    tenantId: string,
    filter: InteractionFilter,
    words: readonly string[]
  ): Promise<RawBuilder<MatchRow>> {
    if (this.engine === 'sqlite') {
      // Each word as an FTS5 string (inner quotes doubled): words only, never operators, and only in the text
      // columns. Weights per column: subject, preview, body, people, keys (0: never ranks).
      const text = words.map((word) => `"${word.replaceAll('"', '""')}"`).join(' AND ');
      const key = await this.narrowestKey(tenantId, filter);
      if (key === null) return sql<MatchRow>`(select 0 as entry, 0 as rank where 0)`;
      const expression = `{subject preview body people} : (${text})${key ? ` AND keys : "${key}"` : ''}`;
      return sql<MatchRow>`(select rowid as entry, bm25(interactions_search, 4.0, 1.0, 1.0, 2.0, 0.0) as rank
        from interactions_search where interactions_search match ${expression})`;
    }
    return sql<MatchRow>`(select id as entry,
        (-ts_rank(search_document, plainto_tsquery('simple', ${words.join(' ')})))::float8 as rank
      from interactions
      where tenant_id = ${tenantId} and search_document @@ plainto_tsquery('simple', ${words.join(' ')}))`;
  }

  /**
   * The key token of the one contact or salesperson the filter is about (undefined: none; null: an address no
   * contact has, so nothing matches). The other filters and the scope are applied by the join.
   */
  private async narrowestKey(tenantId: string, filter: InteractionFilter): Promise<string | null | undefined> {
    let contactId = filter.contactId;
    if (contactId === undefined && filter.correspondent !== undefined) {
      const owner = await holderOf(this.db, 'contact_addresses', tenantId, filter.correspondent).executeTakeFirst();
      if (!owner) return null;
      contactId = owner.owner_id;
    }
    if (contactId !== undefined) return searchKeyToken('c', contactId);
    if (filter.salespersonId !== undefined) return searchKeyToken('s', filter.salespersonId);
    return undefined;
  }

  /** The entries the filter's plain conditions and scope let through, in no order. */
  private filtered(tenantId: string, filter: InteractionFilter) {
    let query = this.selectRows(tenantId, filter.scope);
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

  private selectRows(tenantId: string, scope: VisibilityScope) {
    const visible = scopedSalespersonIds(scope);
    const query = interactionRows(this.db, tenantId);
    return visible ? query.where('i.salesperson_id', 'in', visible) : query;
  }
}

/** Entries of a tenant joined to their contact (c), salesperson (s) and who logged them (lb), selecting nothing yet. */
export function interactionsWithPeople(db: Kysely<Database>, tenantId: string) {
  return db
    .selectFrom('interactions as i')
    .innerJoin('contacts as c', (j) => j.onRef('c.tenant_id', '=', 'i.tenant_id').onRef('c.id', '=', 'i.contact_id'))
    .innerJoin('salespeople as s', (j) =>
      j.onRef('s.tenant_id', '=', 'i.tenant_id').onRef('s.id', '=', 'i.salesperson_id')
    )
    .leftJoin('salespeople as lb', (j) =>
      j.onRef('lb.tenant_id', '=', 'i.tenant_id').onRef('lb.id', '=', 'i.logged_by')
    )
    .where('i.tenant_id', '=', tenantId);
}

/** Entries of a tenant with their people's names, as every reader of the log returns them (toInteraction). */
export function interactionRows(db: Kysely<Database>, tenantId: string) {
  return interactionsWithPeople(db, tenantId).select([
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
