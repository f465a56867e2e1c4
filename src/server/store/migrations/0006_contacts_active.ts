import type { Kysely } from 'kysely';

/*
 * Contacts can be deactivated, as salespeople can: a deactivated contact keeps its history but no longer
 * matches new mail, in the pane or in the shared mailbox.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's table types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable('contacts')
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('contacts').dropColumn('active').execute();
}
