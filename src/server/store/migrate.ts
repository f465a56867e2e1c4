import type { Kysely } from 'kysely';
import { Migrator, type Migration, type MigrationResultSet } from 'kysely/migration';
import * as initial from './migrations/0001_initial.js';
import * as mailbox from './migrations/0002_mailbox.js';
import * as security from './migrations/0003_security.js';
import * as teamHistory from './migrations/0005_team_history.js';
import * as contactsActive from './migrations/0006_contacts_active.js';
import * as readinessProbe from './migrations/0007_readiness_probe.js';
import * as kindsAndSearch from './migrations/0008_kinds_and_search.js';
import * as opportunityHistory from './migrations/0009_opportunity_history.js';
import * as sendPrompt from './migrations/0010_send_prompt.js';
import * as mailboxSync from './migrations/0011_mailbox_sync.js';
import * as cacheInvalidation from './migrations/0012_cache_invalidation.js';
import * as searchNewestFirst from './migrations/0013_search_newest_first.js';
import * as captureHealth from './migrations/0014_capture_health.js';
import * as meetings from './migrations/0015_meetings.js';
import * as runMessages from './migrations/0016_run_messages.js';
import * as quietRewrites from './migrations/0017_quiet_rewrites.js';
import type { Database } from './schema.js';

/** Every migration, in order. Listed statically so the compiled server and the tests load the same set. */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  '0001_initial': initial,
  '0002_mailbox': mailbox,
  '0003_security': security,
  '0005_team_history': teamHistory,
  '0006_contacts_active': contactsActive,
  '0007_readiness_probe': readinessProbe,
  '0008_kinds_and_search': kindsAndSearch,
  '0009_opportunity_history': opportunityHistory,
  '0010_send_prompt': sendPrompt,
  '0011_mailbox_sync': mailboxSync,
  '0012_cache_invalidation': cacheInvalidation,
  '0013_search_newest_first': searchNewestFirst,
  '0014_capture_health': captureHealth,
  '0015_meetings': meetings,
  '0016_run_messages': runMessages,
  '0017_quiet_rewrites': quietRewrites
};

/**
 * `schema`: the PostgreSQL schema the data lives in, when not the default. Kysely looks for its own bookkeeping
 * tables in every schema unless told which one, and would take another schema's for this one's.
 */
export async function migrateToLatest(db: Kysely<Database>, schema?: string): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => ({ ...MIGRATIONS }) },
    ...(schema ? { migrationTableSchema: schema } : {})
  });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Migration ${failed} failed: ${String(result.error)}`, { cause: result.error });
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
