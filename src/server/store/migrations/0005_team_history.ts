import type { Kysely } from 'kysely';

/*
 * The manager's team view filters the log by the contacts' company: finding a company's contacts must not
 * read every contact of the tenant. (The log's own indexes already serve the other filters; see
 * store/team-history.ts for which walk each filter takes.)
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- migrations must not depend on today's table types
type AnyDb = Kysely<any>;

export async function up(db: AnyDb): Promise<void> {
  await db.schema.createIndex('contacts_company_ix').on('contacts').columns(['tenant_id', 'company']).execute();
}

export async function down(db: AnyDb): Promise<void> {
  await db.schema.dropIndex('contacts_company_ix').execute();
}
