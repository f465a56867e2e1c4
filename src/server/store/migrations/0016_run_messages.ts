import type { Kysely } from 'kysely';

/*
 * Reconciliation per run (issue 20): every message a run saw, by Graph's immutable id, with its fate in that run
 * (logged, already logged, not logged and why, failed, quarantined, left in the Inbox while Graph throttled), who
 * sent it and when, and how many entries it created. mailbox_messages keeps only each message's latest state;
 * this keeps what each run did, so a run's report lists its own messages. Pruned with the other message
 * bookkeeping (30 days).
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's table types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('mailbox_run_messages')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('run_id', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('internet_message_id', 'text')
    .addColumn('fate', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('subject', 'text')
    .addColumn('sender', 'text')
    .addColumn('received_at', 'bigint')
    .addColumn('direction', 'text')
    .addColumn('entries', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('recorded_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('mailbox_run_messages_pk', ['tenant_id', 'run_id', 'message_id'])
    .execute();
  // A run's messages in the order they were filed, a page at a time.
  await db.schema
    .createIndex('mailbox_run_messages_run_ix')
    .on('mailbox_run_messages')
    .columns(['tenant_id', 'run_id', 'recorded_at', 'message_id'])
    .execute();
  // Pruning by age.
  await db.schema
    .createIndex('mailbox_run_messages_recorded_ix')
    .on('mailbox_run_messages')
    .columns(['tenant_id', 'recorded_at'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('mailbox_run_messages').execute();
}
