import { createMailboxGraph, type MailboxGraph } from '../../src/server/mailbox/graph.js';
import type { ProcessorDeps } from '../../src/server/usecases/run-mailbox.js';
import { appOnlyTokenSource } from '../../src/server/mailbox/tokens.js';
import type { Store } from '../../src/server/store/index.js';
import type { GraphStandInAccess } from './config.js';

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
