import { Client, HTTPMessageHandler, type Middleware, type PageCollection } from '@microsoft/microsoft-graph-client';
import { LOGGED_MESSAGE_FIELDS } from '../../shared/graph-fields.js';
import { odataString } from '../../shared/odata.js';
import type { GraphMessage } from '../../shared/schemas/message.js';
import {
  alreadyExists,
  describeGraphFailure,
  graphAnswerFailure,
  graphFailure,
  type GraphFailure
} from './graph-errors.js';
import { MAX_BATCH, moveBatch, type MoveContext } from './graph-moves.js';

/*
 * The shared mailbox through Microsoft Graph, app-only, within Graph's limits for one mailbox:
 * - at most 4 requests in flight. A $batch takes as many places as Graph runs of it at once: its moves are
 *   chained with dependsOn, so Graph runs them one after another and a batch takes one place; up to four
 *   batches are in flight, which keeps the mailbox's four places busy while each answer travels back;
 * - throttled answers (graph-errors.ts) are retried after Retry-After — but only for requests that are safe
 *   to repeat (reads, and $batch requests of reads only); moves are repeated by graph-moves.ts, which looks
 *   where a message is before it sends a move that may have happened again.
 * - ids are asked for in their immutable form, so a message keeps its id when it is filed away; well-known
 *   folder names (inbox, ...) are resolved to folder ids once, since a message's parentFolderId is an id.
 * - every retry is bounded, in attempts and in time waited; what keeps failing is reported, for the processor
 *   to count and quarantine.
 */

export const MAX_IN_FLIGHT = 4;
export { MAX_BATCH, MAX_MOVE_ATTEMPTS, MOVE_WAIT_BUDGET_MS } from './graph-moves.js';
const IMMUTABLE_IDS = 'IdType="ImmutableId"';
/** How often a read is sent again, and how long it may wait for Graph in all, before its failure is the caller's. */
const READ_RETRIES = 5;
export const READ_WAIT_BUDGET_MS = 60_000;
/** The pause before a read is sent again when Graph named none (no answer, or a gateway timeout). */
const PAUSE_WITHOUT_RETRY_AFTER_MS = 1000;
/**
 * Graph's well-known folder names (mailFolder resource, "Use well-known folder names":
 * https://learn.microsoft.com/graph/api/resources/mailfolder?view=graph-rest-1.0). Accepted wherever a folder
 * id is, but never written back as a parentFolderId.
 */
const WELL_KNOWN_FOLDERS = new Set([
  'archive',
  'clutter',
  'conflicts',
  'conversationhistory',
  'deleteditems',
  'drafts',
  'inbox',
  'junkemail',
  'localfailures',
  'msgfolderroot',
  'outbox',
  'recoverableitemsdeletions',
  'scheduled',
  'searchfolders',
  'sentitems',
  'serverfailures',
  'syncissues'
]);

/** What the log keeps, and where the message is filed. */
export const INBOX_FIELDS = [...LOGGED_MESSAGE_FIELDS, 'parentFolderId'];

/**
 * A folder's size: Graph's mailFolder has no size property (v1.0 and beta metadata), so it is read as the
 * folder's MAPI property PR_MESSAGE_SIZE_EXTENDED (PidTagMessageSizeExtended, 0x0E08, PtypInteger64 — Graph's
 * 'Long'; [MS-OXPROPS] 2.798, [MS-OXCFOLD] 2.2.2.2.1.11), expanded as a single-value extended property:
 * https://learn.microsoft.com/graph/api/singlevaluelegacyextendedproperty-get?view=graph-rest-1.0
 */
export const FOLDER_SIZE_PROPERTY = 'Long 0x0E08';

interface ExtendedProperty {
  id?: string;
  value?: string | null;
}

/** The size among a folder's extended properties: ids compared by type and tag (0x0E08 = 0xe08), not as text. */
function folderSize(properties: ExtendedProperty[] | undefined): number | null {
  const size = (properties ?? []).find((property) => {
    const match = /^\s*Long\s+0x([0-9A-Fa-f]{1,4})\s*$/i.exec(property.id ?? '');
    return match !== null && parseInt(match[1] ?? '', 16) === 0x0e08;
  });
  const bytes = Number(size?.value ?? NaN);
  return Number.isSafeInteger(bytes) && bytes >= 0 ? bytes : null;
}

export interface MailboxMessage extends GraphMessage {
  id: string;
  parentFolderId?: string | null;
}

export interface GraphCounters {
  requests: number;
  throttled: number;
}

/** A counting gate: callers wait for one of `size` places. */
class Gate {
  private free: number;
  private readonly waiting: Array<() => void> = [];

  constructor(size: number) {
    this.free = size;
  }

  async enter(places = 1): Promise<void> {
    while (this.free < places) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.free -= places;
  }

  leave(places = 1): void {
    this.free += places;
    for (const wake of this.waiting.splice(0)) wake();
  }
}

type GraphContext = Parameters<Middleware['execute']>[0];

/** Token, in-flight limit and throttling in one middleware, ahead of the library's HTTP handler. */
class MailboxPolicy implements Middleware {
  private next: Middleware | undefined;

  constructor(
    private readonly token: () => Promise<string>,
    private readonly gate: Gate,
    private readonly counters: GraphCounters,
    private readonly sleep: (ms: number) => Promise<void>
  ) {}

  async execute(context: GraphContext): Promise<void> {
    const method = (context.options?.method ?? 'GET').toUpperCase();
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    const batch = url.endsWith('/$batch')
      ? batchShape(context.options?.body)
      : { requests: 1, parallel: 1, readOnly: method === 'GET' };
    let waited = 0;
    for (let attempt = 0; ; attempt++) {
      const dropped = await this.send(context, batch);
      const failure = dropped ? graphFailure(dropped) : this.repeatable(context.response);
      if (!failure) return;
      // Only reads are sent again here; a move is repeated only by its caller, after looking where the message is.
      const waitMs = failure.retryAfterMs ?? PAUSE_WITHOUT_RETRY_AFTER_MS * (attempt + 1);
      const again = batch.readOnly && attempt < READ_RETRIES && waited + waitMs <= READ_WAIT_BUDGET_MS;
      if (!again) {
        if (dropped) throw dropped;
        return;
      }
      waited += waitMs;
      await this.sleep(waitMs);
    }
  }

  /** One try, inside the gate; the error when no answer came. */
  private async send(context: GraphContext, batch: BatchShape): Promise<unknown> {
    const headers = new Headers(context.options?.headers as ConstructorParameters<typeof Headers>[0]);
    headers.set('Authorization', `Bearer ${await this.token()}`);
    context.options = { ...context.options, headers };
    const places = Math.min(batch.parallel, MAX_IN_FLIGHT);
    await this.gate.enter(places);
    try {
      this.counters.requests += batch.requests;
      await this.next?.execute(context);
      return null;
    } catch (error) {
      return error ?? new Error('The request failed.');
    } finally {
      this.gate.leave(places);
    }
  }

  /**
   * An answer a read may be sent again after: throttled (counted), or a gateway timeout. Null for any other:
   * those are the caller's to read.
   */
  private repeatable(response: Response | undefined): GraphFailure | null {
    if (!response || response.ok) return null;
    const failure = graphAnswerFailure({ status: response.status, retryAfter: response.headers.get('retry-after') });
    if (failure.kind === 'throttled') this.counters.throttled += 1;
    return failure.kind === 'throttled' || failure.uncertain ? failure : null;
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

/**
 * A $batch's sub-requests, how many of them Graph may run at once (those depending on none), and whether it
 * only reads (then it is as safe to send again as a GET).
 */
interface BatchShape {
  requests: number;
  parallel: number;
  readOnly: boolean;
}

function batchShape(body: unknown): BatchShape {
  try {
    const parsed = JSON.parse(typeof body === 'string' ? body : '{}') as {
      requests?: Array<{ dependsOn?: unknown; method?: unknown }>;
    };
    const requests = parsed.requests ?? [];
    const independent = requests.filter((r) => !Array.isArray(r.dependsOn) || r.dependsOn.length === 0).length;
    return {
      requests: Math.max(1, requests.length),
      parallel: Math.max(1, independent),
      readOnly: requests.every((r) => String(r.method).toUpperCase() === 'GET')
    };
  } catch {
    return { requests: 1, parallel: 1, readOnly: false };
  }
}

export interface MailboxGraphOptions {
  /** Graph's root without version: https://graph.microsoft.com, or a stand-in's. */
  graphBaseUrl: string;
  /** The shared mailbox's address (its user principal name). */
  mailbox: string;
  token: () => Promise<string>;
  sleep?: (ms: number) => Promise<void>;
}

export interface FolderMove {
  /** The message's immutable id. */
  messageId: string;
  /** The folder it is in now (id or well-known name): it is moved again only while it is still there. */
  sourceId: string;
  /** Where it goes (id or well-known name). */
  destinationId: string;
}

export interface MoveOutcome {
  messageId: string;
  /** The message as it now stands in the destination; null when it did not move. */
  moved: MailboxMessage | null;
  error: string | null;
  /** Not moved only because Graph kept throttling it: not held against the message (no step to quarantine). */
  throttled?: boolean;
}

export interface MailboxGraph {
  counters: GraphCounters;
  /** Up to `top` Inbox messages received at or after `since` (ISO time; null: from the start), oldest first. */
  inboxPage(since: string | null, top: number): Promise<MailboxMessage[]>;
  /** The same for any folder (id or well-known name): what reconciliation lists. */
  folderPage(folder: string, since: string | null, top: number): Promise<MailboxMessage[]>;
  /** A top-level folder's id by display name; null when there is none. */
  findFolderId(displayName: string): Promise<string | null>;
  /** A top-level folder's id by display name, created when missing; `created` says whether this call made it. */
  ensureFolder(displayName: string): Promise<{ id: string; created: boolean }>;
  /**
   * Moves in $batch requests of at most 20; each sub-response is checked on its own. A move that may have
   * happened is looked at before it is sent again; one that keeps failing comes back with an error.
   */
  move(moves: FolderMove[]): Promise<MoveOutcome[]>;
  getMessage(messageId: string): Promise<MailboxMessage | null>;
  /** A message of a folder by its Internet Message-ID; null when the folder has none. */
  findInFolder(folderId: string, internetMessageId: string): Promise<MailboxMessage | null>;
  /** How many messages wait in the Inbox. */
  inboxCount(): Promise<number>;
  /** A folder's item count and size in bytes (by id or well-known name); size null where Exchange does not tell it. */
  folderFigures(folder: string): Promise<{ totalItemCount: number; sizeInBytes: number | null }>;
  /** When the newest message of a folder (id or well-known name) arrived; null when the folder is empty. */
  newestReceived(folder: string): Promise<string | null>;
  /**
   * One page of the Inbox's delta (messages/delta), from a nextLink or deltaLink Graph gave (null: a new round,
   * which lists every message in the Inbox). Removed messages come back as `removed` ids.
   */
  inboxDelta(link: string | null, pageSize: number): Promise<DeltaPage>;
  /** Creates a change-notification subscription (POST /subscriptions); Graph validates the URLs first. */
  createSubscription(request: SubscriptionRequest): Promise<Subscription>;
  /** Extends a subscription (PATCH /subscriptions/{id}); null when Graph no longer has it (404). */
  renewSubscription(id: string, expirationDateTime: string): Promise<Subscription | null>;
}

/** https://learn.microsoft.com/graph/delta-query-messages */
export interface DeltaPage {
  messages: MailboxMessage[];
  removed: string[];
  /** Another page of this round follows. */
  nextLink: string | null;
  /** The round is complete: where the next round starts. */
  deltaLink: string | null;
}

/** The subscription resource's properties we set: https://learn.microsoft.com/graph/api/resources/subscription */
export interface SubscriptionRequest {
  changeType: string;
  notificationUrl: string;
  lifecycleNotificationUrl: string;
  resource: string;
  expirationDateTime: string;
  clientState: string;
}

export interface Subscription {
  id: string;
  expirationDateTime: string;
}

/** Graph could not continue from a delta link (expired sync state): start a new round. */
export class DeltaResetError extends Error {
  constructor(readonly failure: GraphFailure) {
    super(`Graph refused the delta link (${describeGraphFailure(failure)}); the Inbox's delta starts over.`);
    this.name = 'DeltaResetError';
  }
}

/** The Graph client for one mailbox, with the mailbox policy in front of the library's HTTP handler. */
export function createMailboxGraph(options: MailboxGraphOptions): MailboxGraph {
  const counters: GraphCounters = { requests: 0, throttled: 0 };
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const root = options.graphBaseUrl.replace(/\/+$/, '');
  const client = Client.initWithMiddleware({
    baseUrl: root,
    defaultVersion: 'v1.0',
    middleware: [new MailboxPolicy(options.token, new Gate(MAX_IN_FLIGHT), counters, sleep), new HTTPMessageHandler()]
  });
  const scope: Scope = { client, root, user: `/users/${encodeURIComponent(options.mailbox)}` };
  const getMessage = (messageId: string) => readMessage(scope, messageId);
  const { folderIdOf, ...folders } = folderAccess(scope);
  const moves: MoveContext = { client, user: scope.user, counters, sleep, getMessage };
  return {
    counters,
    ...folders,
    ...inboxReads(scope, folderIdOf),
    ...subscriptions(client),
    getMessage,
    async move(list) {
      // Folders by id: a message's parentFolderId is never a well-known name.
      const resolved = await Promise.all(
        list.map(async (move) => ({
          ...move,
          sourceId: await folderIdOf(move.sourceId),
          destinationId: await folderIdOf(move.destinationId)
        }))
      );
      // Batches in parallel; the gate lets as many through as the mailbox has places for.
      const batches: FolderMove[][] = [];
      for (let start = 0; start < resolved.length; start += MAX_BATCH) {
        batches.push(resolved.slice(start, start + MAX_BATCH));
      }
      return (await Promise.all(batches.map((batch) => moveBatch(moves, batch)))).flat();
    }
  };
}

/** What every request of one mailbox's client starts from. */
interface Scope {
  client: Client;
  /** Graph's root without version. */
  root: string;
  /** The mailbox's path: /users/{address}. */
  user: string;
}

/** A message by immutable id; null when Graph has none (not-found). */
async function readMessage({ client, user }: Scope, messageId: string): Promise<MailboxMessage | null> {
  try {
    return (await client
      .api(`${user}/messages/${encodeURIComponent(messageId)}`)
      .header('Prefer', IMMUTABLE_IDS)
      .select(INBOX_FIELDS)
      .get()) as MailboxMessage;
  } catch (error) {
    if (graphFailure(error).kind === 'not-found') return null;
    throw error;
  }
}

/** Folders by display name or well-known name, and their figures. */
function folderAccess({ client, user }: Scope) {
  const findFolderId = async (displayName: string): Promise<string | null> => {
    const found = (await client
      .api(`${user}/mailFolders`)
      .filter(encodeURIComponent(`displayName eq ${odataString(displayName)}`))
      .select(['id', 'displayName'])
      .get()) as { value: Array<{ id: string }> };
    return found.value[0]?.id ?? null;
  };

  // Well-known names resolved once per connection: GET /mailFolders/{name} gives the folder's id.
  const wellKnownIds = new Map<string, Promise<string>>();
  const folderIdOf = (folder: string): Promise<string> => {
    const name = folder.toLowerCase();
    if (!WELL_KNOWN_FOLDERS.has(name)) return Promise.resolve(folder);
    let id = wellKnownIds.get(name);
    if (!id) {
      id = (client.api(`${user}/mailFolders/${name}`).select(['id']).get() as Promise<{ id: string }>).then(
        (f) => f.id
      );
      id.catch(() => wellKnownIds.delete(name));
      wellKnownIds.set(name, id);
    }
    return id;
  };

  return {
    folderIdOf,
    findFolderId,
    async ensureFolder(displayName: string): Promise<{ id: string; created: boolean }> {
      const existing = await findFolderId(displayName);
      if (existing) return { id: existing, created: false };
      try {
        const made = (await client.api(`${user}/mailFolders`).post({ displayName })) as { id: string };
        return { id: made.id, created: true };
      } catch (error) {
        // Another instance made it first.
        const raced = alreadyExists(graphFailure(error)) ? await findFolderId(displayName) : null;
        if (raced) return { id: raced, created: false };
        throw error;
      }
    },
    async folderFigures(folder: string) {
      const figures = (await client
        .api(`${user}/mailFolders/${encodeURIComponent(folder)}`)
        .select(['totalItemCount'])
        .expand(encodeURIComponent(`singleValueExtendedProperties($filter=id eq '${FOLDER_SIZE_PROPERTY}')`))
        .get()) as { totalItemCount?: number; singleValueExtendedProperties?: ExtendedProperty[] };
      return {
        totalItemCount: figures.totalItemCount ?? 0,
        sizeInBytes: folderSize(figures.singleValueExtendedProperties)
      };
    },
    async newestReceived(folder: string) {
      const page = (await client
        .api(`${user}/mailFolders/${encodeURIComponent(folder)}/messages`)
        .select(['receivedDateTime'])
        .orderby('receivedDateTime desc')
        .top(1)
        .get()) as { value: Array<{ receivedDateTime?: string | null }> };
      return page.value[0]?.receivedDateTime ?? null;
    },
    async findInFolder(folderId: string, internetMessageId: string) {
      const found = (await client
        .api(`${user}/mailFolders/${encodeURIComponent(folderId)}/messages`)
        .header('Prefer', IMMUTABLE_IDS)
        .filter(encodeURIComponent(`internetMessageId eq ${odataString(internetMessageId)}`))
        .select(INBOX_FIELDS)
        .top(1)
        .get()) as { value: MailboxMessage[] };
      return found.value[0] ?? null;
    }
  };
}

/** The Inbox: by time, by count, and by delta. */
function inboxReads({ client, user, root }: Scope, folderIdOf: (folder: string) => Promise<string>) {
  /**
   * A link Graph answered (nextLink, deltaLink), as a path under the Graph root: the client sends the mailbox's
   * token with it, so a link to anywhere else is refused rather than followed.
   */
  const withinGraph = (link: string): string => {
    const prefix = `${root}/v1.0/`;
    if (!link.startsWith(prefix)) throw new Error('Graph answered a link outside its own root; not followed.');
    // The client puts its base URL and version in front of a path (an absolute URL is kept only for https).
    return link.slice(prefix.length - 1);
  };

  type DeltaAnswer = { value?: Array<MailboxMessage & { '@removed'?: unknown }>; [key: string]: unknown };
  const deltaAnswer = async (link: string | null, pageSize: number): Promise<DeltaAnswer> => {
    // The page size is asked for with Prefer: odata.maxpagesize; delta does not take $top for messages.
    const prefer = `${IMMUTABLE_IDS}, odata.maxpagesize=${pageSize}`;
    try {
      const request = link
        ? client.api(withinGraph(link))
        : client
            .api(`${user}/mailFolders/${encodeURIComponent(await folderIdOf('inbox'))}/messages/delta`)
            .select(INBOX_FIELDS);
      return (await request.header('Prefer', prefer).get()) as DeltaAnswer;
    } catch (error) {
      const failure = graphFailure(error);
      // An expired or unknown sync state: 410 Gone (or a 400 for a link it cannot read), per the delta query
      // overview's error handling: https://learn.microsoft.com/graph/delta-query-overview
      if (link && (failure.kind === 'not-found' || failure.kind === 'invalid')) throw new DeltaResetError(failure);
      throw error;
    }
  };

  const folderPage = async (folder: string, since: string | null, top: number): Promise<MailboxMessage[]> => {
    // Pages by time, not by position: messages leave the Inbox as they are filed, which would make
    // Graph's skip-based next links jump over the ones behind them.
    const request = client
      .api(`${user}/mailFolders/${encodeURIComponent(folder)}/messages`)
      .header('Prefer', IMMUTABLE_IDS)
      .select(INBOX_FIELDS)
      .orderby('receivedDateTime asc')
      .top(top);
    if (since) request.filter(encodeURIComponent(`receivedDateTime ge ${since}`));
    const page = (await request.get()) as PageCollection;
    return page.value as MailboxMessage[];
  };
  return {
    inboxPage: (since: string | null, top: number) => folderPage('inbox', since, top),
    folderPage,
    async inboxCount() {
      const inbox = (await client.api(`${user}/mailFolders/inbox`).select(['totalItemCount']).get()) as {
        totalItemCount?: number;
      };
      return inbox.totalItemCount ?? 0;
    },
    async inboxDelta(link: string | null, pageSize: number): Promise<DeltaPage> {
      const page = await deltaAnswer(link, pageSize);
      const messages: MailboxMessage[] = [];
      const removed: string[] = [];
      for (const item of page.value ?? []) {
        if (item['@removed'] !== undefined) removed.push(item.id);
        else messages.push(item);
      }
      const text = (key: string) => (typeof page[key] === 'string' ? (page[key] as string) : null);
      return { messages, removed, nextLink: text('@odata.nextLink'), deltaLink: text('@odata.deltaLink') };
    }
  };
}

/** Change-notification subscriptions: https://learn.microsoft.com/graph/api/resources/subscription */
function subscriptions(client: Client) {
  return {
    async createSubscription(request: SubscriptionRequest) {
      return (await client.api('/subscriptions').post(request)) as Subscription;
    },
    async renewSubscription(id: string, expirationDateTime: string) {
      try {
        return (await client
          .api(`/subscriptions/${encodeURIComponent(id)}`)
          .patch({ expirationDateTime })) as Subscription;
      } catch (error) {
        // Graph no longer has it: the caller creates a new one.
        if (graphFailure(error).kind === 'not-found') return null;
        throw error;
      }
    }
  };
}
