import type { Kysely } from 'kysely';

/*
 * Security: the tenant's history visibility, kept on the tenant's own row (mailbox settings have their own
 * table; this one setting is about the whole tenant), and the audit log of who changed what, when.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's table types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable('tenants')
    .addColumn('history_visibility', 'text', (c) => c.notNull().defaultTo('organization'))
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor_id', 'text', (c) => c.notNull())
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('changes', 'text', (c) => c.notNull().defaultTo('{}'))
    .addPrimaryKeyConstraint('audit_log_pk', ['tenant_id', 'id'])
    .execute();
  // Newest first, by keyset.
  await db.schema.createIndex('audit_log_at_ix').on('audit_log').columns(['tenant_id', 'at', 'id']).execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('audit_log').execute();
  await db.schema.alterTable('tenants').dropColumn('history_visibility').execute();
}
