import { setTimeout as sleep } from 'node:timers/promises';
import { GRAPH_WWW_AUTHENTICATE, type GraphPrincipal } from './auth.js';
import { EVENT_PROPERTIES } from './calendar.js';
import { badRequest, GraphError, graphErrorBody, type RequestIds } from './errors.js';
import { FaultQueue, type RequestHold, type RequestInfo, type RequestMatcher } from './faults.js';
import { formatRetryAfter, MailboxLimiter, type LimiterStats, type MailboxLimits } from './limits.js';
import { matches, nextLink, parseQuery, project, sortRecords, type EntityType, type QueryOptions } from './odata.js';
import {
  FOLDER_PROPERTIES,
  FOLDER_SIZE_PROPERTY,
  SELECTABLE_MESSAGE_PROPERTIES,
  type MailboxState,
  type StoredFolder,
  type StoredMessage
} from './state.js';

/*
 * Graph's mail API over the mailbox state: routing of /users/{id|upn}/..., the per-mailbox limits, injected
 * faults, and $batch. Transport-free: requests and responses are plain objects, so a request inside a
 * $batch goes through exactly the same code as one on its own connection.
 */

export interface GraphRequest {
  method: string;
  /** Path after /v1.0, as sent (percent-encoded), e.g. /users/shared%40contoso.example/mailFolders/inbox. */
  path: string;
  /** Query string without '?'. */
  query: string;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** Parsed JSON body, `undefined` when there is none. */
  body: unknown;
  /** The body was not valid JSON. */
  bodyUnreadable?: boolean;
  viaBatch: boolean;
  ids: RequestIds;
}

export interface GraphResponse {
  status: number;
  headers: Record<string, string>;
  body?: unknown;
}

export interface ResponseFault {
  status: number;
  code: string;
  message: string;
  /** Retry-After seconds to send, if any. */
  retryAfterSeconds?: number;
  /** true: the request is carried out, and then answered with this fault (a 504 after a move that happened). */
  execute: boolean;
}

export interface RequestRecord {
  at: number;
  method: string;
  path: string;
  /** Query string as sent, without '?'. */
  query: string;
  /** Parsed JSON body, if any. */
  body?: unknown;
  status: number;
  viaBatch: boolean;
  appId: string;
  /** Set when an injected fault produced (or replaced) the answer. */
  fault?: string;
}

export interface MailboxStats extends LimiterStats {
  /** Moves carried out (including ones answered with an injected 504). */
  moves: number;
  /** Requests that came inside a $batch (admitted or not). */
  batchedRequests: number;
  /** Answers replaced by injected faults. */
  faults: number;
}

/** Everything the Graph layer keeps per mailbox besides its contents. */
export class MailboxRuntime {
  readonly limiters = new Map<string, MailboxLimiter>();
  readonly faults = new FaultQueue<ResponseFault>();
  readonly holds: RequestHold[] = [];
  readonly log: RequestRecord[] = [];
  readonly deniedApps = new Set<string>();
  /**
   * Users (by id or address, lower case) given access to this mailbox (full access to a shared mailbox, or a
   * delegate's folder permissions): what lets a delegated token read it as /users/{id|upn}/...
   */
  readonly delegates = new Set<string>();
  latencyMs: number | null = null;
  moves = 0;
  batchedRequests = 0;
  faultCount = 0;

  constructor(
    readonly state: MailboxState,
    private readonly limits: () => MailboxLimits
  ) {}

  limiter(appId: string): MailboxLimiter {
    let limiter = this.limiters.get(appId);
    if (!limiter) {
      limiter = new MailboxLimiter(this.limits);
      this.limiters.set(appId, limiter);
    }
    return limiter;
  }

  stats(): MailboxStats {
    const sum: MailboxStats = {
      requests: 0,
      throttled: 0,
      throttledByBudget: 0,
      throttledByConcurrency: 0,
      inFlight: 0,
      maxConcurrency: 0,
      moves: this.moves,
      batchedRequests: this.batchedRequests,
      faults: this.faultCount
    };
    for (const { stats } of this.limiters.values()) {
      sum.requests += stats.requests;
      sum.throttled += stats.throttled;
      sum.throttledByBudget += stats.throttledByBudget;
      sum.throttledByConcurrency += stats.throttledByConcurrency;
      sum.inFlight += stats.inFlight;
      sum.maxConcurrency = Math.max(sum.maxConcurrency, stats.maxConcurrency);
    }
    return sum;
  }
}

/** One request being routed: its mailbox, the form of ids it prefers, and how its answers are written. */
interface Route {
  runtime: MailboxRuntime;
  state: MailboxState;
  request: GraphRequest;
  /** Who asks, with which permissions. */
  principal: GraphPrincipal;
  /** The version root's absolute URL, which links start from. */
  base: string;
  immutable: boolean;
  /** `@odata.context` of a fragment under the user. */
  context(fragment: string): string;
  ok(status: number, body: Record<string, unknown>): GraphResponse;
}

/** The mailbox a request is for, the path after the user, and how answers name the user. */
interface MailboxTarget {
  runtime: MailboxRuntime;
  rest: string[];
  owner: string;
}

export interface GraphApiOptions {
  findMailbox(idOrUpn: string): MailboxRuntime | undefined;
  limits(): MailboxLimits;
  /** Default latency per mailbox request, ms. */
  latencyMs(): number;
  /** Sub-requests of one $batch in flight at once (Graph: 4). */
  batchParallelism(): number;
}

const JSON_TYPE =
  'application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8';
const MAX_BATCH = 20;
const DEFAULT_MESSAGE_PAGE = 10;
const DEFAULT_FOLDER_PAGE = 10;
const MAX_PAGE = 1000;
const BATCH_METHODS = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'];

export const MESSAGE_TYPE: EntityType = {
  name: 'microsoft.graph.message',
  selectable: SELECTABLE_MESSAGE_PROPERTIES,
  filterable: {
    receivedDateTime: 'date',
    sentDateTime: 'date',
    createdDateTime: 'date',
    lastModifiedDateTime: 'date',
    internetMessageId: 'string',
    conversationId: 'string',
    subject: 'string',
    importance: 'string',
    parentFolderId: 'string',
    isRead: 'boolean',
    isDraft: 'boolean',
    hasAttachments: 'boolean',
    'from/emailAddress/address': 'string',
    'sender/emailAddress/address': 'string'
  },
  sortable: ['receivedDateTime', 'sentDateTime', 'createdDateTime', 'lastModifiedDateTime', 'subject', 'importance']
};

export const FOLDER_TYPE: EntityType = {
  name: 'microsoft.graph.mailFolder',
  selectable: FOLDER_PROPERTIES,
  expandable: ['singleValueExtendedProperties'],
  unknownPropertyStyle: 'odata-select-expand',
  filterable: {
    displayName: 'string',
    isHidden: 'boolean',
    childFolderCount: 'number',
    totalItemCount: 'number',
    unreadItemCount: 'number'
  },
  sortable: ['displayName']
};

/** One event by id (GET /me/events/{id}, /users/{id}/events/{id}): $select only. */
export const EVENT_TYPE: EntityType = {
  name: 'microsoft.graph.event',
  selectable: EVENT_PROPERTIES,
  filterable: {},
  sortable: []
};

/**
 * Who may read events (Get event, https://learn.microsoft.com/graph/api/event-get): Calendars.ReadBasic (delegated;
 * Calendars.ReadBasic.All for an app) without the body, Calendars.Read and Calendars.ReadWrite with it. Mail
 * permissions give no calendar.
 */
const CALENDAR_READ_ROLES = ['Calendars.Read', 'Calendars.ReadWrite'];
const CALENDAR_BASIC_ROLES = ['Calendars.ReadBasic', 'Calendars.ReadBasic.All'];
/** Which of a mailbox's resources a request is for: its calendar's events, or its mail. */
type MailboxResource = 'mail' | 'calendar';
const resourceOf = (rest: string[]): MailboxResource => (rest[0]?.toLowerCase() === 'events' ? 'calendar' : 'mail');

/** `Prefer: IdType="ImmutableId"`, possibly among other preferences. */
export function prefersImmutableIds(headers: Record<string, string>): boolean {
  return (headers.prefer ?? '').split(',').some((value) => /^\s*IdType\s*=\s*"?ImmutableId"?\s*$/i.test(value));
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw badRequest(`Resource not found for the segment '${segment}'.`);
  }
}

/** HTTP headers as the stand-in reads them: one string each. */
export function headerMap(sent: Record<string, string | string[] | undefined>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(sent)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

/** A request as it came over HTTP: its JSON body parsed, or marked unreadable. */
export function graphRequestOf(
  sent: Pick<GraphRequest, 'method' | 'path' | 'query' | 'headers' | 'ids'> & { body: Buffer }
): GraphRequest {
  let body: unknown;
  let bodyUnreadable = false;
  if (sent.body.length > 0) {
    try {
      body = JSON.parse(sent.body.toString('utf8'));
    } catch {
      bodyUnreadable = true;
    }
  }
  return { ...sent, body, bodyUnreadable, viaBatch: false };
}

/** A 401, with the header that tells the caller where to sign in. */
export function unauthorizedResponse(error: GraphError, ids: RequestIds): GraphResponse {
  const answer = errorResponse(error, ids);
  answer.headers['www-authenticate'] = GRAPH_WWW_AUTHENTICATE;
  return answer;
}

export function errorResponse(error: GraphError, ids: RequestIds): GraphResponse {
  return {
    status: error.status,
    headers: { 'content-type': 'application/json', ...error.headers },
    body: graphErrorBody(error.code, error.message, ids)
  };
}

/** 'Long 0x0E08' → { type: 'long', tag: 0x0e08 }; named properties ('String {guid} Name x') → null. */
function taggedPropertyId(id: string): { type: string; tag: number } | null {
  const match = /^\s*([A-Za-z]+)\s+0x([0-9A-Fa-f]{1,4})\s*$/.exec(id);
  if (match) return { type: (match[1] ?? '').toLowerCase(), tag: parseInt(match[2] ?? '', 16) };
  if (/^\s*[A-Za-z]+\s+\{[0-9A-Fa-f-]{36}\}\s+(Name|Id)\s+\S/.test(id)) return null;
  throw badRequest(`The extended property id '${id}' is not valid.`);
}

const methodNotAllowed = (method: string) =>
  new GraphError(405, 'Request_BadRequest', `The HTTP method '${method}' is not supported by this resource.`);

export class GraphApi {
  constructor(private readonly options: GraphApiOptions) {}

  /**
   * One request against a mailbox, as Graph serves it: resolve the user, check the app's permissions and
   * the mailbox's access policy, take a place under the mailbox's limits (or 429), wait the latency, then
   * answer (or fail as a fault says).
   */
  async execute(request: GraphRequest, principal: GraphPrincipal, base: string): Promise<GraphResponse> {
    const path = request.path.replace(/\/+$/, '');
    let target: MailboxTarget;
    try {
      target = this.target(path, principal);
    } catch (error) {
      return this.fail(error, request);
    }
    const { runtime } = target;
    if (request.viaBatch) runtime.batchedRequests += 1;
    const info: RequestInfo = { service: 'graph', method: request.method, path, viaBatch: request.viaBatch };
    const record = (response: GraphResponse, fault?: string): GraphResponse => {
      runtime.log.push({
        at: Date.now(),
        method: request.method,
        path,
        query: request.query,
        ...(request.body === undefined ? {} : { body: request.body }),
        status: response.status,
        viaBatch: request.viaBatch,
        appId: principal.appId,
        ...(fault ? { fault } : {})
      });
      return response;
    };
    try {
      this.authorize(runtime, principal, request.method, resourceOf(target.rest));
    } catch (error) {
      return record(this.fail(error, request));
    }
    if (!(await this.passesHolds(runtime, info, request.ids))) {
      const held = new GraphError(503, 'ServiceUnavailable', 'The request was held and not carried out.');
      return record(errorResponse(held, request.ids), 'held, not carried out');
    }
    return this.withinLimits(target, request, principal, base, info, record);
  }

  /** The mailbox a path names (/users/{id|upn}/... or, for a delegated token, /me/...) and the rest of it. */
  private target(path: string, principal: GraphPrincipal): MailboxTarget {
    // The segments after the user are decoded when routed, so that a bad one counts as a request.
    const segments = path.split('/').filter(Boolean);
    const [first = '', userRef = ''] = segments.slice(0, 2).map(decodeSegment);
    if (first.toLowerCase() === 'me') {
      if (principal.me === undefined) {
        throw badRequest('/me request is only valid with delegated authentication flow.');
      }
      const runtime = this.options.findMailbox(principal.me);
      if (!runtime) throw new GraphError(404, 'ErrorInvalidUser', `The requested user '${principal.me}' is invalid.`);
      // Graph names the signed-in user by id in its answers' @odata.context.
      return { runtime, rest: segments.slice(1), owner: runtime.state.userId };
    }
    if (first.toLowerCase() !== 'users' || !userRef) {
      throw badRequest(`Resource not found for the segment '${first}'.`);
    }
    const runtime = this.options.findMailbox(userRef);
    if (!runtime) throw new GraphError(404, 'ErrorInvalidUser', `The requested user '${userRef}' is invalid.`);
    return { runtime, rest: segments.slice(2), owner: encodeURIComponent(runtime.state.address) };
  }

  /** Waits on the holds a test placed; false when one of them let the request go without carrying it out. */
  private async passesHolds(runtime: MailboxRuntime, info: RequestInfo, ids: RequestIds): Promise<boolean> {
    for (const hold of runtime.holds) {
      const decision = hold.gate(info, ids.requestId);
      if (decision && !(await decision)) return false;
    }
    return true;
  }

  /** The request under the mailbox's limits (or 429), after the latency, answered or replaced by a fault. */
  private async withinLimits(
    target: MailboxTarget,
    request: GraphRequest,
    principal: GraphPrincipal,
    base: string,
    info: RequestInfo,
    record: (response: GraphResponse, fault?: string) => GraphResponse
  ): Promise<GraphResponse> {
    const { runtime } = target;
    const admission = runtime.limiter(principal.appId).admit();
    if (!admission.admitted) {
      const which = admission.reason === 'concurrency' ? 'MailboxConcurrency' : 'MailboxRequestRate';
      const retryAfter = formatRetryAfter(admission.retryAfterMs, this.options.limits().retryAfterFormat);
      const throttled = new GraphError(429, 'ApplicationThrottled', `Application is over its ${which} limit.`, {
        'retry-after': retryAfter
      });
      return record(errorResponse(throttled, request.ids));
    }
    try {
      const latency = runtime.latencyMs ?? this.options.latencyMs();
      if (latency > 0) await sleep(latency);
      const fault = runtime.faults.take(info);
      if (fault && !fault.execute) {
        runtime.faultCount += 1;
        return record(this.faultResponse(fault, request.ids), `${fault.status} ${fault.code}`);
      }
      let response: GraphResponse;
      try {
        response = this.route(target, request, principal, base);
      } catch (error) {
        response = this.fail(error, request);
      }
      if (!fault) return record(response);
      runtime.faultCount += 1;
      return record(this.faultResponse(fault, request.ids), `${fault.status} ${fault.code} after ${response.status}`);
    } finally {
      admission.release();
    }
  }

  private faultResponse(fault: ResponseFault, ids: RequestIds): GraphResponse {
    const headers: Record<string, string> =
      fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) };
    return errorResponse(new GraphError(fault.status, fault.code, fault.message, headers), ids);
  }

  private fail(error: unknown, request: GraphRequest): GraphResponse {
    if (error instanceof GraphError) return errorResponse(error, request.ids);
    const message = error instanceof Error ? error.message : String(error);
    return errorResponse(new GraphError(500, 'InternalServerError', `Stand-in failure: ${message}`), request.ids);
  }

  private authorize(
    runtime: MailboxRuntime,
    principal: GraphPrincipal,
    method: string,
    resource: MailboxResource
  ): void {
    const roles = principal.roles;
    const readRoles =
      resource === 'calendar'
        ? [...CALENDAR_READ_ROLES, ...CALENDAR_BASIC_ROLES]
        : ['Mail.Read', 'Mail.ReadBasic', 'Mail.ReadWrite'];
    const canRead = roles.some((r) => readRoles.includes(r));
    const canWrite = roles.includes(resource === 'calendar' ? 'Calendars.ReadWrite' : 'Mail.ReadWrite');
    if (!canRead || (method !== 'GET' && !canWrite)) {
      throw new GraphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
    }
    if (principal.me !== undefined) this.authorizeDelegate(runtime, principal, method);
    if (runtime.deniedApps.has(principal.appId.toLowerCase())) {
      throw new GraphError(
        403,
        'ErrorAccessDenied',
        'Access to OData is disabled: [RAOP] : Blocked by tenant configured AppOnly AccessPolicy settings.'
      );
    }
  }

  /**
   * A delegated token reads another user's mailbox only with a *.Shared permission and that user's consent in
   * Exchange (the mailbox's delegates); otherwise Graph answers 403 ErrorAccessDenied
   * (https://learn.microsoft.com/graph/outlook-share-messages-folders).
   */
  private authorizeDelegate(runtime: MailboxRuntime, principal: GraphPrincipal, method: string): void {
    const me = principal.me ?? '';
    const own = this.options.findMailbox(me);
    if (own === runtime) return;
    const shared = principal.roles.some((r) => ['Mail.Read.Shared', 'Mail.ReadWrite.Shared'].includes(r));
    const sharedWrite = principal.roles.includes('Mail.ReadWrite.Shared');
    const granted = [me, own?.state.address ?? ''].some((who) => runtime.delegates.has(who.toLowerCase()));
    if (!granted || !shared || (method !== 'GET' && !sharedWrite)) {
      throw new GraphError(403, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.');
    }
  }

  // ---- routes ---------------------------------------------------------------------------------------

  private route(target: MailboxTarget, request: GraphRequest, principal: GraphPrincipal, base: string): GraphResponse {
    const { runtime, owner } = target;
    const { state } = runtime;
    const rest = target.rest.map(decodeSegment);
    const method = request.method;
    const immutable = prefersImmutableIds(request.headers);
    const r: Route = {
      runtime,
      state,
      request,
      principal,
      base,
      immutable,
      context: (fragment) => `${base}/$metadata#users('${owner}')/${fragment}`,
      ok: (status, body) => ({
        status,
        headers: {
          'content-type': JSON_TYPE,
          'odata-version': '4.0',
          ...(immutable ? { 'preference-applied': 'IdType="ImmutableId"' } : {})
        },
        body
      })
    };
    const { ok, context } = r;
    const [collection, id, sub, subId, action, ...extra] = rest;

    if (collection?.toLowerCase() === 'mailfolders') {
      if (id === undefined) {
        if (method === 'GET') return ok(200, this.listFolders(r, state.rootFolder));
        if (method === 'POST') return ok(201, this.createFolder(r, state.rootFolder));
        throw methodNotAllowed(method);
      }
      const folder = state.resolveFolder(id);
      if (sub === undefined) {
        if (method !== 'GET') throw methodNotAllowed(method);
        const options = parseQuery(request.query, FOLDER_TYPE);
        return ok(200, {
          '@odata.context': context(`mailFolders/$entity`),
          ...this.folderRecord(state, folder, options)
        });
      }
      if (sub.toLowerCase() === 'childfolders' && subId === undefined) {
        if (method === 'GET') return ok(200, this.listFolders(r, folder));
        if (method === 'POST') return ok(201, this.createFolder(r, folder));
        throw methodNotAllowed(method);
      }
      if (sub.toLowerCase() === 'messages') {
        if (subId?.toLowerCase() === 'delta' && action === undefined) {
          if (method !== 'GET') throw methodNotAllowed(method);
          return ok(200, this.delta(r, folder));
        }
        if (subId === undefined) {
          if (method !== 'GET') throw methodNotAllowed(method);
          return ok(200, this.listMessages(r, folder));
        }
        return this.messageRoute(r, subId, action, extra);
      }
      throw badRequest(`Resource not found for the segment '${sub}'.`);
    }

    if (collection?.toLowerCase() === 'events') {
      if (id === undefined) throw badRequest('The Graph stand-in implements only one event by id: /events/{id}.');
      return this.eventRoute(r, id, [sub, subId, action, ...extra].filter(isString));
    }
    if (collection?.toLowerCase() === 'messages') {
      if (id === undefined) {
        if (method !== 'GET') throw methodNotAllowed(method);
        return ok(200, this.listMessages(r, null));
      }
      return this.messageRoute(r, id, sub, [subId, action, ...extra].filter(isString));
    }
    throw badRequest(`Resource not found for the segment '${collection ?? ''}'.`);
  }

  /** One event (Get event): $select only; without Calendars.Read, Calendars.ReadBasic's answer (no body). */
  private eventRoute(r: Route, id: string, extra: string[]): GraphResponse {
    const { state, request, principal, immutable, ok, context } = r;
    if (extra.length > 0) throw badRequest(`Resource not found for the segment '${extra[0]}'.`);
    if (request.method !== 'GET') throw methodNotAllowed(request.method);
    const options = parseQuery(request.query, EVENT_TYPE);
    if (options.filter || options.orderby || options.top !== null || options.skip > 0 || options.count) {
      throw badRequest('One event takes only $select: $filter, $orderby, $top, $skip and $count are for lists.');
    }
    const basic = !principal.roles.some((role) => CALENDAR_READ_ROLES.includes(role));
    const event = state.calendar.render(state.getEvent(id), immutable, basic);
    return ok(200, {
      '@odata.context': context(`events${selectSuffix(options.select)}/$entity`),
      ...project(event, options.select)
    });
  }

  private messageRoute(r: Route, id: string, action: string | undefined, extra: string[]): GraphResponse {
    const { runtime, state, request, immutable, ok, context } = r;
    if (extra.length > 0) throw badRequest(`Resource not found for the segment '${extra[0]}'.`);
    if (action === undefined) {
      if (request.method !== 'GET') throw methodNotAllowed(request.method);
      const options = parseQuery(request.query, MESSAGE_TYPE);
      if (options.filter || options.orderby || options.top !== null || options.skip > 0 || options.count) {
        throw badRequest('One message takes only $select: $filter, $orderby, $top, $skip and $count are for lists.');
      }
      const message = state.getMessage(id);
      return ok(200, {
        '@odata.context': context(`messages${selectSuffix(options.select)}/$entity`),
        ...project(state.render(message, immutable, options.select), options.select)
      });
    }
    if (action.toLowerCase() !== 'move') throw badRequest(`Resource not found for the segment '${action}'.`);
    if (request.method !== 'POST') throw methodNotAllowed(request.method);
    if (request.bodyUnreadable) {
      throw badRequest(
        'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.'
      );
    }
    const destinationId = (request.body as { destinationId?: unknown } | undefined)?.destinationId;
    if (typeof destinationId !== 'string' || destinationId === '') {
      throw new GraphError(400, 'ErrorInvalidParameter', "The value of the parameter 'DestinationId' is empty.");
    }
    const message = state.getMessage(id);
    const destination = state.resolveFolder(destinationId);
    const moved = state.move(message, destination);
    runtime.moves += 1;
    return ok(201, { '@odata.context': context('messages/$entity'), ...state.render(moved, immutable) });
  }

  /**
   * messages/delta on a folder (https://learn.microsoft.com/graph/delta-query-messages): a round lists what
   * arrived in the folder (the first round: everything in it) and, as `@removed`, what left it, in pages of
   * Prefer: odata.maxpagesize (default 10) linked by @odata.nextLink ($skiptoken); its last page carries the
   * @odata.deltaLink ($deltatoken) the next round starts from. The tokens are opaque to clients; here they
   * hold the folder, the round's clock readings, the position and the $select of the first request.
   */
  private delta(r: Route, folder: StoredFolder): Record<string, unknown> {
    const { state, request, base, immutable, context } = r;
    const params = new URLSearchParams(request.query);
    const skipToken = params.get('$skiptoken');
    const deltaToken = params.get('$deltatoken');
    params.delete('$skiptoken');
    params.delete('$deltatoken');
    interface DeltaState {
      folder: string;
      from: number;
      to: number;
      skip: number;
      select: string | null;
    }
    let round: DeltaState;
    const token = skipToken ?? deltaToken;
    if (token !== null) {
      if (params.toString() !== '') throw badRequest('A delta link takes no other query options.');
      try {
        round = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as DeltaState;
      } catch {
        throw new GraphError(400, 'badRequest', 'The delta token is not valid.');
      }
      if (round.folder !== folder.id || typeof round.from !== 'number') {
        throw new GraphError(400, 'badRequest', 'The delta token is not valid.');
      }
      if (deltaToken !== null) round = { ...round, from: round.to, to: state.deltaNow, skip: 0 };
    } else {
      const options = parseQuery(params.toString(), MESSAGE_TYPE);
      if (options.filter || options.orderby || options.top !== null || options.expand.length > 0) {
        throw badRequest('The Graph stand-in implements only $select on messages/delta.');
      }
      round = { folder: folder.id, from: 0, to: state.deltaNow, skip: 0, select: options.select?.join(',') ?? null };
    }
    const prefer = /odata\.maxpagesize=(\d+)/i.exec(request.headers.prefer ?? '');
    const pageSize = Math.min(1000, Math.max(1, Number(prefer?.[1] ?? 10)));
    const changes = state.deltaOf(folder.id, round.from, round.to);
    const page = changes.slice(round.skip, round.skip + pageSize);
    const select = round.select === null ? null : round.select.split(',');
    const value = page.map((change) =>
      'message' in change
        ? project(state.render(change.message, immutable), select)
        : {
            '@odata.type': '#microsoft.graph.message',
            id: immutable ? change.removed.immutableId : change.removed.restId,
            '@removed': { reason: 'deleted' }
          }
    );
    const link = (name: string, next: DeltaState) =>
      `${base}${request.path}?${name}=${Buffer.from(JSON.stringify(next)).toString('base64url')}`;
    const more = round.skip + pageSize < changes.length;
    return {
      '@odata.context': context('messages/delta'),
      value,
      ...(more
        ? { '@odata.nextLink': link('$skiptoken', { ...round, skip: round.skip + pageSize }) }
        : { '@odata.deltaLink': link('$deltatoken', round) })
    };
  }

  /** A folder as listed or read: its selected properties, and the extended properties $expand asked for. */
  private folderRecord(
    state: MailboxState,
    folder: StoredFolder,
    options: Pick<QueryOptions, 'select' | 'expand'>
  ): Record<string, unknown> {
    const record = project(state.renderFolder(folder), options.select);
    for (const { navigation, ids } of options.expand) {
      // The one extended property a folder has here: its size. Graph's own spelling of the id in answers is
      // not documented; it is written canonically here, so clients must compare ids by type and tag.
      const size = { id: `Long 0x${FOLDER_SIZE_PROPERTY.tag.toString(16)}`, value: String(state.folderSize(folder)) };
      const wanted = ids.map(taggedPropertyId);
      const found = wanted.some((id) => id?.type === FOLDER_SIZE_PROPERTY.type && id.tag === FOLDER_SIZE_PROPERTY.tag);
      record[navigation] = found ? [size] : [];
    }
    return record;
  }

  private listFolders(r: Route, parent: StoredFolder): Record<string, unknown> {
    const { state, request, base, context } = r;
    const options = parseQuery(request.query, FOLDER_TYPE);
    const includeHidden = /^true$/i.test(new URLSearchParams(request.query).get('includeHiddenFolders') ?? '');
    const items = state
      .childFolders(parent.id, includeHidden)
      .map((folder) => ({ item: folder, record: state.renderFolder(folder) }))
      .filter(({ record }) => matches(record, options.filter, FOLDER_TYPE));
    if (options.orderby) sortRecords(items, options.orderby, FOLDER_TYPE, () => 0);
    return this.page(
      items,
      (i) => this.folderRecord(state, i.item, options),
      options,
      DEFAULT_FOLDER_PAGE,
      base,
      request.path,
      context(parent.wellKnownName === 'msgfolderroot' ? 'mailFolders' : `mailFolders('${parent.id}')/childFolders`)
    );
  }

  private createFolder(r: Route, parent: StoredFolder): Record<string, unknown> {
    const { state, request, context } = r;
    if (request.bodyUnreadable) {
      throw badRequest(
        'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.'
      );
    }
    const body = (request.body ?? {}) as { displayName?: unknown; isHidden?: unknown };
    if (typeof body.displayName !== 'string' || body.displayName.trim() === '') {
      throw new GraphError(400, 'ErrorInvalidParameter', "The value of the parameter 'DisplayName' is empty.");
    }
    const folder = state.createFolder(parent.id, body.displayName, body.isHidden === true);
    return {
      '@odata.context': context('mailFolders/$entity'),
      ...this.folderRecord(state, folder, { select: null, expand: [] })
    };
  }

  private listMessages(r: Route, folder: StoredFolder | null): Record<string, unknown> {
    const { state, request, base, immutable, context } = r;
    const options = parseQuery(request.query, MESSAGE_TYPE);
    // Filtered and sorted on the properties those can name; only the page's messages are rendered in full.
    const items = state
      .messagesIn(folder?.id ?? null)
      .map((message) => ({ item: message, record: state.renderSortKeys(message) }))
      .filter(({ record }) => matches(record, options.filter, MESSAGE_TYPE));
    // Newest first unless told otherwise; a filter without $orderby keeps the store's order.
    const orderby = options.orderby ?? (options.filter ? null : [{ property: 'receivedDateTime', descending: true }]);
    if (orderby) sortRecords(items, orderby, MESSAGE_TYPE, (a: StoredMessage, b: StoredMessage) => a.seq - b.seq);
    const where = folder ? `mailFolders('${folder.wellKnownName ?? folder.id}')/messages` : 'messages';
    return this.page(
      items,
      (i) => project(state.render(i.item, immutable, options.select), options.select),
      options,
      DEFAULT_MESSAGE_PAGE,
      base,
      request.path,
      context(`${where}${selectSuffix(options.select)}`)
    );
  }

  private page<T>(
    records: T[],
    toRecord: (item: T) => Record<string, unknown>,
    options: QueryOptions,
    defaultTop: number,
    base: string,
    path: string,
    odataContext: string
  ): Record<string, unknown> {
    if (options.top === 0) {
      throw badRequest(
        "Invalid value '0' for $top query option found. The $top query option requires a positive integer value."
      );
    }
    const top = Math.min(options.top ?? defaultTop, MAX_PAGE);
    const body: Record<string, unknown> = { '@odata.context': odataContext };
    if (options.count) body['@odata.count'] = records.length;
    body.value = records.slice(options.skip, options.skip + top).map(toRecord);
    if (options.skip + top < records.length) {
      body['@odata.nextLink'] = nextLink(base, path, options.params, top, options.skip + top);
    }
    return body;
  }

  // ---- $batch ---------------------------------------------------------------------------------------

  /**
   * POST /$batch: up to 20 requests. Each is executed as if it came on its own (same routing, same limits,
   * same faults), so each can be throttled alone. Requests without dependsOn run in parallel, at most
   * `batchParallelism` at a time; a request runs after the ones it depends on, and answers 424 without
   * running when one of them failed. Responses come in completion order: match them by id.
   */
  async batch(request: GraphRequest, principal: GraphPrincipal, base: string): Promise<GraphResponse> {
    let steps: BatchStep[];
    try {
      steps = parseBatch(request);
    } catch (error) {
      return this.fail(error, request);
    }
    const responses: Record<string, unknown>[] = [];
    const results = new Map<string, number>();
    const pending = new Set(steps);
    const running = new Set<Promise<void>>();
    const limit = Math.max(1, this.options.batchParallelism());

    const ready = (step: BatchStep) => step.dependsOn.every((d) => results.has(d.toLowerCase()));
    const runStep = async (step: BatchStep) => {
      const failedDependency = step.dependsOn.find((d) => (results.get(d.toLowerCase()) ?? 0) >= 400);
      let response: GraphResponse;
      if (failedDependency !== undefined) {
        response = errorResponse(
          new GraphError(
            424,
            'FailedDependency',
            `Request was not executed: request '${failedDependency}' it depends on failed.`
          ),
          request.ids
        );
      } else {
        response = await this.execute(step.request, principal, base);
      }
      results.set(step.id.toLowerCase(), response.status);
      responses.push(batchResponse(step.id, response));
    };

    while (pending.size > 0 || running.size > 0) {
      for (const step of [...pending]) {
        if (running.size >= limit) break;
        if (!ready(step)) continue;
        pending.delete(step);
        const task: Promise<void> = runStep(step).finally(() => running.delete(task));
        running.add(task);
      }
      if (running.size === 0) break; // only unreachable dependencies left (parseBatch rules them out)
      await Promise.race(running);
    }
    return {
      status: 200,
      headers: { 'content-type': JSON_TYPE, 'odata-version': '4.0' },
      body: { responses }
    };
  }
}

interface BatchStep {
  id: string;
  dependsOn: string[];
  request: GraphRequest;
}

const isString = (value: unknown): value is string => typeof value === 'string';
const selectSuffix = (select: string[] | null) => (select ? `(${select.join(',')})` : '');

function parseBatch(request: GraphRequest): BatchStep[] {
  if (request.bodyUnreadable) {
    throw badRequest(
      'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.'
    );
  }
  const requests = (request.body as { requests?: unknown } | undefined)?.requests;
  if (!Array.isArray(requests) || requests.length === 0) {
    throw badRequest("Invalid batch payload format: a 'requests' array with at least one request is required.");
  }
  if (requests.length > MAX_BATCH) {
    throw badRequest(`Invalid batch payload format: the number of requests exceeds the limit of ${MAX_BATCH}.`);
  }
  const seen = new Set<string>();
  const steps = requests.map((raw: unknown, index): BatchStep => {
    const step = parseBatchStep(raw, index, request.ids);
    if (seen.has(step.id.toLowerCase())) {
      throw badRequest(`Batch request ids must be unique: '${step.id}' is used more than once.`);
    }
    seen.add(step.id.toLowerCase());
    return step;
  });
  checkDependencies(steps);
  return steps;
}

/** One request of a batch, read as Graph reads it (ids, method, a URL relative to the version root, headers, body). */
function parseBatchStep(raw: unknown, index: number, ids: RequestIds): BatchStep {
  const item = (raw ?? {}) as Record<string, unknown>;
  const id = item.id;
  const method = typeof item.method === 'string' ? item.method.toUpperCase() : '';
  const url = item.url;
  if (typeof id !== 'string' || id === '') throw badRequest(`Request ${index + 1} in the batch has no id.`);
  if (!BATCH_METHODS.includes(method)) throw badRequest(`Request '${id}' in the batch has an invalid method.`);
  if (typeof url !== 'string' || url === '' || /^[a-z][a-z0-9+.-]*:/i.test(url)) {
    throw badRequest(
      `Request '${id}' in the batch needs a URL relative to the version root, such as /users/{id}/messages.`
    );
  }
  const headers: Record<string, string> = {};
  if (item.headers !== undefined && (item.headers === null || typeof item.headers !== 'object')) {
    throw badRequest(`Request '${id}' in the batch has invalid headers.`);
  }
  for (const [name, value] of Object.entries((item.headers ?? {}) as Record<string, unknown>)) {
    headers[name.toLowerCase()] = String(value);
  }
  const dependsOn = item.dependsOn === undefined ? [] : item.dependsOn;
  if (!Array.isArray(dependsOn) || !dependsOn.every(isString)) {
    throw badRequest(`Request '${id}' in the batch has an invalid dependsOn.`);
  }
  const [pathPart = '', queryPart = ''] = (url.startsWith('/') ? url : `/${url}`).split(/\?(.*)/s);
  let body: unknown = item.body;
  let bodyUnreadable = false;
  if (typeof body === 'string' && (headers['content-type'] ?? '').includes('json')) {
    try {
      body = JSON.parse(body);
    } catch {
      bodyUnreadable = true;
    }
  }
  return {
    id,
    dependsOn,
    request: {
      method,
      path: pathPart,
      query: queryPart,
      headers,
      body,
      bodyUnreadable,
      viaBatch: true,
      ids
    }
  };
}

/** dependsOn names requests of the batch, without cycles; a request with a body says its type. */
function checkDependencies(steps: BatchStep[]): void {
  const byId = new Map(steps.map((s) => [s.id.toLowerCase(), s]));
  for (const step of steps) {
    for (const dependency of step.dependsOn) {
      if (!byId.has(dependency.toLowerCase())) {
        throw badRequest(`Request '${step.id}' depends on '${dependency}', which is not in the batch.`);
      }
    }
    if (step.request.body !== undefined && !step.request.headers['content-type']) {
      throw badRequest(`Request '${step.id}' in the batch has a body but no Content-Type header.`);
    }
  }
  const visiting = new Set<string>();
  const done = new Set<string>();
  const visit = (id: string) => {
    if (done.has(id)) return;
    if (visiting.has(id)) throw badRequest('The dependsOn relations of the batch form a cycle.');
    visiting.add(id);
    for (const d of byId.get(id)?.dependsOn ?? []) visit(d.toLowerCase());
    visiting.delete(id);
    done.add(id);
  };
  for (const step of steps) visit(step.id.toLowerCase());
}

/** One entry of the batch's `responses`: Graph writes sub-response header names capitalised. */
function batchResponse(id: string, response: GraphResponse): Record<string, unknown> {
  const headers: Record<string, string> = { 'Cache-Control': 'private' };
  for (const [name, value] of Object.entries(response.headers)) {
    const canonical = name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());
    headers[canonical === 'Odata-Version' ? 'OData-Version' : canonical] = value;
  }
  return { id, status: response.status, headers, ...(response.body === undefined ? {} : { body: response.body }) };
}

export type { RequestMatcher };
