import type { Kysely } from 'kysely';

/*
 * Capture health: every message the processor files keeps a row (logged ones too, not only those not logged),
 * with its direction, the salesperson it concerns and the external address on it, so the admin sees per day,
 * salesperson and direction what was seen and what became of it, and the unmatched queue groups what no contact
 * matched. Rows written before this migration keep these columns null. The tenant's quiet-direction threshold
 * (business hours; 0 switches the alert off) lives with the other automatic logging settings.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's table types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.alterTable('mailbox_messages').addColumn('direction', 'text').execute();
  await db.schema.alterTable('mailbox_messages').addColumn('salesperson_id', 'text').execute();
  await db.schema.alterTable('mailbox_messages').addColumn('external_address', 'text').execute();
  await db.schema
    .alterTable('mailbox_settings')
    .addColumn('capture_alert_hours', 'integer', (c) => c.notNull().defaultTo(4))
    .execute();
  // The capture report and the quiet-direction alert read a tenant's rows by received time.
  await db.schema
    .createIndex('mailbox_messages_received_ix')
    .on('mailbox_messages')
    .columns(['tenant_id', 'received_at'])
    .execute();
  // The unmatched queue: a tenant's not-logged rows by external address.
  await db.schema
    .createIndex('mailbox_messages_external_ix')
    .on('mailbox_messages')
    .columns(['tenant_id', 'external_address', 'status'])
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('mailbox_messages_external_ix').execute();
  await db.schema.dropIndex('mailbox_messages_received_ix').execute();
  await db.schema.alterTable('mailbox_settings').dropColumn('capture_alert_hours').execute();
  for (const column of ['external_address', 'salesperson_id', 'direction']) {
    await db.schema.alterTable('mailbox_messages').dropColumn(column).execute();
  }
}
