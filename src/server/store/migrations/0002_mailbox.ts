import type { Kysely } from 'kysely';

/*
 * Storage of the shared-mailbox processor: per-tenant settings, the lease that keeps one processor per
 * mailbox, the processing state of messages that failed or were set aside, and a history of runs.
 * Kysely's schema builder only, so one migration serves both engines.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's table types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('mailbox_settings')
    .addColumn('tenant_id', 'text', (c) => c.primaryKey().references('tenants.id'))
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('mailbox_address', 'text')
    .addColumn('archive_folder', 'text', (c) => c.notNull().defaultTo('Archive'))
    .addColumn('not_logged_folder', 'text', (c) => c.notNull().defaultTo('Not logged'))
    .addColumn('quarantine_folder', 'text', (c) => c.notNull().defaultTo('Quarantine'))
    .addColumn('interval_seconds', 'integer', (c) => c.notNull().defaultTo(300))
    .addColumn('batch_size', 'integer', (c) => c.notNull().defaultTo(50))
    .addColumn('never_log_domains', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('never_log_addresses', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('skip_internal_only', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .execute();
  // The scheduler's cross-tenant scan of enabled mailboxes.
  await db.schema.createIndex('mailbox_settings_enabled_ix').on('mailbox_settings').columns(['enabled']).execute();

  await db.schema
    .createTable('mailbox_leases')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('mailbox_address', 'text', (c) => c.notNull())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('mailbox_leases_pk', ['tenant_id', 'mailbox_address'])
    .execute();

  await db.schema
    .createTable('mailbox_messages')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('mailbox_address', 'text', (c) => c.notNull())
    .addColumn('message_id', 'text', (c) => c.notNull())
    .addColumn('internet_message_id', 'text')
    .addColumn('subject', 'text')
    .addColumn('sender', 'text')
    .addColumn('received_at', 'bigint')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('folder_id', 'text')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('mailbox_messages_pk', ['tenant_id', 'mailbox_address', 'message_id'])
    .execute();
  // The quarantine list (status in two values, newest first), retry-requested ids, skip counts since a time.
  await db.schema
    .createIndex('mailbox_messages_status_ix')
    .on('mailbox_messages')
    .columns(['tenant_id', 'status', 'updated_at', 'message_id'])
    .execute();
  // A retry request names the message only, not the mailbox.
  await db.schema
    .createIndex('mailbox_messages_message_ix')
    .on('mailbox_messages')
    .columns(['tenant_id', 'message_id'])
    .execute();

  await db.schema
    .createTable('mailbox_runs')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('mailbox_address', 'text', (c) => c.notNull())
    .addColumn('trigger', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('seen', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('logged', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('failed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('quarantined', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('requests', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('throttled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('skipped', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('duration_ms', 'bigint')
    .addColumn('error', 'text')
    .addPrimaryKeyConstraint('mailbox_runs_pk', ['tenant_id', 'id'])
    .execute();
  await db.schema
    .createIndex('mailbox_runs_started_ix')
    .on('mailbox_runs')
    .columns(['tenant_id', 'started_at', 'id'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  for (const table of ['mailbox_runs', 'mailbox_messages', 'mailbox_leases', 'mailbox_settings']) {
    await db.schema.dropTable(table).execute();
  }
}
