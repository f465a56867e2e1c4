import type { Kysely } from 'kysely';

/*
 * The send-time prompt (Smart Alerts, OnMessageSend) is off until a tenant's admin switches it on: it runs on
 * every user's Send, so nobody gets it by surprise.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's table types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .alterTable('tenants')
    .addColumn('send_prompt', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.alterTable('tenants').dropColumn('send_prompt').execute();
}
