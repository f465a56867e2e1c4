import { Client, HTTPMessageHandler, type Middleware, type PageCollection } from '@microsoft/microsoft-graph-client';
import { LOGGED_MESSAGE_FIELDS } from '../../shared/graph-fields.js';
import type { GraphMessage } from '../../shared/schemas/message.js';

/*
 * The shared mailbox through Microsoft Graph, app-only, within Graph's limits for one mailbox:
 * - at most 4 requests in flight. A $batch takes as many places as Graph runs of it at once: its moves are
 *   chained with dependsOn, so Graph runs them one after another and a batch takes one place; up to four
 *   batches are in flight, which keeps the mailbox's four places busy while each answer travels back;
 * - 429, 503 and 504 are retried after Retry-After — but only for requests that are safe to repeat (reads,
 *   and $batch requests of reads only). A move answered 504, or lost with its connection, may have happened,
 *   alone or inside a $batch: it is never sent again before the message was looked at (by its immutable id,
 *   which survives moves) and found still in the folder it was to leave. Exchange does not promise that moving
 *   a message into the folder it is already in changes nothing.
 * - ids are asked for in their immutable form, so a message keeps its id when it is filed away; well-known
 *   folder names (inbox, ...) are resolved to folder ids once, since a message's parentFolderId is an id.
 * - every retry is bounded; a move that keeps failing is reported, for the processor to count and quarantine.
 */

export const MAX_IN_FLIGHT = 4;
export const MAX_BATCH = 20;
const IMMUTABLE_IDS = 'IdType="ImmutableId"';
const RETRY_STATUSES = new Set([429, 503, 504]);
const MAX_RETRIES = 5;
/**
 * How often one move may fail itself (throttled, or answered 504 and found still in its folder) before it is
 * given up for this run; a 424 (not run because a move before it failed) does not count.
 */
export const MAX_MOVE_ATTEMPTS = 8;
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
const DEFAULT_RETRY_AFTER_MS = 1000;

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

export class GraphRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string
  ) {
    super(message);
    this.name = 'GraphRequestError';
  }
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

/** Retry-After in seconds (Graph's form), or an HTTP date; absent: a second. */
export function retryAfterMs(header: string | null, now = Date.now()): number {
  if (!header) return DEFAULT_RETRY_AFTER_MS;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? DEFAULT_RETRY_AFTER_MS : Math.max(0, date - now);
}

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
    const batchSize = batch.requests;
    // Only reads are sent again here; a move is repeated only by its caller, after looking where the message is.
    const repeatable = batch.readOnly;
    for (let attempt = 0; ; attempt++) {
      const headers = new Headers(context.options?.headers as HeadersInit | undefined);
      headers.set('Authorization', `Bearer ${await this.token()}`);
      context.options = { ...context.options, headers };
      const places = Math.min(batch.parallel, MAX_IN_FLIGHT);
      let dropped: unknown = null;
      await this.gate.enter(places);
      try {
        this.counters.requests += batchSize;
        await this.next?.execute(context);
      } catch (error) {
        dropped = error;
      } finally {
        this.gate.leave(places);
      }
      if (dropped) {
        // A dropped connection: a read is sent again after a pause; anything else is the caller's to decide.
        if (!repeatable || attempt >= MAX_RETRIES) throw dropped;
        await this.sleep(DEFAULT_RETRY_AFTER_MS * (attempt + 1));
        continue;
      }
      const response = context.response;
      if (!response || !RETRY_STATUSES.has(response.status)) return;
      this.counters.throttled += 1;
      if (!repeatable || attempt >= MAX_RETRIES) return;
      await this.sleep(retryAfterMs(response.headers.get('retry-after')));
    }
  }

  setNext(next: Middleware): void {
    this.next = next;
  }
}

/**
 * A $batch's sub-requests, how many of them Graph may run at once (those depending on none), and whether it
 * only reads (then it is as safe to send again as a GET).
 */
function batchShape(body: unknown): { requests: number; parallel: number; readOnly: boolean } {
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

const statusOf = (error: unknown) => (error as { statusCode?: number }).statusCode ?? 0;

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
}

export interface MailboxGraph {
  counters: GraphCounters;
  /** Up to `top` Inbox messages received at or after `since` (ISO time; null: from the start), oldest first. */
  inboxPage(since: string | null, top: number): Promise<MailboxMessage[]>;
  /** A top-level folder's id by display name; created when missing if asked. */
  folderId(displayName: string, create: boolean): Promise<string | null>;
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
}

/** A move on its way: how often it failed itself, and the last answer it got. */
interface PendingMove {
  move: FolderMove;
  failures: number;
  status?: number;
}

interface BatchResponse {
  id: string;
  status: number;
  headers?: Record<string, string>;
  body?: { error?: { code?: string; message?: string } } & Partial<MailboxMessage>;
}

export function createMailboxGraph(options: MailboxGraphOptions): MailboxGraph {
  const counters: GraphCounters = { requests: 0, throttled: 0 };
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const root = options.graphBaseUrl.replace(/\/+$/, '');
  const client = Client.initWithMiddleware({
    baseUrl: root,
    defaultVersion: 'v1.0',
    middleware: [new MailboxPolicy(options.token, new Gate(MAX_IN_FLIGHT), counters, sleep), new HTTPMessageHandler()]
  });
  const user = `/users/${encodeURIComponent(options.mailbox)}`;

  async function getMessage(messageId: string): Promise<MailboxMessage | null> {
    try {
      return (await client
        .api(`${user}/messages/${encodeURIComponent(messageId)}`)
        .header('Prefer', IMMUTABLE_IDS)
        .select(INBOX_FIELDS)
        .get()) as MailboxMessage;
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return null;
      throw error;
    }
  }

  // Well-known names resolved once per connection: GET /mailFolders/{name} gives the folder's id.
  const wellKnownIds = new Map<string, Promise<string>>();
  function folderIdOf(folder: string): Promise<string> {
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
  }

  /** Where a move that may have happened left the message: moved, to send again, or settled with an error. */
  async function lookAfter(move: FolderMove): Promise<MoveOutcome | 'again'> {
    let found: MailboxMessage | null;
    try {
      found = await getMessage(move.messageId);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return {
        messageId: move.messageId,
        moved: null,
        error: `The move could not be checked (${reason}); left for the next run.`
      };
    }
    if (!found) return { messageId: move.messageId, moved: null, error: 'The message disappeared during the move.' };
    // Folder ids are the same with or without the immutable-id preference (containers' ids never change:
    // https://learn.microsoft.com/graph/outlook-immutable-id), so they compare with the resolved ids as they are.
    if (found.parentFolderId === move.destinationId) return { messageId: move.messageId, moved: found, error: null };
    if (found.parentFolderId === move.sourceId) return 'again';
    return {
      messageId: move.messageId,
      moved: null,
      error: 'The message is in another folder now; it was left there.'
    };
  }

  /**
   * One $batch of moves, then again for those not carried out. Bounded: a move that itself failed (throttled,
   * or answered 504 and still in its folder) MAX_MOVE_ATTEMPTS times is given up; one not run only because a
   * move before it failed (424) is sent again without counting, and the head of each chain always runs.
   */
  async function moveBatch(pending: PendingMove[]): Promise<MoveOutcome[]> {
    // Chained: each move depends on the one before, so Graph runs them one at a time (one of the mailbox's
    // four places). Each still counts against the limits. A failed move makes the rest 424, unexecuted.
    const requests = pending.map(({ move }, index) => ({
      id: String(index),
      method: 'POST',
      url: `${user}/messages/${encodeURIComponent(move.messageId)}/move`,
      headers: { 'Content-Type': 'application/json', Prefer: IMMUTABLE_IDS },
      body: { destinationId: move.destinationId },
      ...(index > 0 ? { dependsOn: [String(index - 1)] } : {})
    }));
    const outcomes: MoveOutcome[] = [];
    const again: PendingMove[] = [];
    const failed = (item: PendingMove, status: number) =>
      again.push({ move: item.move, failures: item.failures + 1, status });
    let wait = 0;
    const look = async (item: PendingMove, status: number) => {
      const outcome = await lookAfter(item.move);
      if (outcome === 'again') failed(item, status);
      else outcomes.push(outcome);
    };

    // null: the $batch itself got no answer to read (each move was settled above instead).
    let responses: BatchResponse[] | null = null;
    try {
      const answer = (await client.api('/$batch').post({ requests })) as { responses?: BatchResponse[] };
      responses = answer.responses ?? [];
    } catch (error) {
      const status = statusOf(error);
      if (status === 429) {
        // Throttled as a whole (the middleware counted it): nothing ran.
        wait = retryAfterMs((error as { headers?: Headers }).headers?.get('retry-after') ?? null);
        for (const item of pending) failed(item, status);
      } else if (status >= 400 && status < 500) {
        // Refused as a whole (nothing ran): each move fails, and the processor counts it.
        const reason = error instanceof Error ? error.message : String(error);
        for (const { move } of pending)
          outcomes.push({ messageId: move.messageId, moved: null, error: `${status} ${reason}` });
      } else {
        // 5xx or a lost connection: any of its moves may have happened. Look at each before sending it again.
        await Promise.all(pending.map((item) => look(item, status)));
      }
    }

    // A sub-response missing from the answer counts as no response (status 0): looked at like a 504.
    const byId = new Map((responses ?? []).map((r) => [r.id, r]));
    await Promise.all(
      (responses ? pending : []).map(async (item, index) => {
        const { move } = item;
        const response = byId.get(String(index));
        const status = response?.status ?? 0;
        if (response && status >= 200 && status < 300 && response.body?.id) {
          outcomes.push({ messageId: move.messageId, moved: response.body as MailboxMessage, error: null });
        } else if (status === 424) {
          // Not run, because a move before it in the chain failed: not its own failure.
          again.push({ ...item, status });
        } else if (status === 429 || status === 503) {
          // Throttled before it ran: safe to send again, after Graph's wait.
          counters.throttled += 1;
          wait = Math.max(
            wait,
            retryAfterMs(response?.headers?.['Retry-After'] ?? response?.headers?.['retry-after'] ?? null)
          );
          failed(item, status);
        } else if (status === 504 || status === 0) {
          // It may have moved: look before repeating.
          await look(item, status);
        } else {
          outcomes.push({
            messageId: move.messageId,
            moved: null,
            error: `${status} ${response?.body?.error?.code ?? ''} ${response?.body?.error?.message ?? ''}`.trim()
          });
        }
      })
    );

    const givenUp = again.filter((item) => item.failures >= MAX_MOVE_ATTEMPTS);
    // Left in its folder; the processor counts the failure and quarantines what keeps failing.
    for (const { move, status } of givenUp) {
      outcomes.push({
        messageId: move.messageId,
        moved: null,
        error: `Not moved after ${MAX_MOVE_ATTEMPTS} attempts (last answer: ${status || 'no response'}); left for the next run.`
      });
    }
    const next = again.filter((item) => item.failures < MAX_MOVE_ATTEMPTS);
    if (next.length > 0) {
      await sleep(wait);
      outcomes.push(...(await moveBatch(next)));
    }
    return outcomes;
  }

  return {
    counters,
    async inboxPage(since, top) {
      // Pages by time, not by position: messages leave the Inbox as they are filed, which would make
      // Graph's skip-based next links jump over the ones behind them.
      const request = client
        .api(`${user}/mailFolders/inbox/messages`)
        .header('Prefer', IMMUTABLE_IDS)
        .select(INBOX_FIELDS)
        .orderby('receivedDateTime asc')
        .top(top);
      if (since) request.filter(encodeURIComponent(`receivedDateTime ge ${since}`));
      const page = (await request.get()) as PageCollection;
      return page.value as MailboxMessage[];
    },
    async folderId(displayName, create) {
      const quoted = `'${displayName.replace(/'/g, "''")}'`;
      const found = (await client
        .api(`${user}/mailFolders`)
        .filter(encodeURIComponent(`displayName eq ${quoted}`))
        .select(['id', 'displayName'])
        .get()) as { value: Array<{ id: string }> };
      if (found.value[0]) return found.value[0].id;
      if (!create) return null;
      try {
        const created = (await client.api(`${user}/mailFolders`).post({ displayName })) as { id: string };
        return created.id;
      } catch (error) {
        // Another instance made it first.
        if ((error as { statusCode?: number }).statusCode === 409) return this.folderId(displayName, false);
        throw error;
      }
    },
    async move(moves) {
      // Folders by id: a message's parentFolderId is never a well-known name.
      const resolved = await Promise.all(
        moves.map(async (move) => ({
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
      return (
        await Promise.all(batches.map((batch) => moveBatch(batch.map((move) => ({ move, failures: 0 })))))
      ).flat();
    },
    getMessage,
    async findInFolder(folderId, internetMessageId) {
      const quoted = `'${internetMessageId.replace(/'/g, "''")}'`;
      const found = (await client
        .api(`${user}/mailFolders/${encodeURIComponent(folderId)}/messages`)
        .header('Prefer', IMMUTABLE_IDS)
        .filter(encodeURIComponent(`internetMessageId eq ${quoted}`))
        .select(INBOX_FIELDS)
        .top(1)
        .get()) as { value: MailboxMessage[] };
      return found.value[0] ?? null;
    },
    async inboxCount() {
      const inbox = (await client.api(`${user}/mailFolders/inbox`).select(['totalItemCount']).get()) as {
        totalItemCount?: number;
      };
      return inbox.totalItemCount ?? 0;
    },
    async folderFigures(folder) {
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
    async newestReceived(folder) {
      const page = (await client
        .api(`${user}/mailFolders/${encodeURIComponent(folder)}/messages`)
        .select(['receivedDateTime'])
        .orderby('receivedDateTime desc')
        .top(1)
        .get()) as { value: Array<{ receivedDateTime?: string | null }> };
      return page.value[0]?.receivedDateTime ?? null;
    }
  };
}
