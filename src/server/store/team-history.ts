import { setImmediate } from 'node:timers/promises';
import type { Kysely, SelectQueryBuilder } from 'kysely';
import { STAGES, type Stage } from '../../shared/limits.js';
import type { PersonRef } from '../../shared/schemas/common.js';
import type { Direction, Interaction, InteractionKind, InteractionSource } from '../../shared/schemas/interaction.js';
import { beyond, decodeCursor, pageOf, type Position } from './cursor.js';
import type { SnapshotReader } from './connection.js';
import type { Database, InteractionTable } from './schema.js';
import { inKeyOrder, interactionsWithPeople, rowsInOrder, toInteraction } from './interactions.js';
import type { VisibilityScope } from './visibility.js';

/*
 * The manager's team view: a team's interaction log with filters, its weekly activity and its open
 * opportunities by stage. Whose entries may be read is decided by the caller (the team rule and the
 * tenant's visibility) and handed in as a scope; the store never widens it.
 *
 * How a page is found, so that every page costs about the same however deep the cursor is:
 * - a contact or company filter walks those contacts' entries (interactions_contact_ix);
 * - otherwise, for a list of salespeople, each one's entries are read newest first from
 *   interactions_salesperson_ix, at most one page each, in one UNION ALL, and merged: k small index
 *   range reads instead of scanning the tenant's log for the rare rows of a small team;
 * - for the whole tenant, the tenant's log newest first (interactions_occurred_ix).
 */

export interface TeamHistoryFilter {
  scope: VisibilityScope;
  salespersonId?: string | undefined;
  contactId?: string | undefined;
  /** The contacts' company, exactly as stored. */
  company?: string | undefined;
  /** Inclusive lower bound, epoch ms. */
  from?: number | undefined;
  /** Exclusive upper bound, epoch ms. */
  to?: number | undefined;
  direction?: Direction | undefined;
  source?: InteractionSource | undefined;
}

export interface TeamPageOptions {
  limit: number;
  cursor?: string | undefined;
}

/** One line of the CSV export. */
export interface TeamExportRow {
  id: string;
  kind: InteractionKind;
  occurredAt: string;
  direction: Direction;
  source: InteractionSource;
  salespersonName: string;
  salespersonEmail: string;
  contactName: string;
  contactEmail: string;
  company: string | null;
  subject: string;
  preview: string;
  loggedByName: string | null;
  webLink: string | null;
  opportunityId: string | null;
}

export interface WeeklyActivity {
  /** Monday 00:00 UTC of each week, oldest first. */
  weeks: number[];
  /** salesperson id → one count per week (only salespeople with entries). */
  counts: Map<string, number[]>;
}

export interface StageTotals {
  stage: Stage;
  count: number;
  /** Per currency, in currency units. */
  values: Array<{ currency: string; amount: number }>;
}

export const WEEK_MS = 7 * 86_400_000;
/** 1970-01-05, the first Monday of the epoch: weeks are counted from it. */
const FIRST_MONDAY_MS = 4 * 86_400_000;

/** Monday 00:00 UTC of the week `at` falls in. */
export const weekStartOf = (at: number): number =>
  FIRST_MONDAY_MS + Math.floor((at - FIRST_MONDAY_MS) / WEEK_MS) * WEEK_MS;

const iso = (ms: number) => new Date(ms).toISOString();

interface Key {
  id: string;
  occurred_at: number;
}

/**
 * The most index walks merged for one page. A company with more contacts, or a team with more members,
 * is read from one walk instead (such a set is large enough for its rows to be frequent).
 */
const MAX_BRANCHES = 200;
/** Bound parameters per statement, below SQLite's 32,766 (PostgreSQL allows 65,535). */
const MAX_PARAMETERS = 30_000;

const newestFirst = (a: Key, b: Key) => b.occurred_at - a.occurred_at || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- Kysely's type of a query that selects nothing yet
type NothingSelected = {};
type InteractionQuery<O> = SelectQueryBuilder<Database & { i: InteractionTable }, 'i', O>;
type WalkQuery = InteractionQuery<NothingSelected>;

/** The index walks that together find a filter's entries (see walksOf). */
interface Walks {
  queries: WalkQuery[];
}

/** Keys an export reads from one walk at a time, at least. */
const EXPORT_WALK_CHUNK_MIN = 50;

/** A walk's next `count` keys after `after`, newest first. */
const keysAfter = (query: WalkQuery, after: Position<number> | null, count: number) => {
  const keyed = query.select(['i.id', 'i.occurred_at']);
  return (after ? keyed.where(beyond('i.occurred_at', 'i.id', after, 'desc')) : keyed)
    .orderBy('i.occurred_at', 'desc')
    .orderBy('i.id', 'desc')
    .limit(count);
};

export class TeamHistoryStore {
  /** `openSnapshot`, where the engine has one, gives each export a connection of its own (exportRows). */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly openSnapshot: (() => SnapshotReader) | null = null
  ) {}

  /** The filtered log, newest first, by keyset pages. */
  async list(
    tenantId: string,
    filter: TeamHistoryFilter,
    page: TeamPageOptions
  ): Promise<{ items: Interaction[]; nextCursor: string | null }> {
    const after = decodeCursor(page.cursor, 'number');
    const keys = await this.pageKeys(tenantId, filter, after, page.limit + 1);
    const rows = await rowsInOrder(this.db, tenantId, keys);
    return pageOf(rows, page.limit, (row) => ({ key: row.occurred_at, id: row.id }), toInteraction);
  }

  /**
   * The whole filtered log for export, newest first, a page at a time (memory stays bounded by pageSize). Only the
   * exported columns are read: a note's body (up to MAX_NOTE_BODY_LENGTH) would otherwise be loaded with every row.
   * On SQLite it reads through a snapshot reader of its own (connection.ts), closed when the pages end, fail, or
   * the iteration is returned: one consistent snapshot, and a cache that neither grows the server's memory by its
   * size nor evicts the history's hot pages. On PostgreSQL each page is a statement of its own on the pool, so a
   * paused download holds no connection; a page may then see rows committed after the export began, as a paged
   * listing does.
   */
  async *exportRows(tenantId: string, filter: TeamHistoryFilter, pageSize = 1000): AsyncGenerator<TeamExportRow[]> {
    if (this.openSnapshot) {
      const snapshot = this.openSnapshot();
      try {
        yield* new TeamHistoryStore(snapshot.db).exportRows(tenantId, filter, pageSize);
      } finally {
        await snapshot.close();
      }
      return;
    }
    for await (const keys of this.exportKeys(tenantId, filter, pageSize)) {
      const rows = await exportLines(this.db, tenantId).where('i.id', 'in', idsOf(keys)).execute();
      yield inKeyOrder(keys, rows).map(toExportRow);
    }
  }

  /**
   * Entries per salesperson per week (Monday-based, UTC) over [from, to). Counted a week at a time, with other
   * work let in between: over a whole organization one statement for a year would hold SQLite, and with it every
   * other request, for as long as it takes to count every entry of that year.
   */
  async weeklyActivity(
    tenantId: string,
    filter: TeamHistoryFilter & { from: number; to: number }
  ): Promise<WeeklyActivity> {
    const weeks: number[] = [];
    for (let week = weekStartOf(filter.from); week < filter.to; week += WEEK_MS) weeks.push(week);
    const counts = new Map<string, number[]>();
    const members = this.membersOf(filter);
    if (members !== 'tenant' && members.length === 0) return { weeks, counts };
    for (const [index, week] of weeks.entries()) {
      if (index > 0) await setImmediate();
      const rows = await this.filtered(tenantId, filter, members)
        .select(['i.salesperson_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('i.occurred_at', '>=', Math.max(week, filter.from))
        .where('i.occurred_at', '<', Math.min(week + WEEK_MS, filter.to))
        .groupBy('i.salesperson_id')
        .execute();
      for (const row of rows) {
        const series = counts.get(row.salesperson_id) ?? weeks.map(() => 0);
        series[index] = Number(row.n);
        counts.set(row.salesperson_id, series);
      }
    }
    return { weeks, counts };
  }

  /**
   * Open opportunities owned by the salespeople in view, by stage (every stage, in order) and currency.
   * The salesperson, contact and company filters apply; dates, direction and source describe emails, not these.
   */
  async openOpportunitiesByStage(tenantId: string, filter: TeamHistoryFilter): Promise<StageTotals[]> {
    const totals = STAGES.map((stage): StageTotals => ({ stage, count: 0, values: [] }));
    const members = this.membersOf(filter);
    if (members !== 'tenant' && members.length === 0) return totals;
    let query = this.db
      .selectFrom('opportunities as o')
      .select(['o.stage', 'o.currency'])
      .select((eb) => [
        eb.fn.countAll<number>().as('n'),
        eb.fn.sum<number | string | null>('o.estimated_value_minor').as('minor')
      ])
      .where('o.tenant_id', '=', tenantId)
      .where('o.status', '=', 'open');
    if (members !== 'tenant') query = query.where('o.salesperson_id', 'in', members);
    if (filter.contactId !== undefined) query = query.where('o.contact_id', '=', filter.contactId);
    if (filter.company !== undefined)
      query = query.where('o.contact_id', 'in', this.companyContacts(tenantId, filter.company));
    const rows = await query.groupBy(['o.stage', 'o.currency']).execute();
    for (const row of rows) {
      const total = totals.find((t) => t.stage === row.stage);
      if (!total) continue;
      total.count += Number(row.n);
      if (row.currency !== null && row.minor !== null) {
        total.values.push({ currency: row.currency, amount: Number(row.minor) / 100 });
      }
    }
    for (const total of totals) total.values.sort((a, b) => (a.currency < b.currency ? -1 : 1));
    return totals;
  }

  /** Name and address of salespeople, by name; the whole tenant's for the tenant scope. */
  async salespeople(tenantId: string, scope: VisibilityScope): Promise<PersonRef[]> {
    if (scope.kind === 'salespeople' && scope.salespersonIds.length === 0) return [];
    let query = this.db.selectFrom('salespeople').select(['id', 'name', 'email']).where('tenant_id', '=', tenantId);
    if (scope.kind === 'salespeople') query = query.where('id', 'in', [...scope.salespersonIds]);
    return query.orderBy('sort_key').orderBy('id').execute();
  }

  // --- internals ------------------------------------------------------------------------------

  /** The salespeople whose entries this filter may show: the scope narrowed by the salesperson filter. */
  private membersOf(filter: TeamHistoryFilter): readonly string[] | 'tenant' {
    const { scope, salespersonId } = filter;
    if (salespersonId === undefined) return scope.kind === 'tenant' ? 'tenant' : [...new Set(scope.salespersonIds)];
    return scope.kind === 'tenant' || scope.salespersonIds.includes(salespersonId) ? [salespersonId] : [];
  }

  private companyContacts(tenantId: string, company: string) {
    return this.db.selectFrom('contacts').select('id').where('tenant_id', '=', tenantId).where('company', '=', company);
  }

  /**
   * Every condition but the cursor. `any` leaves the salespeople to the caller, `byCompany` false the company
   * (each branch then names one salesperson, or one of the company's contacts).
   */
  private filtered(
    tenantId: string,
    filter: TeamHistoryFilter,
    members: readonly string[] | 'tenant' | 'any',
    byCompany = true
  ): InteractionQuery<NothingSelected> {
    let query: InteractionQuery<NothingSelected> = this.db
      .selectFrom('interactions as i')
      .where('i.tenant_id', '=', tenantId);
    if (members !== 'tenant' && members !== 'any') query = query.where('i.salesperson_id', 'in', [...members]);
    if (filter.contactId !== undefined) query = query.where('i.contact_id', '=', filter.contactId);
    if (filter.company !== undefined && byCompany) {
      query = query.where('i.contact_id', 'in', this.companyContacts(tenantId, filter.company));
    }
    if (filter.from !== undefined) query = query.where('i.occurred_at', '>=', filter.from);
    if (filter.to !== undefined) query = query.where('i.occurred_at', '<', filter.to);
    if (filter.direction !== undefined) query = query.where('i.direction', '=', filter.direction);
    if (filter.source !== undefined) query = query.where('i.source', '=', filter.source);
    return query;
  }

  /**
   * Which index walks find the filter's entries: one contact's entries; else each of a company's contacts';
   * else each salesperson's; else the whole filtered log (no branches). Null when nothing can match.
   */
  private async walksOf(tenantId: string, filter: TeamHistoryFilter): Promise<Walks | null> {
    const members = this.membersOf(filter);
    if (members !== 'tenant' && members.length === 0) return null;
    let byContacts: string[] = [];
    if (filter.contactId === undefined && filter.company !== undefined) {
      const contacts = await this.companyContacts(tenantId, filter.company)
        .limit(MAX_BRANCHES + 1)
        .execute();
      if (contacts.length === 0) return null;
      const parameters = contacts.length * (members === 'tenant' ? 10 : members.length + 10);
      if (contacts.length <= MAX_BRANCHES && parameters <= MAX_PARAMETERS) byContacts = contacts.map((c) => c.id);
    }
    const bySalespeople =
      byContacts.length === 0 &&
      filter.contactId === undefined &&
      members !== 'tenant' &&
      members.length <= MAX_BRANCHES;
    // A branch's own equality replaces the condition it stands for.
    const base = this.filtered(tenantId, filter, bySalespeople ? 'any' : members, byContacts.length === 0);
    const branches = bySalespeople
      ? (members as readonly string[]).map((value) => ({ column: 'i.salesperson_id' as const, value }))
      : byContacts.map((value) => ({ column: 'i.contact_id' as const, value }));
    return {
      queries: branches.length === 0 ? [base] : branches.map((b) => base.where(b.column, '=', b.value))
    };
  }

  /** The ids and times of the next `count` entries after `after`, newest first. */
  private async pageKeys(
    tenantId: string,
    filter: TeamHistoryFilter,
    after: Position<number> | null,
    count: number
  ): Promise<Key[]> {
    const walks = await this.walksOf(tenantId, filter);
    if (!walks) return [];
    if (walks.queries.length === 1) return keysAfter(walks.queries[0] as WalkQuery, after, count).execute();
    // One newest-first page per walk, in one statement, merged here.
    const [first, ...rest] = walks.queries.map((query) =>
      this.db.selectFrom(keysAfter(query, after, count).as('b')).selectAll()
    );
    if (!first) return [];
    const keys = await rest.reduce((all, branch) => all.unionAll(branch), first).execute();
    return keys.sort(newestFirst).slice(0, count);
  }

  /**
   * The filter's keys newest first, `count` at a time, for the export: each walk keeps its own position and is
   * read a chunk at a time as the merge needs it, so a page costs its own rows whatever the number of walks
   * (pageKeys reads a whole page from every walk to serve one page: 200 walks, 200 times the rows).
   */
  private async *exportKeys(tenantId: string, filter: TeamHistoryFilter, count: number): AsyncGenerator<Key[]> {
    const walks = await this.walksOf(tenantId, filter);
    if (!walks) return;
    const chunk = Math.max(EXPORT_WALK_CHUNK_MIN, Math.ceil(count / walks.queries.length));
    const heads = walks.queries.map((query) => ({ query, keys: [] as Key[], next: 0, done: false }));
    const refill = async (head: (typeof heads)[number]) => {
      const last = head.keys[head.keys.length - 1];
      const after = last ? { key: last.occurred_at, id: last.id } : null;
      head.keys = await keysAfter(head.query, after, chunk).execute();
      head.next = 0;
      head.done = head.keys.length < chunk;
    };
    for (const head of heads) await refill(head);
    for (;;) {
      const page: Key[] = [];
      while (page.length < count) {
        let newest: (typeof heads)[number] | null = null;
        for (const head of heads) {
          if (head.next >= head.keys.length && !head.done) await refill(head);
          const key = head.keys[head.next];
          if (key && (!newest || newestFirst(key, newest.keys[newest.next] as Key) < 0)) newest = head;
        }
        if (!newest) break;
        page.push(newest.keys[newest.next] as Key);
        newest.next += 1;
      }
      if (page.length > 0) yield page;
      if (page.length < count) return;
    }
  }
}

const idsOf = (keys: Key[]) => keys.map((k) => k.id);

/** Entries with what a line of the export shows (toExportRow), and nothing more. */
const exportLines = (db: Kysely<Database>, tenantId: string) =>
  interactionsWithPeople(db, tenantId).select([
    'i.id',
    'i.kind',
    'i.occurred_at',
    'i.direction',
    'i.source',
    's.name as salesperson_name',
    's.email as salesperson_email',
    'c.name as contact_name',
    'c.email as contact_email',
    'c.company as contact_company',
    'i.subject',
    'i.preview',
    'lb.name as lb_name',
    'i.web_link',
    'i.opportunity_id'
  ]);
type ExportLine = Awaited<ReturnType<ReturnType<typeof exportLines>['executeTakeFirstOrThrow']>>;

function toExportRow(row: ExportLine): TeamExportRow {
  return {
    id: row.id,
    kind: row.kind,
    occurredAt: iso(row.occurred_at),
    direction: row.direction,
    source: row.source,
    salespersonName: row.salesperson_name,
    salespersonEmail: row.salesperson_email,
    contactName: row.contact_name,
    contactEmail: row.contact_email,
    company: row.contact_company,
    subject: row.subject,
    preview: row.preview,
    loggedByName: row.lb_name,
    webLink: row.web_link,
    opportunityId: row.opportunity_id
  };
}
