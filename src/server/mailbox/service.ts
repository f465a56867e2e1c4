import { readFileSync } from 'node:fs';
import type { Configuration } from '@azure/msal-node';
import type { MailboxAccessConfig } from '../config.js';
import type { Store } from '../store/index.js';
import { createMailboxGraph, type MailboxGraph } from './graph.js';
import { runMailboxOnce, type RunSummary, type RunTrigger } from './processor.js';
import { appOnlyTokenSource, msalConfiguration, type TokenSource } from './tokens.js';

/*
 * Automatic logging as the API process runs it: on a schedule for every tenant that switched it on, on
 * demand from the admin API, and once from the command line. Every instance may schedule; the mailbox
 * lease lets one of them work a given mailbox at a time.
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
  runOnce(tenantId: string, trigger: RunTrigger): Promise<RunSummary>;
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

  const runOnce = (tenantId: string, trigger: RunTrigger): Promise<RunSummary> => {
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
      trigger
    )
      .then((summary) => {
        if (summary.status !== 'locked') log.info({ tenantId, ...summary }, 'mailbox run finished');
        return summary;
      })
      .finally(() => running.delete(tenantId));
    running.set(tenantId, run);
    return run;
  };

  const tick = async () => {
    for (const { tenantId, settings } of await store.mailbox.enabledTenants()) {
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
    runOnce,
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
