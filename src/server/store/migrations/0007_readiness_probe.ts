import type { Kysely } from 'kysely';

/*
 * One row that /readyz rewrites: readiness means the store can be written, and only a committed write shows
 * that (a full disk, a read-only file or a standby refuses it; a read would still answer).
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's table types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema
    .createTable('readiness_probe')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('checked_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.insertInto('readiness_probe').values({ id: 1, checked_at: 0 }).execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropTable('readiness_probe').execute();
}
