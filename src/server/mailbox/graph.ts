import { Client, HTTPMessageHandler, type Middleware, type PageCollection } from '@microsoft/microsoft-graph-client';
import { LOGGED_MESSAGE_FIELDS } from '../../shared/graph-fields.js';
import type { GraphMessage } from '../../shared/schemas/message.js';

/*
 * The shared mailbox through Microsoft Graph, app-only, within Graph's limits for one mailbox:
 * - at most 4 requests in flight. A $batch takes as many places as Graph runs of it at once: its moves are
 *   chained with dependsOn, so Graph runs them one after another and a batch takes one place; up to four
 *   batches are in flight, which keeps the mailbox's four places busy while each answer travels back;
 * - 429, 503 and 504 are retried after Retry-After — but only for requests that are safe to repeat.
 *   A move answered 504 may have happened, so moves are never repeated blindly: the caller looks first.
 * - ids are asked for in their immutable form, so a message keeps its id when it is filed away.
 */

export const MAX_IN_FLIGHT = 4;
export const MAX_BATCH = 20;
const IMMUTABLE_IDS = 'IdType="ImmutableId"';
const RETRY_STATUSES = new Set([429, 503, 504]);
const MAX_RETRIES = 5;
const DEFAULT_RETRY_AFTER_MS = 1000;

/** What the log keeps, and where the message is filed. */
export const INBOX_FIELDS = [...LOGGED_MESSAGE_FIELDS, 'parentFolderId'];

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
    const batch = url.endsWith('/$batch') ? batchShape(context.options?.body) : { requests: 1, parallel: 1 };
    const batchSize = batch.requests;
    // A move is repeated only by its caller, after looking where the message is.
    const repeatable = method === 'GET' || url.endsWith('/$batch');
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
        // A dropped connection: a read, or a batch of moves (moving again to the same folder changes
        // nothing), is sent again after a pause; anything else is the caller's to decide.
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

/** A $batch's sub-requests, and how many of them Graph may run at once (those depending on none). */
function batchShape(body: unknown): { requests: number; parallel: number } {
  try {
    const parsed = JSON.parse(typeof body === 'string' ? body : '{}') as { requests?: Array<{ dependsOn?: unknown }> };
    const requests = parsed.requests ?? [];
    const independent = requests.filter((r) => !Array.isArray(r.dependsOn) || r.dependsOn.length === 0).length;
    return { requests: Math.max(1, requests.length), parallel: Math.max(1, independent) };
  } catch {
    return { requests: 1, parallel: 1 };
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
  /** Moves in $batch requests of at most 20; each sub-response is checked on its own. */
  move(moves: Array<{ messageId: string; destinationId: string }>): Promise<MoveOutcome[]>;
  getMessage(messageId: string): Promise<MailboxMessage | null>;
  /** A message of a folder by its Internet Message-ID; null when the folder has none. */
  findInFolder(folderId: string, internetMessageId: string): Promise<MailboxMessage | null>;
  /** How many messages wait in the Inbox. */
  inboxCount(): Promise<number>;
  /** A folder's item count and size (by id or well-known name); size null where Graph does not tell it. */
  folderFigures(folder: string): Promise<{ totalItemCount: number; sizeInBytes: number | null }>;
  /** When the newest message of a folder (id or well-known name) arrived; null when the folder is empty. */
  newestReceived(folder: string): Promise<string | null>;
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

  async function moveBatch(moves: Array<{ messageId: string; destinationId: string }>): Promise<MoveOutcome[]> {
    // Chained: each move depends on the one before, so Graph runs them one at a time (one of the mailbox's
    // four places). Each still counts against the limits. A failed move makes the rest 424, unexecuted.
    const requests = moves.map((move, index) => ({
      id: String(index),
      method: 'POST',
      url: `${user}/messages/${encodeURIComponent(move.messageId)}/move`,
      headers: { 'Content-Type': 'application/json', Prefer: IMMUTABLE_IDS },
      body: { destinationId: move.destinationId },
      ...(index > 0 ? { dependsOn: [String(index - 1)] } : {})
    }));
    const answer = (await client.api('/$batch').post({ requests })) as { responses?: BatchResponse[] };
    const byId = new Map((answer.responses ?? []).map((r) => [r.id, r]));
    const outcomes: MoveOutcome[] = [];
    const again: Array<{ messageId: string; destinationId: string }> = [];
    let wait = 0;
    for (const [index, move] of moves.entries()) {
      const response = byId.get(String(index));
      if (response && response.status >= 200 && response.status < 300 && response.body?.id) {
        outcomes.push({ messageId: move.messageId, moved: response.body as MailboxMessage, error: null });
        continue;
      }
      const status = response?.status ?? 0;
      if (status === 424) {
        // Not run, because a move before it in the chain failed: send it again.
        again.push(move);
        continue;
      }
      if (status === 429 || status === 503) {
        // Throttled before it ran: safe to send again, after Graph's wait.
        counters.throttled += 1;
        wait = Math.max(
          wait,
          retryAfterMs(response?.headers?.['Retry-After'] ?? response?.headers?.['retry-after'] ?? null)
        );
        again.push(move);
        continue;
      }
      if (status === 504 || status === 0) {
        // It may have moved: look before repeating.
        const found = await getMessage(move.messageId);
        if (found && found.parentFolderId === move.destinationId) {
          outcomes.push({ messageId: move.messageId, moved: found, error: null });
        } else if (found) {
          again.push(move);
        } else {
          outcomes.push({ messageId: move.messageId, moved: null, error: 'The message disappeared during the move.' });
        }
        continue;
      }
      outcomes.push({
        messageId: move.messageId,
        moved: null,
        error: `${status} ${response?.body?.error?.code ?? ''} ${response?.body?.error?.message ?? ''}`.trim()
      });
    }
    if (again.length > 0) {
      await sleep(wait);
      outcomes.push(...(await moveBatch(again)));
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
      // Batches in parallel; the gate lets as many through as the mailbox has places for.
      const batches: Array<Array<{ messageId: string; destinationId: string }>> = [];
      for (let start = 0; start < moves.length; start += MAX_BATCH) batches.push(moves.slice(start, start + MAX_BATCH));
      return (await Promise.all(batches.map((batch) => moveBatch(batch)))).flat();
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
      const path = `${user}/mailFolders/${encodeURIComponent(folder)}`;
      type Figures = { totalItemCount?: number; sizeInBytes?: number };
      let figures: Figures;
      try {
        figures = (await client.api(path).select(['totalItemCount', 'sizeInBytes']).get()) as Figures;
      } catch (error) {
        // sizeInBytes is not in every Graph version: a 400 for it leaves the size unknown.
        if ((error as { statusCode?: number }).statusCode !== 400) throw error;
        figures = (await client.api(path).select(['totalItemCount']).get()) as Figures;
      }
      return {
        totalItemCount: figures.totalItemCount ?? 0,
        sizeInBytes: typeof figures.sizeInBytes === 'number' ? figures.sizeInBytes : null
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
