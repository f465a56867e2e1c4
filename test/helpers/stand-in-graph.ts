import { createMailboxGraph, type MailboxGraph } from '../../src/server/mailbox/graph.js';
import type { MailboxAccessConfig } from '../../src/server/config.js';
import type { ProcessorDeps } from '../../src/server/usecases/run-mailbox.js';
import { appOnlyTokenSource } from '../../src/server/mailbox/tokens.js';
import type { Store } from '../../src/server/store/index.js';
import { startGraphMailbox, TEST_LIMITS, type GraphMailbox } from '../../src/stand-ins/graph/stand-in.js';
import { startTestApi, type TestApi } from './api.js';
import type { GraphStandInAccess } from './config.js';
import { addAnaAndLena } from './messages.js';
import type { EngineName } from './stores.js';

/*
 * The processor's real Graph client against the Graph mailbox stand-in, signed in with the stand-in's app
 * registration. Graph's waits (Retry-After, backoff) are cut to `maxSleepMs` to keep tests quick; a test that
 * honours them in full passes a larger one.
 */

export function standInGraph(standIn: GraphStandInAccess, mailbox: string, maxSleepMs = 50): MailboxGraph {
  return createMailboxGraph({
    graphBaseUrl: standIn.url,
    mailbox,
    token: appOnlyTokenSource(standIn.msalConfiguration(), 'https://graph.microsoft.com/.default'),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.min(ms, maxSleepMs)))
  });
}

/** What runMailboxOnce needs, with each tenant's shared mailbox (its saved settings name it) at the stand-in. */
export function standInProcessorDeps(
  store: Store,
  standIn: GraphStandInAccess,
  options: { holder: string; leaseTtlMs?: number; maxSleepMs?: number }
): ProcessorDeps {
  return {
    store,
    holder: options.holder,
    ...(options.leaseTtlMs !== undefined ? { leaseTtlMs: options.leaseTtlMs } : {}),
    graphFor: (_tenantId, settings) => standInGraph(standIn, settings.mailboxAddress ?? '', options.maxSleepMs)
  };
}

/** The mailbox service's app-only access to the stand-in, with the schedule off unless `overrides` say otherwise. */
export function standInAccess(
  standIn: GraphMailbox,
  overrides: Partial<MailboxAccessConfig> = {}
): MailboxAccessConfig {
  return {
    clientId: standIn.app.clientId,
    clientSecret: standIn.app.clientSecret,
    certificate: null,
    graphBaseUrl: standIn.url,
    graphScope: 'https://graph.microsoft.com/.default',
    authorityHost: standIn.httpsUrl,
    schedule: false,
    concurrency: 8,
    ...overrides
  };
}

/** The server and the Graph mailbox stand-in it reaches, shared by a describe block. */
export interface MailboxSuite {
  readonly api: TestApi;
  readonly standIn: GraphMailbox;
}

/**
 * Starts the stand-in with `mailboxes` and the server over it in a beforeAll (the processor runs only when asked:
 * no schedule), with Ana and Lena in each of `tenants`; closes both in the afterAll.
 */
export function useMailboxSuite(engine: EngineName, mailboxes: string[], tenants: string[]): MailboxSuite {
  let started: { api: TestApi; standIn: GraphMailbox } | undefined;
  const live = () => {
    if (!started) throw new Error('the mailbox suite is used before its beforeAll or after its afterAll');
    return started;
  };
  beforeAll(async () => {
    const standIn = await startGraphMailbox({ mailboxes, limits: TEST_LIMITS });
    const api = await startTestApi(engine, { graph: standIn, env: { MAILBOX_SCHEDULE: 'false' } }).catch(
      async (error: unknown) => {
        await standIn.close();
        throw error;
      }
    );
    started = { api, standIn };
    for (const tenant of tenants) await addAnaAndLena(api.server.store, tenant);
  });
  afterAll(async () => {
    await started?.api.close();
    await started?.standIn.close();
    started = undefined;
  });
  return {
    get api() {
      return live().api;
    },
    get standIn() {
      return live().standIn;
    }
  };
}
