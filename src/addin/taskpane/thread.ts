import { ApiError } from '../api/client.js';
import type { GraphConnection } from '../graph/thread.js';
import type { GraphEvent } from '../../shared/schemas/event.js';
import type { LogThreadResult } from '../../shared/schemas/interaction.js';
import { MAX_MESSAGES_PER_CALL } from '../../shared/limits.js';
import type { GraphMessage } from '../../shared/schemas/message.js';
import { meetingEvent } from '../domain/meeting.js';
import type { MailItem } from '../office/types.js';
import type { PaneServices } from './services.js';

/*
 * The thread of the open message, read through Graph and logged through the API. The Graph client is
 * loaded on first use, so opening the pane does not pay for it.
 */

const clients = new WeakMap<PaneServices, Promise<GraphConnection>>();
/** Reading another's mailbox needs a token with the shared scope, asked for only then: a client of its own. */
const sharedMailClients = new WeakMap<PaneServices, Promise<GraphConnection>>();

async function graphOf(services: PaneServices, sharedMailbox = false) {
  const kept = sharedMailbox ? sharedMailClients : clients;
  let client = kept.get(services);
  if (!client) {
    const token = sharedMailbox ? services.tokens.sharedMailToken : services.tokens.graphToken;
    client = import(/* webpackChunkName: "graph" */ '../graph/thread.js').then((m) =>
      m.createGraphClient(services.config.graphBaseUrl, token)
    );
    kept.set(services, client);
  }
  return client;
}

export async function readOpenThread(
  services: PaneServices,
  item: MailItem,
  onProgress?: (read: number) => void
): Promise<GraphMessage[]> {
  // A calendar item is no thread: its meeting is logged whole (readOpenMeeting).
  if (item.meeting) return [];
  const { sharedOwner } = item;
  const [client, { readThread }] = await Promise.all([
    graphOf(services, sharedOwner !== undefined),
    import('../graph/thread.js')
  ]);
  const source = { restId: item.restId, officeConversationId: item.officeConversationId, mailbox: sharedOwner };
  return readThread(client, source, onProgress);
}

/**
 * Logs every message, in calls of at most the API's batch size; repeats change nothing. A call the API refuses
 * as making too many entries (a thread mailed to many contacts) is sent again in halves. Messages read from a
 * shared or delegated mailbox name its owner (sharedMailbox), who then counts as a participant.
 */
export async function logMessages(
  services: PaneServices,
  messages: GraphMessage[],
  sharedMailbox?: string
): Promise<LogThreadResult> {
  const result: LogThreadResult = { logged: [], skipped: [] };
  const logPart = async (part: GraphMessage[]): Promise<void> => {
    try {
      const logged = await services.api.logThread(part, sharedMailbox);
      result.logged.push(...logged.logged);
      result.skipped.push(...logged.skipped);
    } catch (error) {
      if (!(error instanceof ApiError && error.problem?.code === 'too-many-entries' && part.length > 1)) throw error;
      const half = Math.ceil(part.length / 2);
      await logPart(part.slice(0, half));
      await logPart(part.slice(half));
    }
  };
  for (let start = 0; start < messages.length; start += MAX_MESSAGES_PER_CALL) {
    await logPart(messages.slice(start, start + MAX_MESSAGES_PER_CALL));
  }
  return result;
}

/**
 * The open calendar item as the Graph event log-meeting takes, its iCalUId read from Graph; null while the item has
 * no id yet (a meeting being organized, not saved) or Graph names no iCalUId.
 */
export async function readOpenMeeting(services: PaneServices, item: MailItem): Promise<GraphEvent | null> {
  if (!item.restId || !item.meeting) return null;
  const [client, { readMeetingUid }] = await Promise.all([graphOf(services), import('../graph/thread.js')]);
  const iCalUId = await readMeetingUid(client, item.restId);
  return iCalUId ? meetingEvent(item, iCalUId, services.host.user) : null;
}
