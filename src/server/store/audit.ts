import type { Kysely, Transaction } from 'kysely';
import type { AuditEntry } from '../../shared/schemas/audit.js';
import { keysetRows, pageOf } from './cursor.js';
import { newId } from './ids.js';
import type { Database } from './schema.js';

/*
 * The audit log. Each store method that changes something writes its entries here inside its own
 * transaction, so a change and its record commit or roll back together. Entries name fields and ids,
 * never secrets and never message content.
 */

/** Who makes a change: the signed-in user (Entra object id and display name) or a named system actor. */
export interface Actor {
  userId: string;
  name: string;
}

export interface AuditRecord {
  action: string;
  entityType: string;
  entityId: string;
  changes?: Record<string, unknown>;
}

type Executor = Kysely<Database> | Transaction<Database>;

// Nine columns per row; 500 rows stay far below either engine's parameter cap.
const INSERT_CHUNK = 500;

/** Writes audit entries with the caller's executor (normally the transaction of the change itself). */
export async function writeAudit(
  executor: Executor,
  tenantId: string,
  actor: Actor | null,
  records: AuditRecord[],
  now: number = Date.now()
): Promise<void> {
  if (actor === null || records.length === 0) return;
  for (let start = 0; start < records.length; start += INSERT_CHUNK) {
    await executor
      .insertInto('audit_log')
      .values(
        records.slice(start, start + INSERT_CHUNK).map((record) => ({
          tenant_id: tenantId,
          id: newId(),
          at: now,
          actor_id: actor.userId,
          actor_name: actor.name,
          action: record.action,
          entity_type: record.entityType,
          entity_id: record.entityId,
          changes: JSON.stringify(record.changes ?? {})
        }))
      )
      .execute();
  }
}

/** The fields of `patch` that were given, for an entry's `changes`. */
export function givenFields(patch: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
}

export class AuditStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Records a change made outside the store (in the shared mailbox, say), on its own. */
  async record(tenantId: string, actor: Actor, records: AuditRecord[]): Promise<void> {
    await writeAudit(this.db, tenantId, actor, records);
  }

  /** Newest first, by keyset. */
  async list(
    tenantId: string,
    options: { limit: number; cursor?: string | undefined }
  ): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
    const rows = await keysetRows(
      this.db.selectFrom('audit_log').selectAll().where('tenant_id', '=', tenantId),
      { key: 'at', id: 'id', direction: 'desc', keyType: 'number' },
      options
    );
    return pageOf(
      rows,
      options.limit,
      (row) => ({ key: row.at, id: row.id }),
      (row) => ({
        id: row.id,
        at: new Date(row.at).toISOString(),
        actor: { id: row.actor_id, name: row.actor_name },
        action: row.action,
        entityType: row.entity_type,
        entityId: row.entity_id,
        changes: JSON.parse(row.changes) as Record<string, unknown>
      })
    );
  }
}
