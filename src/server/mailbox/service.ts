import { readFileSync } from 'node:fs';
import type { Configuration } from '@azure/msal-node';
import type { MailboxAccessConfig } from '../config.js';
import type { Store } from '../store/index.js';
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
import { runMailboxOnce, type RunSource, type RunSummary, type RunTrigger } from './processor.js';
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
  const { store, access, holder, log } = options;
  const tokens = new Map<string, TokenSource>();
  const running = new Map<string, Promise<RunSummary>>();
  let timer: NodeJS.Timeout | null = null;
  let stopping = false;

  const configurationFor = (tenantId: string): Configuration => {
    if (options.msalConfigurationFor) return options.msalConfigurationFor(tenantId);
    if (!access) throw new MailboxNotConfiguredError();
    return msalConfiguration(
      {
        clientId: access.clientId,
        clientSecret: access.clientSecret ?? undefined,
        certificate: access.certificate
          ? {
              thumbprintSha256: access.certificate.thumbprintSha256,
              privateKey: readFileSync(access.certificate.privateKeyFile, 'utf8')
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

  const publicUrl = access ? (options.publicUrl ?? null) : null;
  const mode = publicUrl ? 'notifications' : 'polling';
  const notificationCounters: NotificationCounters = { accepted: 0, dropped: 0 };
  /** When a tenant's subscription upkeep may be tried again after a failure. */
  const subscriptionRetryAt = new Map<string, number>();
  let caughtUpAfterStart = false;

  const runOnce = (tenantId: string, trigger: RunTrigger, source: RunSource = 'scan'): Promise<RunSummary> => {
    if (!access) return Promise.reject(new MailboxNotConfiguredError());
    const under = running.get(tenantId);
    if (under) return under;
    const run = runMailboxOnce(
      {
        store,
        holder,
        graphFor: (id, settings) => graphFor(id, settings.mailboxAddress ?? ''),
        shouldStop: () => stopping,
        ...(options.leaseTtlMs ? { leaseTtlMs: options.leaseTtlMs } : {})
      },
      tenantId,
      trigger,
      source
    )
      .then((summary) => {
        if (summary.status !== 'locked') log.info({ tenantId, source, ...summary }, 'mailbox run finished');
        return summary;
      })
      .finally(() => running.delete(tenantId));
    running.set(tenantId, run);
    if (mode === 'notifications') {
      // Released the lease: a notification that came meanwhile (here or at another instance) asks for more.
      void run
        .then(async (summary) => {
          if (stopping || summary.status === 'locked' || summary.status === 'disabled') return;
          const settings = await store.mailbox.getSettings(tenantId);
          if (!settings.mailboxAddress) return;
          const { dirtySince } = await store.mailboxSync.get(tenantId, settings.mailboxAddress);
          // A failed delta run leaves "dirty" for the next tick rather than retrying at once.
          if (dirtySince !== null && (source === 'scan' || summary.status === 'succeeded')) {
            await runOnce(tenantId, 'notification', 'delta');
          }
        })
        .catch((error: unknown) => log.error({ err: error, tenantId }, 'mailbox catch-up failed'));
    }
    return run;
  };

  /** A notification or lifecycle item, verified: its mailbox, or null (then it is dropped and counted). */
  const verified = async (item: ChangeNotification) => {
    const owner = await store.mailboxSync.subscriptionOwner(item.subscriptionId);
    if (!owner || !clientStateMatches(item.clientState, owner.clientStateHash)) {
      notificationCounters.dropped += 1;
      return null;
    }
    notificationCounters.accepted += 1;
    return owner;
  };

  const catchUp = async (tenantId: string, mailbox: string) => {
    // A subscription may outlive the tenant's switch: a tenant that turned logging off is not run.
    const settings = await store.mailbox.getSettings(tenantId);
    if (!settings.enabled || settings.mailboxAddress !== mailbox) return;
    await store.mailboxSync.markDirty(tenantId, mailbox);
    if (!stopping) await runOnce(tenantId, 'notification', 'delta');
  };

  /** Lease key of a mailbox's subscription upkeep, apart from its runs' lease. */
  const upkeepKey = (mailbox: string) => `${mailbox}#subscription`;

  /** Tenants whose subscription upkeep is under way here (the upkeep lease is the same holder's, so re-entrant). */
  const keeping = new Map<string, Promise<void>>();
  const keepSubscription = async (tenantId: string, force: 'renew' | 'recreate' | null = null): Promise<void> => {
    const under = keeping.get(tenantId);
    if (under) {
      await under;
      if (!force) return;
    }
    const upkeep = keepSubscriptionNow(tenantId, force).finally(() => keeping.delete(tenantId));
    keeping.set(tenantId, upkeep);
    return upkeep;
  };

  const keepSubscriptionNow = async (tenantId: string, force: 'renew' | 'recreate' | null) => {
    if (!publicUrl || stopping) return;
    if (!force && (subscriptionRetryAt.get(tenantId) ?? 0) > Date.now()) return;
    const settings = await store.mailbox.getSettings(tenantId);
    const mailbox = settings.mailboxAddress;
    if (!settings.enabled || !mailbox) return;
    const sync = await store.mailboxSync.get(tenantId, mailbox);
    const expiresAt = sync.subscriptionExpiresAt ?? 0;
    if (!force && sync.subscriptionId && expiresAt - Date.now() > RENEW_WHEN_LEFT_MS) return;
    // One instance at a time, so two instances do not each create a subscription for the mailbox.
    if (!(await store.mailbox.acquireLease(tenantId, upkeepKey(mailbox), holder, 60_000))) return;
    try {
      const graph = graphFor(tenantId, mailbox);
      const expirationDateTime = new Date(Date.now() + SUBSCRIPTION_LIFETIME_MS).toISOString();
      if (sync.subscriptionId && force !== 'recreate') {
        const renewed = await graph.renewSubscription(sync.subscriptionId, expirationDateTime);
        if (renewed) {
          await store.mailboxSync.renewedSubscription(tenantId, mailbox, Date.parse(renewed.expirationDateTime));
          subscriptionRetryAt.delete(tenantId);
          return;
        }
      }
      const clientState = newClientState();
      const created = await graph.createSubscription({
        changeType: 'created',
        notificationUrl: `${publicUrl}${NOTIFICATIONS_PATH}`,
        lifecycleNotificationUrl: `${publicUrl}${LIFECYCLE_PATH}`,
        resource: inboxResource(mailbox),
        expirationDateTime,
        clientState
      });
      await store.mailboxSync.saveSubscription(tenantId, mailbox, {
        id: created.id,
        clientStateHash: hashClientState(clientState),
        expiresAt: Date.parse(created.expirationDateTime)
      });
      subscriptionRetryAt.delete(tenantId);
      log.info({ tenantId, subscriptionId: created.id }, 'Graph subscription created');
    } catch (error) {
      subscriptionRetryAt.set(tenantId, Date.now() + SUBSCRIPTION_RETRY_MS);
      log.error({ err: error, tenantId }, 'Graph subscription could not be created or renewed');
    } finally {
      await store.mailbox.releaseLease(tenantId, upkeepKey(mailbox), holder);
    }
  };

  const tick = async () => {
    const enabled = await store.mailbox.enabledTenants();
    if (mode === 'notifications') {
      // After a start, every mailbox catches up by delta (what arrived while no instance listened); then only
      // those a notification marked and no run has handled yet.
      const due = caughtUpAfterStart
        ? (await store.mailboxSync.dirtyMailboxes()).map((d) => d.tenantId)
        : enabled.map((e) => e.tenantId);
      caughtUpAfterStart = true;
      const on = new Set(enabled.map((e) => e.tenantId));
      for (const tenantId of new Set(due)) {
        if (stopping || running.has(tenantId) || !on.has(tenantId)) continue;
        runOnce(tenantId, 'notification', 'delta').catch((error: unknown) =>
          log.error({ err: error, tenantId }, 'mailbox catch-up failed')
        );
      }
      for (const { tenantId } of enabled) await keepSubscription(tenantId);
    }
    for (const { tenantId, settings } of enabled) {
      if (stopping || running.has(tenantId)) continue;
      const last = await store.mailbox.lastRun(tenantId);
      const due = !last || Date.parse(last.startedAt) + settings.intervalSeconds * 1000 <= Date.now();
      if (due)
        runOnce(tenantId, 'schedule').catch((error: unknown) =>
          log.error({ err: error, tenantId }, 'mailbox run failed')
        );
    }
  };

  return {
    configured: access !== null,
    mode,
    notificationCounters,
    runOnce,
    keepSubscription: (tenantId) => keepSubscription(tenantId),
    async acceptNotifications(items) {
      const mailboxes = new Map<string, string>();
      for (const item of items) {
        const owner = await verified(item);
        if (owner && item.changeType === 'created') mailboxes.set(owner.tenantId, owner.mailboxAddress);
      }
      await Promise.all([...mailboxes].map(([tenantId, mailbox]) => catchUp(tenantId, mailbox)));
    },
    async acceptLifecycleEvents(items) {
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
    },
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
      stopping = true;
      if (timer) clearInterval(timer);
      timer = null;
      await Promise.allSettled([...running.values()]);
    }
  };
}
