import { Client, type PageCollection } from '@microsoft/microsoft-graph-client';
import type { GraphMessage } from '../../shared/schemas/message.js';

/*
 * Reads the open message's whole conversation from Microsoft Graph:
 * 1. the message by its REST id (Office gives an EWS id; the office adapter converts it), for Graph's
 *    own conversationId — Office's can differ;
 * 2. every message with that conversationId, page by page. Graph refuses $orderby together with this
 *    filter (InefficientFilter), so the thread is sorted here.
 * Ids are asked for in their immutable form so they survive moves between folders.
 */

/** Only what the interaction log keeps. */
export const THREAD_FIELDS = [
  'id',
  'internetMessageId',
  'conversationId',
  'subject',
  'bodyPreview',
  'webLink',
  'sentDateTime',
  'receivedDateTime',
  'isDraft',
  'from',
  'sender',
  'toRecipients',
  'ccRecipients'
];
const PAGE_SIZE = 50;
const IMMUTABLE_IDS = 'IdType="ImmutableId"';

export function createGraphClient(baseUrl: string, token: () => Promise<string>): Client {
  const root = new URL(baseUrl, window.location.href);
  return Client.init({
    baseUrl: root.href.replace(/\/+$/, ''),
    defaultVersion: 'v1.0',
    // The auth middleware attaches tokens to Graph's own hosts only, unless told about others (dev stand-in).
    customHosts: new Set([root.hostname]),
    authProvider: (done) => {
      token().then(
        (accessToken) => done(null, accessToken),
        (error: unknown) => done(error, null)
      );
    }
  });
}

export interface ThreadSource {
  /** Graph REST id of the open message, when there is one (read mode). */
  restId: string | null;
  /** Office's conversation id: the fallback for compose mode, where there is no saved message yet. */
  officeConversationId: string | null;
}

const quote = (value: string) => `'${value.replace(/'/g, "''")}'`;
const timeOf = (m: GraphMessage) => Date.parse(m.receivedDateTime ?? m.sentDateTime ?? '') || 0;

export async function readThread(
  client: Client,
  source: ThreadSource,
  onProgress: (read: number) => void = () => undefined
): Promise<GraphMessage[]> {
  let conversationId = source.officeConversationId;
  if (source.restId) {
    const message = (await client
      .api(`/me/messages/${encodeURIComponent(source.restId)}`)
      .header('Prefer', IMMUTABLE_IDS)
      .select(['id', 'conversationId'])
      .get()) as { conversationId?: string };
    conversationId = message.conversationId ?? conversationId;
  }
  if (!conversationId) return [];

  const messages: GraphMessage[] = [];
  let page = (await client
    .api('/me/messages')
    .header('Prefer', IMMUTABLE_IDS)
    .filter(`conversationId eq ${quote(conversationId)}`)
    .select(THREAD_FIELDS)
    .top(PAGE_SIZE)
    .get()) as PageCollection;
  for (;;) {
    messages.push(...(page.value as GraphMessage[]));
    onProgress(messages.length);
    const next = page['@odata.nextLink'];
    if (!next) break;
    page = (await client.api(next).header('Prefer', IMMUTABLE_IDS).get()) as PageCollection;
  }
  return messages.sort((a, b) => timeOf(a) - timeOf(b));
}
