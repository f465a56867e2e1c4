import { readFileSync } from 'node:fs';
import type { Configuration } from '@azure/msal-node';
import type { MailboxAccessConfig } from '../config.js';
import type { MailboxSettings, Store } from '../store/index.js';
import { createMailboxGraph, type MailboxGraph } from './graph.js';
import {
  clientStateMatches,
  hashClientState,
  inboxResource,
  LIFECYCLE_PATH,
  newClientState,
  NOTIFICATIONS_PATH,
  RENEW_WHEN_LEFT_MS,
  SUBSCRIPTION_LIFETIME_MS,
  SUBSCRIPTION_RETRY_MS,
  type ChangeNotification,
  type NotificationCounters
} from './notifications.js';
import {
  emptySummary,
  runMailboxOnce,
  type RunSource,
  type RunSummary,
  type RunTrigger
} from '../usecases/run-mailbox.js';
import { createRunPool, type RunPool } from './run-pool.js';
import { appOnlyTokenSource, msalConfiguration, type TokenSource } from './tokens.js';

/*
 * Automatic logging as the API process runs it: on a schedule for every tenant that switched it on, on
 * demand from the admin API, and once from the command line. Every instance may schedule; the mailbox
 * lease lets one of them work a given mailbox at a time.
 *
 * With a public URL, Graph change notifications drive it too: a verified notification marks the mailbox
 * "dirty" in the store, then asks for a delta run. If another instance holds the mailbox, that holder looks at
 * "dirty" after it released the lease and runs again; the tick also runs any dirty mailbox, so none is starved.
 * (The notifier marks before it tries the lease and the holder looks after it released it, so one of the two
 * always sees the other.) The schedule's full Inbox scan stays as the slow backstop.
 *
 * At most MAILBOX_CONCURRENCY runs work at once in this process (run-pool.ts); the others wait their turn, first come
 * first served. A run asked for while one of the same tenant waits or works joins it.
 */

export interface MailboxServiceOptions {
  store: Store;
  access: MailboxAccessConfig | null;
  /** This process, for the lease. */
  holder: string;
  log: { info(object: object, message: string): void; error(object: object, message: string): void };
  /** How often the schedule looks for due tenants. */
  tickMs?: number;
  /** MSAL's configuration per tenant; tests point it at a stand-in. */
  msalConfigurationFor?: (tenantId: string) => Configuration;
  /** The mailbox lease's duration (default LEASE_TTL_MS); tests shorten it to restart after a kill. */
  leaseTtlMs?: number;
  /** PUBLIC_URL: switches on Graph change notifications; null or absent: polling only. */
  publicUrl?: string | null;
}

export class MailboxNotConfiguredError extends Error {
  constructor() {
    super(
      'Automatic logging needs app credentials: set MAILBOX_CLIENT_ID and MAILBOX_CLIENT_SECRET (or a certificate).'
    );
    this.name = 'MailboxNotConfiguredError';
  }
}

export interface MailboxService {
  configured: boolean;
  /** 'notifications' when Graph change notifications drive runs (with the poll as backstop), else 'polling'. */
  mode: 'notifications' | 'polling';
  notificationCounters: NotificationCounters;
  runOnce(tenantId: string, trigger: RunTrigger, source?: RunSource): Promise<RunSummary>;
  /** Change notifications Graph posted (already answered 202): verified, then the mailboxes are caught up. */
  acceptNotifications(items: ChangeNotification[]): Promise<void>;
  /** Lifecycle events: reauthorizationRequired → renew, subscriptionRemoved → recreate, missed → catch up. */
  acceptLifecycleEvents(items: ChangeNotification[]): Promise<void>;
  /** Creates or renews the tenant's subscription when it is missing or expires soon. */
  keepSubscription(tenantId: string): Promise<void>;
  /** Messages waiting in the tenant's shared mailbox Inbox; null when it cannot be asked. */
  backlog(tenantId: string): Promise<number | null>;
  /** An app-only Graph token for the tenant, from the source the processor's Graph client uses. */
  token(tenantId: string): Promise<string>;
  /** The processor's Graph client for a tenant's mailbox (the admin checks use it too). */
  graphFor(tenantId: string, mailbox: string): MailboxGraph;
  start(): void;
  /** Stops the schedule and waits for runs under way to end (they stop between pages). */
  stop(): Promise<void>;
}

export function createMailboxService(options: MailboxServiceOptions): MailboxService {
  const { store, access, log } = options;
  const { tokenFor, graphFor } = graphAccess(options);
  const publicUrl = access ? (options.publicUrl ?? null) : null;
  const context: ServiceContext = {
    options,
    graphFor,
    mode: publicUrl ? 'notifications' : 'polling',
    publicUrl,
    stopping: false,
    running: new Map(),
    pool: createRunPool(access?.concurrency ?? 1)
  };
  const runOnce = runner(context);
  const keepSubscription = subscriptionKeeper(context);
  const notifications = notificationIntake(context, runOnce, keepSubscription);
  const tick = scheduleTick(context, runOnce, keepSubscription);
  let timer: NodeJS.Timeout | null = null;

  return {
    configured: access !== null,
    mode: context.mode,
    notificationCounters: notifications.counters,
    runOnce,
    keepSubscription: (tenantId) => keepSubscription(tenantId),
    acceptNotifications: notifications.acceptNotifications,
    acceptLifecycleEvents: notifications.acceptLifecycleEvents,
    token: async (tenantId) => tokenFor(tenantId)(),
    graphFor,
    async backlog(tenantId) {
      const settings = await store.mailbox.getSettings(tenantId);
      if (!access || !settings.mailboxAddress) return null;
      try {
        return await graphFor(tenantId, settings.mailboxAddress).inboxCount();
      } catch {
        return null;
      }
    },
    start() {
      if (!access || !access.schedule || timer) return;
      timer = setInterval(() => {
        tick().catch((error: unknown) => log.error({ err: error }, 'mailbox schedule failed'));
      }, options.tickMs ?? 30_000);
      timer.unref();
    },
    async stop() {
      context.stopping = true;
      if (timer) clearInterval(timer);
      timer = null;
      await Promise.allSettled([...context.running.values()]);
    }
  };
}

/** What the service's parts share. */
interface ServiceContext {
  options: MailboxServiceOptions;
  graphFor(tenantId: string, mailbox: string): MailboxGraph;
  mode: MailboxService['mode'];
  /** Where Graph posts notifications; null: polling only. */
  publicUrl: string | null;
  /** The service is shutting down: no new runs, runs under way stop between pages. */
  stopping: boolean;
  /** Runs under way or waiting for a place, by tenant: one at a time per tenant in this process. */
  running: Map<string, Promise<RunSummary>>;
  /** The places for runs at once in this process. */
  pool: RunPool;
}

type RunOnce = MailboxService['runOnce'];
type KeepSubscription = (tenantId: string, force?: 'renew' | 'recreate' | null) => Promise<void>;

/** App-only tokens (one source per tenant) and the Graph client for a tenant's mailbox. */
function graphAccess(options: MailboxServiceOptions) {
  const { access } = options;
  const tokens = new Map<string, TokenSource>();
  const configurationFor = (tenantId: string): Configuration => {
    if (options.msalConfigurationFor) return options.msalConfigurationFor(tenantId);
    if (!access) throw new MailboxNotConfiguredError();
    const { certificate } = access;
    return msalConfiguration(
      {
        clientId: access.clientId,
        clientSecret: access.clientSecret ?? undefined,
        certificate: certificate
          ? {
              thumbprintSha256: certificate.thumbprintSha256,
              privateKey: readFileSync(certificate.privateKeyFile, 'utf8')
            }
          : undefined,
        authorityHost: access.authorityHost
      },
      tenantId
    );
  };
  const tokenFor = (tenantId: string): TokenSource => {
    if (!access) throw new MailboxNotConfiguredError();
    let token = tokens.get(tenantId);
    if (!token) {
      token = appOnlyTokenSource(configurationFor(tenantId), access.graphScope);
      tokens.set(tenantId, token);
    }
    return token;
  };
  const graphFor = (tenantId: string, mailbox: string): MailboxGraph => {
    if (!access) throw new MailboxNotConfiguredError();
    return createMailboxGraph({ graphBaseUrl: access.graphBaseUrl, mailbox, token: tokenFor(tenantId) });
  };
  return { tokenFor, graphFor };
}

/** One run per tenant at a time; with notifications, a run that ends while the mailbox is dirty runs again. */
function runner(context: ServiceContext): RunOnce {
  const { store, access, holder, log, leaseTtlMs } = context.options;
  const runOnce: RunOnce = (tenantId, trigger, source = 'scan') => {
    if (!access) return Promise.reject(new MailboxNotConfiguredError());
    const under = context.running.get(tenantId);
    if (under) return under;
    const deps = {
      store,
      holder,
      graphFor: (id: string, settings: MailboxSettings) => context.graphFor(id, settings.mailboxAddress ?? ''),
      shouldStop: () => context.stopping,
      ...(leaseTtlMs ? { leaseTtlMs } : {})
    };
    // A run still waiting for its place when the service stops is not started.
    const run = context.pool
      .run(() => (context.stopping ? Promise.resolve(emptySummary()) : runMailboxOnce(deps, tenantId, trigger, source)))
      .then((summary) => {
        if (summary.runId !== null) log.info({ tenantId, source, ...summary }, 'mailbox run finished');
        return summary;
      })
      .finally(() => context.running.delete(tenantId));
    context.running.set(tenantId, run);
    if (context.mode === 'notifications') {
      void run
        .then((summary) => runAgainIfDirty(summary))
        .catch((error: unknown) => log.error({ err: error, tenantId }, 'mailbox catch-up failed'));
    }
    return run;

    // Released the lease: a notification that came meanwhile (here or at another instance) asks for more.
    async function runAgainIfDirty(summary: RunSummary) {
      if (context.stopping || summary.status === 'locked' || summary.status === 'disabled') return;
      const settings = await store.mailbox.getSettings(tenantId);
      if (!settings.mailboxAddress) return;
      const { dirtySince } = await store.mailboxSync.get(tenantId, settings.mailboxAddress);
      // A failed delta run leaves "dirty" for the next tick rather than retrying at once.
      if (dirtySince !== null && (source === 'scan' || summary.status === 'succeeded')) {
        await runOnce(tenantId, 'notification', 'delta');
      }
    }
  };
  return runOnce;
}

/** Verified notifications and lifecycle events, turned into catch-up runs and subscription upkeep. */
function notificationIntake(context: ServiceContext, runOnce: RunOnce, keepSubscription: KeepSubscription) {
  const { store } = context.options;
  const counters: NotificationCounters = { accepted: 0, dropped: 0 };

  /** A notification or lifecycle item, verified: its mailbox, or null (then it is dropped and counted). */
  const verified = async (item: ChangeNotification) => {
    const owner = await store.mailboxSync.subscriptionOwner(item.subscriptionId);
    if (!owner || !clientStateMatches(item.clientState, owner.clientStateHash)) {
      counters.dropped += 1;
      return null;
    }
    counters.accepted += 1;
    return owner;
  };

  const catchUp = async (tenantId: string, mailbox: string) => {
    // A subscription may outlive the tenant's switch: a tenant that turned logging off is not run.
    const settings = await store.mailbox.getSettings(tenantId);
    if (!settings.enabled || settings.mailboxAddress !== mailbox) return;
    await store.mailboxSync.markDirty(tenantId, mailbox);
    if (!context.stopping) await runOnce(tenantId, 'notification', 'delta');
  };

  return {
    counters,
    async acceptNotifications(items: ChangeNotification[]) {
      const mailboxes = new Map<string, string>();
      for (const item of items) {
        const owner = await verified(item);
        if (owner && item.changeType === 'created') mailboxes.set(owner.tenantId, owner.mailboxAddress);
      }
      await Promise.all([...mailboxes].map(([tenantId, mailbox]) => catchUp(tenantId, mailbox)));
    },
    async acceptLifecycleEvents(items: ChangeNotification[]) {
      for (const item of items) {
        const owner = await verified(item);
        if (!owner) continue;
        const { tenantId, mailboxAddress } = owner;
        if (item.lifecycleEvent === 'reauthorizationRequired') await keepSubscription(tenantId, 'renew');
        else if (item.lifecycleEvent === 'subscriptionRemoved') {
          await keepSubscription(tenantId, 'recreate');
          // Nothing was delivered while it was gone.
          await catchUp(tenantId, mailboxAddress);
        } else if (item.lifecycleEvent === 'missed') await catchUp(tenantId, mailboxAddress);
      }
    }
  };
}

/** Lease key of a mailbox's subscription upkeep, apart from its runs' lease. */
const upkeepKey = (mailbox: string) => `${mailbox}#subscription`;

/** Creates or renews a tenant's subscription when it is missing or expires soon (or when forced to). */
function subscriptionKeeper(context: ServiceContext): KeepSubscription {
  const { store, holder, log } = context.options;
  /** When a tenant's subscription upkeep may be tried again after a failure. */
  const retryAt = new Map<string, number>();
  /** Tenants whose subscription upkeep is under way here (the upkeep lease is the same holder's, so re-entrant). */
  const keeping = new Map<string, Promise<void>>();

  const keepNow = async (tenantId: string, force: 'renew' | 'recreate' | null) => {
    if (!context.publicUrl || context.stopping) return;
    if (!force && (retryAt.get(tenantId) ?? 0) > Date.now()) return;
    const settings = await store.mailbox.getSettings(tenantId);
    const mailbox = settings.mailboxAddress;
    if (!settings.enabled || !mailbox) return;
    const fresh = (sync: { subscriptionId: string | null; subscriptionExpiresAt: number | null }) =>
      !force && sync.subscriptionId !== null && (sync.subscriptionExpiresAt ?? 0) - Date.now() > RENEW_WHEN_LEFT_MS;
    if (fresh(await store.mailboxSync.get(tenantId, mailbox))) return;
    // One instance at a time, so two instances do not each create a subscription for the mailbox.
    if (!(await store.mailbox.acquireLease(tenantId, upkeepKey(mailbox), holder, 60_000))) return;
    try {
      // Read again under the lease: another instance may have created or renewed it while this one waited (seen
      // in bench:mailbox-tenants as 1,006 subscriptions for 1,000 mailboxes).
      const sync = await store.mailboxSync.get(tenantId, mailbox);
      if (fresh(sync)) return;
      const renewOnly = sync.subscriptionId !== null && force !== 'recreate';
      await renewOrCreate(context, tenantId, mailbox, renewOnly ? sync.subscriptionId : null);
      retryAt.delete(tenantId);
    } catch (error) {
      retryAt.set(tenantId, Date.now() + SUBSCRIPTION_RETRY_MS);
      log.error({ err: error, tenantId }, 'Graph subscription could not be created or renewed');
    } finally {
      await store.mailbox.releaseLease(tenantId, upkeepKey(mailbox), holder);
    }
  };

  return async (tenantId, force = null) => {
    const under = keeping.get(tenantId);
    if (under) {
      await under;
      if (!force) return;
    }
    const upkeep = keepNow(tenantId, force).finally(() => keeping.delete(tenantId));
    keeping.set(tenantId, upkeep);
    return upkeep;
  };
}

/** Renews the subscription `current` names; creates a new one when there is none or Graph no longer has it. */
async function renewOrCreate(context: ServiceContext, tenantId: string, mailbox: string, current: string | null) {
  const { store, log } = context.options;
  const graph = context.graphFor(tenantId, mailbox);
  const expirationDateTime = new Date(Date.now() + SUBSCRIPTION_LIFETIME_MS).toISOString();
  if (current) {
    const renewed = await graph.renewSubscription(current, expirationDateTime);
    if (renewed) {
      await store.mailboxSync.renewedSubscription(tenantId, mailbox, Date.parse(renewed.expirationDateTime));
      return;
    }
  }
  const clientState = newClientState();
  const created = await graph.createSubscription({
    changeType: 'created',
    notificationUrl: `${context.publicUrl}${NOTIFICATIONS_PATH}`,
    lifecycleNotificationUrl: `${context.publicUrl}${LIFECYCLE_PATH}`,
    resource: inboxResource(mailbox),
    expirationDateTime,
    clientState
  });
  await store.mailboxSync.saveSubscription(tenantId, mailbox, {
    id: created.id,
    clientStateHash: hashClientState(clientState),
    expiresAt: Date.parse(created.expirationDateTime)
  });
  log.info({ tenantId, subscriptionId: created.id }, 'Graph subscription created');
}

/** The schedule's tick: catch-up runs for notified mailboxes, subscription upkeep, then the due scans. */
function scheduleTick(context: ServiceContext, runOnce: RunOnce, keepSubscription: KeepSubscription) {
  const { store, log } = context.options;
  let caughtUpAfterStart = false;
  const skip = (tenantId: string) => context.stopping || context.running.has(tenantId);

  const catchUpNotified = async (enabled: Array<{ tenantId: string }>) => {
    // After a start, every mailbox catches up by delta (what arrived while no instance listened); then only
    // those a notification marked and no run has handled yet.
    const due = caughtUpAfterStart
      ? (await store.mailboxSync.dirtyMailboxes()).map((d) => d.tenantId)
      : enabled.map((e) => e.tenantId);
    caughtUpAfterStart = true;
    const on = new Set(enabled.map((e) => e.tenantId));
    for (const tenantId of new Set(due)) {
      if (skip(tenantId) || !on.has(tenantId)) continue;
      runOnce(tenantId, 'notification', 'delta').catch((error: unknown) =>
        log.error({ err: error, tenantId }, 'mailbox catch-up failed')
      );
    }
    for (const { tenantId } of enabled) await keepSubscription(tenantId);
  };

  return async () => {
    const enabled = await store.mailbox.enabledTenants();
    if (context.mode === 'notifications') await catchUpNotified(enabled);
    for (const { tenantId, settings } of enabled) {
      if (skip(tenantId)) continue;
      const last = await store.mailbox.lastRun(tenantId);
      const due = !last || Date.parse(last.startedAt) + settings.intervalSeconds * 1000 <= Date.now();
      if (due)
        runOnce(tenantId, 'schedule').catch((error: unknown) =>
          log.error({ err: error, tenantId }, 'mailbox run failed')
        );
    }
  };
}
