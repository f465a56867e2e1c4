import {
  Client,
  HTTPMessageHandler,
  RetryHandler,
  RetryHandlerOptions,
  type Middleware,
  type PageCollection
} from '@microsoft/microsoft-graph-client';
import { LOGGED_MESSAGE_FIELDS } from '../../shared/graph-fields.js';
import { odataString } from '../../shared/odata.js';
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
export const THREAD_FIELDS = [...LOGGED_MESSAGE_FIELDS];
const PAGE_SIZE = 50;
const VERSION = 'v1.0';
const IMMUTABLE_IDS = 'IdType="ImmutableId"';

type GraphContext = Parameters<Middleware['execute']>[0];

/**
 * Attaches the Graph token to requests for the configured Graph origin, and to nothing else. (The
 * client's own handler does this only for https hosts, which rules out the dev stand-in on plain HTTP.)
 */
export class BearerForOrigin implements Middleware {
  private next: Middleware | undefined;

  constructor(
    private readonly origin: string,
    private readonly token: () => Promise<string>
  ) {}

  async execute(context: GraphContext): Promise<void> {
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    if (new URL(url, globalThis.location?.href).origin === this.origin) {
      const headers = new Headers(context.options?.headers as HeadersInit | undefined);
      headers.set('Authorization', `Bearer ${await this.token()}`);
      context.options = { ...context.options, headers };
    }
    await this.next?.execute(context);
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

export interface GraphConnection {
  client: Client;
  /** Graph root without version, absolute. */
  root: string;
}

export function createGraphClient(baseUrl: string, token: () => Promise<string>): GraphConnection {
  const root = new URL(baseUrl, globalThis.location?.href).href.replace(/\/+$/, '');
  const client = Client.initWithMiddleware({
    baseUrl: root,
    defaultVersion: VERSION,
    // Retries honour Retry-After on 429, 503 and 504.
    middleware: [
      new BearerForOrigin(new URL(root).origin, token),
      new RetryHandler(new RetryHandlerOptions()),
      new HTTPMessageHandler()
    ]
  });
  return { client, root };
}

export interface ThreadSource {
  /** The owner of the shared or delegated mailbox the message is in; absent: the user's own (/me). */
  mailbox?: string | undefined;
  /** Graph REST id of the open message, when there is one (read mode). */
  restId: string | null;
  /** Office's conversation id: the fallback for compose mode, where there is no saved message yet. */
  officeConversationId: string | null;
}

const timeOf = (m: GraphMessage) => Date.parse(m.receivedDateTime ?? m.sentDateTime ?? '') || 0;

/**
 * An @odata.nextLink as a path the client resolves against its own root (whatever the scheme). A link
 * anywhere else is refused: the thread would come back short, or the request go where it should not.
 */
function relativeToRoot(link: string, root: string): string {
  const prefix = `${root}/${VERSION}/`;
  if (!link.startsWith(prefix)) throw new Error(`Graph's next page is outside ${root}; the thread was not read.`);
  return link.slice(prefix.length);
}

export async function readThread(
  { client, root }: GraphConnection,
  source: ThreadSource,
  onProgress: (read: number) => void = () => undefined
): Promise<GraphMessage[]> {
  let conversationId = source.officeConversationId;
  // Another's mailbox is read as /users/{owner}/..., with the same rules as /me
  // (https://learn.microsoft.com/graph/outlook-share-messages-folders).
  const mailbox = source.mailbox ? `/users/${encodeURIComponent(source.mailbox)}` : '/me';
  if (source.restId) {
    const message = (await client
      .api(`${mailbox}/messages/${encodeURIComponent(source.restId)}`)
      .header('Prefer', IMMUTABLE_IDS)
      .select(['id', 'conversationId'])
      .get()) as { conversationId?: string };
    conversationId = message.conversationId ?? conversationId;
  }
  if (!conversationId) return [];

  const messages: GraphMessage[] = [];
  let page = (await client
    .api(`${mailbox}/messages`)
    .header('Prefer', IMMUTABLE_IDS)
    // Graph's ids are base64 and may hold '+', which a query string would read as a space.
    .filter(encodeURIComponent(`conversationId eq ${odataString(conversationId)}`))
    .select(THREAD_FIELDS)
    .top(PAGE_SIZE)
    .get()) as PageCollection;
  for (;;) {
    messages.push(...(page.value as GraphMessage[]));
    onProgress(messages.length);
    const next = page['@odata.nextLink'];
    if (!next) break;
    page = (await client.api(relativeToRoot(next, root)).header('Prefer', IMMUTABLE_IDS).get()) as PageCollection;
  }
  return messages.sort((a, b) => timeOf(a) - timeOf(b));
}

/**
 * A calendar item's iCalUId, which Office.js does not give: Graph's event by the item's REST id
 * (https://learn.microsoft.com/graph/api/event-get). Null when Graph has none.
 */
export async function readMeetingUid({ client }: GraphConnection, restId: string): Promise<string | null> {
  const event = (await client
    .api(`/me/events/${encodeURIComponent(restId)}`)
    .select(['iCalUId'])
    .get()) as {
    iCalUId?: string | null;
  };
  return event.iCalUId || null;
}
