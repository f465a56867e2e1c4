import { sql, type Kysely } from 'kysely';
import { StoreUnavailableError } from '../errors.js';
import { connect, type ConnectOptions, type Engine, type SnapshotReader } from './connection.js';
import type { InvalidationClock } from './invalidation.js';
import { DirectoryStore } from './directory.js';
import { InteractionStore } from './interactions.js';
import { MailboxStore } from './mailbox.js';
import { MailboxSyncStore } from './mailbox-sync.js';
import { migrateToLatest } from './migrate.js';
import { OpportunityStore } from './opportunities.js';
import { RunMessageStore } from './run-messages.js';
import { AuditStore } from './audit.js';
import { TenantSettingsStore } from './settings.js';
import { TeamHistoryStore } from './team-history.js';
import type { Database } from './schema.js';

export type { ArchivedCopy, InteractionFilter } from './interactions.js';
/** Made by the domain and written here: exported for the store's callers too. */
export type { NewInteraction } from '../domain/logging.js';
export type { OpportunityFilter } from './opportunities.js';
export type { OpportunityValues } from '../domain/opportunities.js';
export type { ListOptions, ResolvedAddresses, SignedInUser } from './directory.js';
export type {
  MailboxMessageRef,
  MailboxMessageStatus,
  MailboxPageOptions,
  MailboxRun,
  MailboxSettings,
  MailboxSettingsPatch,
  QuarantinedMessage,
  RunCounters,
  RunResult,
  RunStatus,
  RunTrigger
} from './mailbox.js';
export { DEFAULT_MAILBOX_SETTINGS, MailboxStore } from './mailbox.js';
export type { MailboxSync, SubscriptionOwner } from './mailbox-sync.js';
export type { RunMessageRecord } from './run-messages.js';
export { isPostgresUrl, OTHER_WRITERS_LAG_MS } from './connection.js';
export { ANY_ENTRY_TAG, cacheTag, WHOLE_TENANT_TAG, type InvalidationClock } from './invalidation.js';
export type { VisibilityScope } from './visibility.js';
export { WHOLE_TENANT, scopeIncludes, scopeKey } from './visibility.js';
export type { Actor, AuditRecord } from './audit.js';
export { DEFAULT_TENANT_SETTINGS } from './settings.js';
export type { TeamExportRow, TeamHistoryFilter } from './team-history.js';
export { InvalidCursor, StoreConflict, StoreConstraint, StoreError, StoreNotFound, type StoreField } from './errors.js';

/** The repositories: every method takes the tenant first. */
export interface Repositories {
  directory: DirectoryStore;
  interactions: InteractionStore;
  opportunities: OpportunityStore;
  /** The shared-mailbox processor's settings, leases, message states and runs. */
  mailbox: MailboxStore;
  /** Near real time: each mailbox's Inbox delta link, pending notifications and Graph subscription. */
  mailboxSync: MailboxSyncStore;
  /** What each processor run did with every message it saw. */
  runMessages: RunMessageStore;
  /** Tenant-wide settings (history visibility). */
  settings: TenantSettingsStore;
  /** Who changed what, when (written by the other stores inside their transactions). */
  audit: AuditStore;
  /** The manager's team view: the team's log, weekly activity, open opportunities by stage. */
  teamHistory: TeamHistoryStore;
  /**
   * A unit of work: `work` reads and writes through `tx`, the same repositories bound to one transaction, which
   * commits when `work` resolves and rolls back, every write of it, when `work` throws. The repositories' own
   * transactions run inside it (unit-of-work.ts). Called on a unit's `tx`, it runs `work` in that same unit.
   * Inside, reach data only through `tx`: on SQLite the unit holds the one connection until it ends.
   */
  transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T>;
}

/** The only way the rest of the server reaches data. */
export interface Store extends Repositories {
  engine: Engine;
  description: string;
  /** Applies pending migrations; returns the names applied. */
  migrate(): Promise<string[]>;
  /**
   * Which cached values writes changed (see invalidation.ts): at once for this process's writes on SQLite, within
   * OTHER_WRITERS_LAG_MS for another process's, and on PostgreSQL as the commit's notification arrives.
   */
  invalidations: InvalidationClock;
  /**
   * Resolves when the store can be written now (a committed write to one probe row, and on SQLite the file this
   * process writes is still the one at its path); otherwise throws StoreUnavailableError, its cause saying why.
   */
  checkWritable(): Promise<void>;
  /** True while no tenant has any data (demo data is seeded only into an empty store). */
  isEmpty(): Promise<boolean>;
  close(): Promise<void>;
}

export interface OpenStoreOptions extends ConnectOptions {
  /** Apply pending migrations first (the default). */
  migrate?: boolean;
}

export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<Store> {
  const { db, engine, description, invalidations, fileProblem, openSnapshot } = connect(url, options);
  try {
    if (options.pgSchema) await sql`create schema if not exists ${sql.id(options.pgSchema)}`.execute(db);
    if (options.migrate !== false) await migrateToLatest(db, options.pgSchema);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return {
    ...repositoriesOn(db, engine, new Set(), openSnapshot),
    engine,
    description,
    migrate: () => migrateToLatest(db, options.pgSchema),
    invalidations,
    async checkWritable() {
      const problem = fileProblem();
      if (problem) throw new StoreUnavailableError(new Error(problem));
      try {
        await db
          .transaction()
          .execute((trx) =>
            trx.updateTable('readiness_probe').set({ checked_at: Date.now() }).where('id', '=', 1).execute()
          );
      } catch (error) {
        throw error instanceof StoreUnavailableError ? error : new StoreUnavailableError(error);
      }
    },
    async isEmpty() {
      const row = await db.selectFrom('tenants').select('id').limit(1).executeTakeFirst();
      return row === undefined;
    },
    close: () => db.destroy()
  };
}

/**
 * The repositories over `db`: the store's connection, or one unit of work's transaction. `openSnapshot` gives long
 * reads a connection of their own (not inside a unit of work, whose reads must see its own writes).
 */
function repositoriesOn(
  db: Kysely<Database>,
  engine: Engine,
  knownTenants: Set<string>,
  openSnapshot: (() => SnapshotReader) | null = null
): Repositories {
  const directory = new DirectoryStore(db, knownTenants);
  const repositories: Repositories = {
    directory,
    interactions: new InteractionStore(db, directory, engine),
    opportunities: new OpportunityStore(db, directory),
    mailbox: new MailboxStore(db, directory),
    mailboxSync: new MailboxSyncStore(db),
    runMessages: new RunMessageStore(db),
    settings: new TenantSettingsStore(db, directory),
    audit: new AuditStore(db),
    teamHistory: new TeamHistoryStore(db, openSnapshot),
    transaction: (work) =>
      db.isTransaction
        ? work(repositories)
        : db.transaction().execute((trx) => work(repositoriesOn(trx, engine, knownTenants)))
  };
  return repositories;
}
