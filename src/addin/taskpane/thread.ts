import type { GraphConnection } from '../graph/thread.js';
import type { LogThreadResult } from '../../shared/schemas/interaction.js';
import { MAX_MESSAGES_PER_CALL } from '../../shared/limits.js';
import type { GraphMessage } from '../../shared/schemas/message.js';
import type { MailItem } from '../office/types.js';
import type { PaneServices } from './services.js';

/*
 * The thread of the open message, read through Graph and logged through the API. The Graph client is
 * loaded on first use, so opening the pane does not pay for it.
 */

const clients = new WeakMap<PaneServices, Promise<GraphConnection>>();

async function graphOf(services: PaneServices) {
  let client = clients.get(services);
  if (!client) {
    client = import(/* webpackChunkName: "graph" */ '../graph/thread.js').then((m) =>
      m.createGraphClient(services.config.graphBaseUrl, services.tokens.graphToken)
    );
    clients.set(services, client);
  }
  return client;
}

export async function readOpenThread(
  services: PaneServices,
  item: MailItem,
  onProgress?: (read: number) => void
): Promise<GraphMessage[]> {
  const [client, { readThread }] = await Promise.all([graphOf(services), import('../graph/thread.js')]);
  return readThread(client, { restId: item.restId, officeConversationId: item.officeConversationId }, onProgress);
}

/** Logs every message, in calls of at most the API's batch size; repeats change nothing. */
export async function logMessages(services: PaneServices, messages: GraphMessage[]): Promise<LogThreadResult> {
  const result: LogThreadResult = { logged: [], skipped: [] };
  for (let start = 0; start < messages.length; start += MAX_MESSAGES_PER_CALL) {
    const part = await services.api.logThread(messages.slice(start, start + MAX_MESSAGES_PER_CALL));
    result.logged.push(...part.logged);
    result.skipped.push(...part.skipped);
  }
  return result;
}
