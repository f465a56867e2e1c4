import type { Kysely } from 'kysely';

/*
 * Near real time for the shared mailbox: per mailbox, Graph's delta link for its Inbox (the catch-up cursor),
 * "dirty" (a change notification arrived; the mailbox needs a delta run) and its change-notification subscription
 * (Graph's id, when it expires, and a SHA-256 of the per-subscription clientState secret: the secret itself is
 * never stored).
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's table types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('mailbox_sync')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('mailbox_address', 'text', (c) => c.notNull())
    .addColumn('delta_link', 'text')
    .addColumn('dirty_since', 'bigint')
    .addColumn('subscription_id', 'text')
    .addColumn('client_state_hash', 'text')
    .addColumn('subscription_expires_at', 'bigint')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('mailbox_sync_pk', ['tenant_id', 'mailbox_address'])
    .execute();
  await db.schema
    .createIndex('mailbox_sync_subscription_ix')
    .on('mailbox_sync')
    .column('subscription_id')
    .unique()
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('mailbox_sync').execute();
}
