import type { Kysely, Transaction } from 'kysely';
import type { PersonRef } from '../../shared/schemas/common.js';
import type {
  Opportunity,
  OpportunityChange,
  OpportunityCreate,
  OpportunityStatus,
  Stage
} from '../../shared/schemas/opportunity.js';
import type { OpportunityValues } from '../domain/opportunities.js';
import { writeAudit, type Actor } from './audit.js';
import { keysetRows, pageOf } from './cursor.js';
import { StoreConflict, StoreConstraint, StoreNotFound, type StoreField } from './errors.js';
import { exists, holderOf, type DirectoryStore } from './directory.js';
import { newId } from './ids.js';
import type { Database } from './schema.js';
import { inTransaction } from './unit-of-work.js';
import { scopedSalespersonIds, WHOLE_TENANT, type VisibilityScope } from './visibility.js';

export interface OpportunityFilter {
  /** Whose opportunities the caller may see (an opportunity is its owner's, as an entry is its salesperson's). */
  scope: VisibilityScope;
  contactId?: string | undefined;
  /** Normalized address of the contact. */
  correspondent?: string | undefined;
  salespersonId?: string | undefined;
  status?: OpportunityStatus | undefined;
  limit: number;
  cursor?: string | undefined;
}

const iso = (ms: number) => new Date(ms).toISOString();
const toMinor = (value: number | null) => (value === null ? null : Math.round(value * 100));

/** The columns an opportunity's values are kept in. */
function valueColumns(values: OpportunityValues) {
  return {
    description: values.description,
    stage: values.stage,
    status: values.status,
    estimated_value_minor: toMinor(values.estimatedValue),
    currency: values.currency,
    probability: values.probability,
    expected_close_date: values.expectedCloseDate,
    closed_at: values.closedAt,
    close_reason: values.closeReason
  };
}

export class OpportunityStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly directory: DirectoryStore
  ) {}

  /**
   * Creates the opportunity, owned by `owner`, and links entries within `scope` (others are "no interaction");
   * audited as the actor's, in the same transaction.
   */
  async create(
    tenantId: string,
    input: Pick<OpportunityCreate, 'contactId' | 'interactionIds'>,
    values: OpportunityValues,
    owner: PersonRef,
    actor: Actor | null,
    scope: VisibilityScope
  ): Promise<Opportunity> {
    const id = newId();
    await this.directory.ensureTenant(tenantId);
    await inTransaction(this.db, async (trx) => {
      if (!(await exists(trx, 'contacts', tenantId, input.contactId))) {
        throw new StoreConstraint('The contact does not exist.', [{ field: 'contactId', detail: 'names no contact' }]);
      }
      const now = Date.now();
      await trx
        .insertInto('opportunities')
        .values({
          tenant_id: tenantId,
          id,
          ...valueColumns(values),
          contact_id: input.contactId,
          salesperson_id: owner.id,
          created_by: actor?.userId ?? null,
          created_at: now,
          updated_at: now
        })
        .execute();
      await recordChange(trx, tenantId, id, null, values, actor, now);
      const linked = input.interactionIds ?? [];
      await this.link(trx, tenantId, id, input.contactId, linked, 'interactionIds', scope);
      await writeAudit(trx, tenantId, actor, [
        {
          action: 'opportunity.created',
          entityType: 'opportunity',
          entityId: id,
          changes: { ...values, contactId: input.contactId, salespersonId: owner.id, linkedInteractionIds: linked }
        }
      ]);
    });
    return this.get(tenantId, id, WHOLE_TENANT); // the creator may always read what they just created
  }

  /**
   * Applies `values` (already merged by the domain) and links more entries within `scope`, all or nothing,
   * with an audit entry naming the fields that changed.
   */
  async update(
    tenantId: string,
    id: string,
    values: OpportunityValues,
    linkInteractionIds: string[],
    actor: Actor | null,
    scope: VisibilityScope
  ): Promise<Opportunity> {
    await inTransaction(this.db, async (trx) => {
      let current = trx.selectFrom('opportunities').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id);
      const visible = scopedSalespersonIds(scope);
      if (visible) current = current.where('salesperson_id', 'in', visible);
      const before = await current.executeTakeFirst();
      if (!before) throw new StoreNotFound('The opportunity');
      const now = Date.now();
      await trx
        .updateTable('opportunities')
        .set({ ...valueColumns(values), updated_at: now })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .execute();
      await recordChange(trx, tenantId, id, before, values, actor, now);
      await this.link(trx, tenantId, id, before.contact_id, linkInteractionIds, 'linkInteractionIds', scope);
      await writeAudit(trx, tenantId, actor, [
        {
          action: 'opportunity.updated',
          entityType: 'opportunity',
          entityId: id,
          changes: {
            ...changedValues(before, values),
            ...(linkInteractionIds.length > 0 ? { linkedInteractionIds: linkInteractionIds } : {})
          }
        }
      ]);
    });
    return this.get(tenantId, id, scope);
  }

  /**
   * Links entries just logged from a message marked with this opportunity (X-Interaction-Log-Opportunity), and
   * audits the link or, with `refused`, why it was not made. The domain decided who may link; here only entries
   * with the opportunity's contact that belong to no opportunity yet are touched. Returns the ids linked.
   */
  async linkMarked(
    tenantId: string,
    opportunityId: string,
    interactionIds: string[],
    actor: Actor,
    refused?: { internetMessageId: string; reason: string }
  ): Promise<string[]> {
    return inTransaction(this.db, async (trx) => {
      let linked: string[] = [];
      if (!refused && interactionIds.length > 0) {
        const contact = trx
          .selectFrom('opportunities')
          .select('contact_id')
          .where('tenant_id', '=', tenantId)
          .where('id', '=', opportunityId);
        const rows = await trx
          .updateTable('interactions')
          .set({ opportunity_id: opportunityId })
          .where('tenant_id', '=', tenantId)
          .where('id', 'in', interactionIds)
          .where('opportunity_id', 'is', null)
          .where('contact_id', '=', contact)
          .returning('id')
          .execute();
        linked = rows.map((row) => row.id);
      }
      await writeAudit(trx, tenantId, actor, [
        {
          action: refused ? 'opportunity.mark-not-linked' : 'opportunity.linked-by-mark',
          entityType: 'opportunity',
          entityId: opportunityId,
          changes: refused ? { ...refused } : { linkedInteractionIds: linked }
        }
      ]);
      return linked;
    });
  }

  /** One opportunity; outside the scope it is as missing as an id of another tenant. */
  async get(tenantId: string, id: string, scope: VisibilityScope): Promise<Opportunity> {
    const row = await this.selectRows(tenantId, scope).where('o.id', '=', id).executeTakeFirst();
    if (!row) throw new StoreNotFound('The opportunity');
    const linked = await this.linkedInteractions(tenantId, [id]);
    return toOpportunity(row, linked.get(id) ?? []);
  }

  /** Its stage and status changes, newest first (the most recent `limit`); outside the scope it is missing. */
  async history(tenantId: string, id: string, scope: VisibilityScope, limit = 500): Promise<OpportunityChange[]> {
    const visible = await this.selectRows(tenantId, scope).select('o.id').where('o.id', '=', id).executeTakeFirst();
    if (!visible) throw new StoreNotFound('The opportunity');
    const rows = await this.db
      .selectFrom('opportunity_history')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('opportunity_id', '=', id)
      .orderBy('at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((row) => ({
      id: row.id,
      at: iso(Number(row.at)),
      by: row.actor_name === null ? null : { name: row.actor_name },
      fromStage: row.from_stage as Stage | null,
      toStage: row.to_stage as Stage,
      fromStatus: row.from_status,
      toStatus: row.to_status,
      reason: row.reason
    }));
  }

  async list(
    tenantId: string,
    filter: OpportunityFilter
  ): Promise<{ items: Opportunity[]; nextCursor: string | null }> {
    let query = this.selectRows(tenantId, filter.scope);
    if (filter.contactId !== undefined) query = query.where('o.contact_id', '=', filter.contactId);
    if (filter.correspondent !== undefined) {
      const address = filter.correspondent;
      query = query.where('o.contact_id', '=', holderOf(this.db, 'contact_addresses', tenantId, address));
    }
    if (filter.salespersonId !== undefined) query = query.where('o.salesperson_id', '=', filter.salespersonId);
    if (filter.status !== undefined) query = query.where('o.status', '=', filter.status);
    const rows = await keysetRows(
      query,
      { key: 'o.created_at', id: 'o.id', direction: 'desc', keyType: 'number' },
      filter
    );
    const linked = await this.linkedInteractions(
      tenantId,
      rows.slice(0, filter.limit).map((r) => r.id)
    );
    return pageOf(
      rows,
      filter.limit,
      (row) => ({ key: row.created_at, id: row.id }),
      (row) => toOpportunity(row, linked.get(row.id) ?? [])
    );
  }

  /** Points entries of the opportunity's contact at it; entries of another opportunity are refused. */
  private async link(
    trx: Transaction<Database>,
    tenantId: string,
    opportunityId: string,
    contactId: string,
    interactionIds: string[],
    /** The input that names them, for the refusal. */
    field: string,
    scope: VisibilityScope
  ): Promise<void> {
    if (interactionIds.length === 0) return;
    // Entries outside the caller's scope are "no interaction", exactly like missing ones.
    const visible = scopedSalespersonIds(scope);
    let query = trx
      .selectFrom('interactions')
      .select(['id', 'contact_id', 'opportunity_id'])
      .where('tenant_id', '=', tenantId)
      .where('id', 'in', interactionIds);
    if (visible) query = query.where('salesperson_id', 'in', visible);
    const found = await query.execute();
    const byId = new Map(found.map((row) => [row.id, row]));
    const refusals = (detail: (row: (typeof found)[number] | undefined) => string | null): StoreField[] =>
      interactionIds.flatMap((id, index) => {
        const refused = detail(byId.get(id));
        return refused === null ? [] : [{ field, index, detail: refused }];
      });
    const invalid = refusals((row) => {
      if (!row) return 'names no interaction';
      return row.contact_id === contactId ? null : 'is an interaction with another contact';
    });
    if (invalid.length > 0) {
      throw new StoreConstraint("Only existing interactions with the opportunity's contact can be linked.", invalid);
    }
    const taken = refusals((row) =>
      row?.opportunity_id && row.opportunity_id !== opportunityId
        ? `is linked to opportunity ${row.opportunity_id}`
        : null
    );
    if (taken.length > 0) {
      throw new StoreConflict('Some interactions already belong to another opportunity.', taken);
    }
    // The check above read a snapshot: a concurrent transaction may link an entry after it. The condition is
    // checked again on each row as it is written (PostgreSQL re-reads a row another transaction just changed),
    // so of two racing links one wins and the other gets the 409, rolling back its changes and their audit.
    const unique = [...new Set(interactionIds)];
    const linked = await trx
      .updateTable('interactions')
      .set({ opportunity_id: opportunityId })
      .where('tenant_id', '=', tenantId)
      .where('id', 'in', unique)
      .where((eb) => eb.or([eb('opportunity_id', 'is', null), eb('opportunity_id', '=', opportunityId)]))
      .executeTakeFirst();
    if (Number(linked.numUpdatedRows) !== unique.length) {
      throw new StoreConflict('Some interactions were just linked to another opportunity; reload and try again.', [
        { field, detail: 'names an interaction another opportunity took meanwhile' }
      ]);
    }
  }

  private async linkedInteractions(tenantId: string, opportunityIds: string[]): Promise<Map<string, string[]>> {
    const byOpportunity = new Map<string, string[]>();
    if (opportunityIds.length === 0) return byOpportunity;
    const rows = await this.db
      .selectFrom('interactions')
      .select(['id', 'opportunity_id'])
      .where('tenant_id', '=', tenantId)
      .where('opportunity_id', 'in', opportunityIds)
      .orderBy('occurred_at')
      .orderBy('id')
      .execute();
    for (const row of rows) {
      if (row.opportunity_id === null) continue;
      const list = byOpportunity.get(row.opportunity_id) ?? [];
      list.push(row.id);
      byOpportunity.set(row.opportunity_id, list);
    }
    return byOpportunity;
  }

  private selectRows(tenantId: string, scope: VisibilityScope) {
    const visible = scopedSalespersonIds(scope);
    const query = this.db
      .selectFrom('opportunities as o')
      .innerJoin('contacts as c', (j) => j.onRef('c.tenant_id', '=', 'o.tenant_id').onRef('c.id', '=', 'o.contact_id'))
      .innerJoin('salespeople as s', (j) =>
        j.onRef('s.tenant_id', '=', 'o.tenant_id').onRef('s.id', '=', 'o.salesperson_id')
      )
      .selectAll('o')
      .select([
        'c.name as contact_name',
        'c.email as contact_email',
        's.name as salesperson_name',
        's.email as salesperson_email'
      ])
      .where('o.tenant_id', '=', tenantId);
    return visible ? query.where('o.salesperson_id', 'in', visible) : query;
  }
}

/**
 * A history row when the stage or status changed (always at creation, `before` null). Ids are time-ordered
 * (UUID v7), so changes within one millisecond still read in order.
 */
async function recordChange(
  trx: Transaction<Database>,
  tenantId: string,
  opportunityId: string,
  before: Pick<Database['opportunities'], 'stage' | 'status' | 'close_reason'> | null,
  after: OpportunityValues,
  actor: Actor | null,
  now: number
): Promise<void> {
  if (before && before.stage === after.stage && before.status === after.status) return;
  await trx
    .insertInto('opportunity_history')
    .values({
      tenant_id: tenantId,
      id: newId(),
      opportunity_id: opportunityId,
      at: now,
      actor_id: actor?.userId ?? null,
      actor_name: actor?.name ?? null,
      from_stage: before?.stage ?? null,
      to_stage: after.stage,
      from_status: before?.status ?? null,
      to_status: after.status,
      reason: after.status === 'open' ? null : after.closeReason
    })
    .execute();
}

type OpportunityRow = Awaited<ReturnType<ReturnType<OpportunityStore['selectRows']>['executeTakeFirstOrThrow']>>;

/** The values an update changed, as { field: { from, to } }. */
function changedValues(before: Database['opportunities'], after: OpportunityValues): Record<string, unknown> {
  const pairs: Array<[string, unknown, unknown]> = [
    ['description', before.description, after.description],
    ['stage', before.stage, after.stage],
    ['status', before.status, after.status],
    ['estimatedValue', before.estimated_value_minor, toMinor(after.estimatedValue)],
    ['currency', before.currency, after.currency],
    ['probability', before.probability, after.probability],
    ['expectedCloseDate', before.expected_close_date, after.expectedCloseDate],
    ['closeReason', before.close_reason, after.closeReason]
  ];
  return Object.fromEntries(
    pairs
      .filter(([, from, to]) => from !== to)
      .map(([field, from, to]) =>
        field === 'estimatedValue'
          ? [field, { from: from === null ? null : Number(from) / 100, to: to === null ? null : Number(to) / 100 }]
          : [field, { from, to }]
      )
  );
}

function toOpportunity(row: OpportunityRow, interactionIds: string[]): Opportunity {
  return {
    id: row.id,
    description: row.description,
    contactId: row.contact_id,
    contact: { id: row.contact_id, name: row.contact_name, email: row.contact_email },
    salesperson: { id: row.salesperson_id, name: row.salesperson_name, email: row.salesperson_email },
    stage: row.stage as Stage,
    status: row.status,
    estimatedValue: row.estimated_value_minor === null ? null : row.estimated_value_minor / 100,
    currency: row.currency,
    probability: row.probability,
    expectedCloseDate: row.expected_close_date,
    interactionIds,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
    closedAt: row.closed_at === null ? null : iso(row.closed_at),
    closeReason: row.close_reason
  };
}
