import type { Kysely } from 'kysely';

/*
 * Opportunities keep the reason they were closed with, and a history of their stage and status changes
 * (who, when, from → to), written in the same transaction as the change itself.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's table types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('opportunities').addColumn('close_reason', 'text').execute();

  await db.schema
    .createTable('opportunity_history')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('opportunity_id', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text')
    .addColumn('from_stage', 'text')
    .addColumn('to_stage', 'text', (c) => c.notNull())
    .addColumn('from_status', 'text')
    .addColumn('to_status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addPrimaryKeyConstraint('opportunity_history_pk', ['tenant_id', 'id'])
    .addForeignKeyConstraint('opportunity_history_opportunity_fk', ['tenant_id', 'opportunity_id'], 'opportunities', [
      'tenant_id',
      'id'
    ])
    .execute();
  await db.schema
    .createIndex('opportunity_history_ix')
    .on('opportunity_history')
    .columns(['tenant_id', 'opportunity_id', 'at', 'id'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('opportunity_history').execute();
  await db.schema.alterTable('opportunities').dropColumn('close_reason').execute();
}
