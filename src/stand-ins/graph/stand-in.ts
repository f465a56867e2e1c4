import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Configuration, INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { TokenService, type AppRegistration, type HttpAnswer, type TokenFailure, type TokenStats } from './auth.js';
import type { SeedEvent } from './calendar.js';
import { GraphError, graphErrorBody, requestIdsOf, type RequestIds } from './errors.js';
import {
  anyGraphRequest,
  FaultQueue,
  isMove,
  RequestHold,
  type HeldRequests,
  type RequestInfo,
  type RequestMatcher
} from './faults.js';
import {
  errorResponse,
  GraphApi,
  graphRequestOf,
  headerMap,
  MailboxRuntime,
  type GraphResponse,
  type MailboxStats,
  type RequestRecord,
  type ResponseFault,
  unauthorizedResponse
} from './graph-api.js';
import { GRAPH_LIMITS, type MailboxLimits } from './limits.js';
import {
  MailboxState,
  type FolderFigures,
  type MailboxOptions,
  type MessageView,
  type SeededMessage,
  type SeedMessage,
  type StoredFolder
} from './state.js';
import {
  SubscriptionService,
  type LifecycleEvent,
  type NotificationBehaviour,
  type StoredSubscription,
  type SubscriptionStats
} from './subscriptions.js';
import { createTlsIdentity } from './tls.js';

/*
 * A stand-in for Microsoft Graph (v1.0 mail API, app-only) and for the Microsoft Entra ID token endpoint,
 * on loopback, for tests of the mailbox processor. See README.md in this folder for how to use it and
 * where it differs from the real services.
 *
 * One service, two listeners: plain HTTP (`url`) for Graph, since the Graph client is given its own auth
 * middleware anyway, and HTTPS (`httpsUrl`) with a throwaway certificate, because MSAL accepts only an
 * https authority. Both serve everything (sign-in and Graph) from the same state.
 */

export interface GraphMailboxOptions {
  /** The tenant (directory) id; a random GUID when not given. */
  tenantId?: string;
  /** Domain names that also name the tenant in sign-in URLs. Default: ['contoso.onmicrosoft.com']. */
  tenantDomains?: string[];
  /** App registrations that may sign in. Default: one app with a random client id and secret, Mail.ReadWrite. */
  apps?: AppRegistration[];
  /** Mailboxes that exist from the start (more can be added with `mailbox(address)`). */
  mailboxes?: (string | Omit<MailboxOptions, 'now'>)[];
  /** Per app and mailbox. Default: Graph's own (GRAPH_LIMITS); tests usually want TEST_LIMITS. */
  limits?: Partial<MailboxLimits>;
  /** Time each mailbox request takes while it holds its concurrency place, ms. Default 0. */
  latencyMs?: number;
  /** Sub-requests of one $batch sent to the mailbox at a time. Graph: 4 (the default). */
  batchParallelism?: number;
  /** expires_in of issued tokens, seconds. Default 3599, as Entra's. */
  tokenLifetimeSeconds?: number;
  /** The clock seeded message dates count from. */
  now?: () => number;
}

export interface FolderView {
  id: string;
  displayName: string;
  /** Display-name path from the top, e.g. 'Inbox/Sub'. */
  path: string;
  wellKnownName: string | null;
  totalItemCount: number;
  unreadItemCount: number;
  childFolderCount: number;
  isHidden: boolean;
}

export interface InjectedFault {
  /** Default 503. */
  status?: number;
  /** Default from the status: ServiceUnavailable, GatewayTimeout, ... */
  code?: string;
  message?: string;
  retryAfterSeconds?: number;
  /** Carry the request out, then answer with the fault. Default false. */
  execute?: boolean;
  /** Which requests (default: every request to this mailbox). */
  match?: RequestMatcher;
}

export interface MailboxControls {
  readonly address: string;
  readonly userId: string;
  readonly displayName: string;
  /** Puts messages into folders (the Inbox unless a message names another). */
  seed(messages: SeedMessage[]): SeededMessage[];
  /** Puts events, in Graph's shape, into the calendar (GET .../events/{id}). */
  seedEvents(events: SeedEvent[]): void;
  /** The messages of a folder (well-known name, display-name path or id), oldest received first. */
  folderContents(folder: string): MessageView[];
  /** A message by immutable id, current regular id, or Internet Message-ID. */
  message(reference: string): MessageView | undefined;
  folder(reference: string): FolderView | undefined;
  folders(): FolderView[];
  /** The next `count` moves are carried out, and then answered 504 GatewayTimeout. */
  moveAnswers504(count?: number): void;
  /** The next `count` matching requests fail (and are carried out first when `execute` is set). */
  failRequests(count: number, fault?: InjectedFault): void;
  /**
   * Lets `after` matching requests (default: moves, also inside a $batch) be carried out, then holds the next
   * ones unanswered until released: a test kills the processor in the middle of a batch with this.
   */
  holdRequests(options: { after: number; match?: RequestMatcher }): HeldRequests;
  /** Latency of this mailbox's requests (null: the service default). */
  setLatency(ms: number | null): void;
  /** An application access policy that blocks (or again allows) an app on this mailbox. */
  denyApp(clientId: string): void;
  allowApp(clientId: string): void;
  /**
   * The folder reports these counts instead of its live ones (a folder near Exchange's limits); `sizeBytes`
   * is its PR_MESSAGE_SIZE_EXTENDED extended property.
   */
  setFolderFigures(folder: string, figures: FolderFigures): void;
  /** Forget the request windows ("ten minutes later"). */
  resetLimits(): void;
  stats(): MailboxStats;
  /** Every request that reached this mailbox, in order. */
  requests(): RequestRecord[];
}

export interface DropOptions {
  /** 'before': the request is not carried out; 'after': it is, and the answer is lost. Default 'before'. */
  when?: 'before' | 'after';
  /** Which requests (default: Graph requests, not sign-in). `path` is after /v1.0 for Graph. */
  match?: RequestMatcher;
}

export interface StandInStats extends TokenStats {
  httpRequests: number;
  droppedConnections: number;
  batches: number;
  mailboxes: Record<string, MailboxStats>;
}

export interface GraphMailbox {
  /** http://127.0.0.1:port: Graph is at `${url}/v1.0`. */
  readonly url: string;
  /** `${url}/v1.0`, the Graph client's baseUrl plus version. */
  readonly graphUrl: string;
  /** https://127.0.0.1:port: the same service over TLS (self-signed: trust `tlsCertificate`). */
  readonly httpsUrl: string;
  /** The certificate of the HTTPS listener, to trust as a CA. */
  readonly tlsCertificate: string;
  readonly tenantId: string;
  /** The first app registration (the processor's, usually). */
  readonly app: AppRegistration;
  /** The MSAL authority for the tenant: `${httpsUrl}/${tenantId}`. */
  readonly authority: string;
  /** host:port of the authority, for MSAL's `knownAuthorities`. */
  readonly knownAuthority: string;
  /** An MSAL network client that trusts the stand-in's certificate (MSAL's own uses global fetch). */
  readonly msalNetworkClient: INetworkModule;
  /** A complete MSAL configuration for ConfidentialClientApplication against the stand-in. */
  msalConfiguration(app?: Pick<AppRegistration, 'clientId' | 'clientSecret'>): Configuration;
  /** Controls of a mailbox; the mailbox is created (empty) when it does not exist yet. */
  mailbox(address: string, options?: Omit<MailboxOptions, 'address' | 'now'>): MailboxControls;
  seed(address: string, messages: SeedMessage[]): SeededMessage[];
  folderContents(address: string, folder: string): MessageView[];
  /** The next `count` token requests fail (500 temporarily_unavailable unless told otherwise). */
  failTokens(count: number, failure?: TokenFailure): void;
  /** Every token issued so far is expired from now on. */
  expireTokens(): void;
  /** The next `count` matching requests lose their connection (the socket is destroyed). */
  dropConnections(count: number, options?: DropOptions): void;
  /** The next `count` $batch requests are carried out whole, then answered 504 GatewayTimeout. */
  batchAnswers504(count?: number): void;
  setLatency(ms: number): void;
  setLimits(limits: Partial<MailboxLimits>): void;
  /** How change notifications are delivered: delay, drops, repeats (seeded). */
  setNotifications(behaviour: Partial<NotificationBehaviour>): void;
  /** The change-notification subscriptions Graph holds now. */
  subscriptions(): StoredSubscription[];
  /** Sends a lifecycle event for a subscription now; resolves with the endpoint's HTTP status (0: no answer). */
  sendLifecycleEvent(subscriptionId: string, event: LifecycleEvent): Promise<number>;
  subscriptionStats(): SubscriptionStats;
  /** Every /subscriptions request received, with its status. */
  subscriptionRequests(): Array<{ method: string; path: string; query: string; body?: unknown; status: number }>;
  stats(): StandInStats;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 4 * 1024 * 1024;
const GATEWAY_TIMEOUT = 'The gateway did not receive a timely response from the upstream server.';
const DEFAULT_FAULT_CODES: Record<number, string> = {
  429: 'TooManyRequests',
  500: 'InternalServerError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout'
};

function readBody(request: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function write(response: ServerResponse, answer: GraphResponse | HttpAnswer, ids?: RequestIds): void {
  const headers: Record<string, string> = { ...answer.headers };
  if (ids) {
    headers['request-id'] = ids.requestId;
    headers['client-request-id'] = ids.clientRequestId;
  }
  if (answer.body === undefined) {
    response.writeHead(answer.status, headers).end();
    return;
  }
  headers['content-type'] ??= 'application/json; charset=utf-8';
  response.writeHead(answer.status, headers).end(JSON.stringify(answer.body));
}

/** MSAL's INetworkModule over node:https, trusting one certificate. */
export function trustingNetworkClient(ca: string): INetworkModule {
  const send = <T>(url: string, method: 'GET' | 'POST', options?: NetworkRequestOptions, timeout?: number) =>
    new Promise<NetworkResponse<T>>((resolve, reject) => {
      const outgoing = httpsRequest(url, { method, headers: options?.headers ?? {}, ca, timeout }, (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('error', reject);
        incoming.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(incoming.headers)) {
            if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
          }
          try {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({ status: incoming.statusCode ?? 0, headers, body: (text ? JSON.parse(text) : {}) as T });
          } catch (error) {
            reject(error instanceof Error ? error : new Error(String(error)));
          }
        });
      });
      outgoing.on('timeout', () => outgoing.destroy(new Error('Request timeout')));
      outgoing.on('error', reject);
      outgoing.end(method === 'POST' ? (options?.body ?? '') : undefined);
    });
  return {
    sendGetRequestAsync: <T>(url: string, options?: NetworkRequestOptions, timeout?: number) =>
      send<T>(url, 'GET', options, timeout),
    sendPostRequestAsync: <T>(url: string, options?: NetworkRequestOptions) => send<T>(url, 'POST', options)
  };
}

const listen = (server: Server) =>
  new Promise<AddressInfo>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server.address() as AddressInfo));
  });

const closeServer = (server: Pick<Server, 'close' | 'closeAllConnections'>) =>
  new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });

function folderView(state: MailboxState, folder: StoredFolder): FolderView {
  const rendered = state.renderFolder(folder);
  return {
    id: folder.id,
    displayName: folder.displayName,
    path: state.folderPath(folder),
    wellKnownName: folder.wellKnownName,
    totalItemCount: rendered.totalItemCount as number,
    unreadItemCount: rendered.unreadItemCount as number,
    childFolderCount: rendered.childFolderCount as number,
    isHidden: folder.isHidden
  };
}

/** What a test controls and sees of one mailbox. */
function mailboxControls(runtime: MailboxRuntime): MailboxControls {
  const { state } = runtime;
  const folderOrThrow = (reference: string) => {
    const folder = state.findFolder(reference);
    if (!folder) throw new Error(`No folder '${reference}' in ${state.address}`);
    return folder;
  };
  return {
    address: state.address,
    userId: state.userId,
    displayName: state.displayName,
    seed: (messages) => state.seed(messages),
    seedEvents: (events) => void state.calendar.seed(events),
    folderContents: (reference) => {
      const folder = folderOrThrow(reference);
      return state
        .messagesIn(folder.id)
        .sort((a, b) => a.data.receivedDateTime.localeCompare(b.data.receivedDateTime) || a.seq - b.seq)
        .map((m) => state.view(m));
    },
    message: (reference) => {
      const message = state.findMessage(reference);
      return message ? state.view(message) : undefined;
    },
    folder: (reference) => {
      const folder = state.findFolder(reference);
      return folder ? folderView(state, folder) : undefined;
    },
    folders: () => state.allFolders().map((f) => folderView(state, f)),
    moveAnswers504: (count = 1) =>
      runtime.faults.arm(count, isMove, {
        status: 504,
        code: 'GatewayTimeout',
        message: GATEWAY_TIMEOUT,
        execute: true
      }),
    failRequests: (count, fault = {}) => {
      const status = fault.status ?? 503;
      const value: ResponseFault = {
        status,
        code: fault.code ?? DEFAULT_FAULT_CODES[status] ?? 'UnknownError',
        message: fault.message ?? 'The service is temporarily unavailable.',
        execute: fault.execute ?? false,
        ...(fault.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: fault.retryAfterSeconds })
      };
      runtime.faults.arm(count, fault.match ?? anyGraphRequest, value);
    },
    holdRequests: ({ after, match = isMove }) => {
      const hold = new RequestHold(after, match);
      runtime.holds.push(hold);
      return hold;
    },
    setLatency: (ms) => {
      runtime.latencyMs = ms;
    },
    denyApp: (clientId) => runtime.deniedApps.add(clientId.toLowerCase()),
    allowApp: (clientId) => runtime.deniedApps.delete(clientId.toLowerCase()),
    setFolderFigures: (folder, figures) => runtime.state.setFolderFigures(runtime.state.resolveFolder(folder), figures),
    resetLimits: () => runtime.limiters.forEach((l) => l.resetWindow()),
    stats: () => runtime.stats(),
    requests: () => [...runtime.log]
  };
}

/** The stand-in's state and its answers to HTTP requests; `startGraphMailbox` puts it on the network. */
class GraphMailboxService {
  readonly tokens: TokenService;
  readonly runtimes = new Map<string, MailboxRuntime>();
  readonly subscriptions: SubscriptionService;
  readonly api: GraphApi;
  readonly drops = new FaultQueue<'before' | 'after'>();
  readonly counters = { httpRequests: 0, droppedConnections: 0, batches: 0 };
  /** What a test may change while the stand-in runs. */
  readonly settings: { limits: MailboxLimits; latencyMs: number; batchTimeouts: number };

  constructor(
    readonly tenantId: string,
    apps: AppRegistration[],
    private readonly options: GraphMailboxOptions
  ) {
    this.settings = {
      limits: { ...GRAPH_LIMITS, ...options.limits },
      latencyMs: options.latencyMs ?? 0,
      batchTimeouts: 0
    };
    this.tokens = new TokenService(
      tenantId,
      options.tenantDomains ?? ['contoso.onmicrosoft.com'],
      apps,
      () => options.tokenLifetimeSeconds ?? 3599
    );
    // Before the mailboxes: each one's arrivals are watched for subscriptions.
    this.subscriptions = new SubscriptionService(tenantId, this.findRuntime, this.now);
    for (const mailbox of options.mailboxes ?? []) {
      this.addMailbox(typeof mailbox === 'string' ? { address: mailbox } : mailbox);
    }
    this.api = new GraphApi({
      findMailbox: this.findRuntime,
      limits: () => this.settings.limits,
      latencyMs: () => this.settings.latencyMs,
      batchParallelism: () => options.batchParallelism ?? 4
    });
  }

  readonly now = (): number => (this.options.now ?? Date.now)();

  /** A mailbox by address or user id. */
  readonly findRuntime = (reference: string): MailboxRuntime | undefined =>
    this.runtimes.get(reference.toLowerCase()) ??
    [...this.runtimes.values()].find((r) => r.state.userId.toLowerCase() === reference.toLowerCase());

  addMailbox(mailboxOptions: Omit<MailboxOptions, 'now'>): MailboxRuntime {
    const runtime = new MailboxRuntime(
      new MailboxState({ ...mailboxOptions, now: this.now }),
      () => this.settings.limits
    );
    this.runtimes.set(runtime.state.address, runtime);
    this.subscriptions.watch(runtime);
    return runtime;
  }

  private async handleGraph(
    request: IncomingMessage,
    path: string,
    query: string,
    body: Buffer,
    origin: string
  ): Promise<{ answer: GraphResponse; ids: RequestIds }> {
    const headers = headerMap(request.headers);
    const ids = requestIdsOf(headers);
    let principal;
    try {
      principal = this.tokens.authenticate(headers.authorization);
    } catch (error) {
      return { answer: unauthorizedResponse(error as GraphError, ids), ids };
    }
    const graphRequest = graphRequestOf({ method: request.method ?? 'GET', path, query, headers, body, ids });
    const { body: parsed, bodyUnreadable } = graphRequest;
    if (/^\/subscriptions(\/|$)/i.test(path)) {
      if (bodyUnreadable) {
        return {
          answer: errorResponse(new GraphError(400, 'BadRequest', 'Unable to read JSON request payload.'), ids),
          ids
        };
      }
      return {
        answer: await this.subscriptions.handle(graphRequest.method, path, graphRequest.query, parsed, ids, principal),
        ids
      };
    }
    const base = `${origin}/v1.0`;
    if (path.replace(/\/+$/, '').toLowerCase() === '/$batch') {
      if (graphRequest.method !== 'POST') {
        return {
          answer: errorResponse(new GraphError(405, 'Request_BadRequest', '$batch takes POST only.'), ids),
          ids
        };
      }
      this.counters.batches += 1;
      const answer = await this.api.batch(graphRequest, principal, base);
      if (this.settings.batchTimeouts > 0 && answer.status === 200) {
        // The gateway gave up waiting; every sub-request was carried out all the same.
        this.settings.batchTimeouts -= 1;
        return { answer: errorResponse(new GraphError(504, 'GatewayTimeout', GATEWAY_TIMEOUT), ids), ids };
      }
      return { answer, ids };
    }
    return { answer: await this.api.execute(graphRequest, principal, base), ids };
  }

  private handleSignIn(request: IncomingMessage, path: string, body: Buffer, origin: string): HttpAnswer | null {
    const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/i.exec(path);
    if (token && request.method === 'POST') {
      const given = request.headers['client-request-id'];
      return this.tokens.token(
        decodeURIComponent(token[1] ?? ''),
        new URLSearchParams(body.toString('utf8')),
        typeof given === 'string' ? given : undefined
      );
    }
    const metadata = /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/i.exec(path);
    if (metadata && request.method === 'GET')
      return this.tokens.openIdConfiguration(origin, decodeURIComponent(metadata[1] ?? ''));
    if (/^\/([^/]+)\/discovery\/v2\.0\/keys$/i.test(path) && request.method === 'GET') {
      return { status: 200, headers: {}, body: { keys: [] } };
    }
    return null;
  }

  /** One HTTP request, Graph's or sign-in's, with the connection drops a test armed. */
  async handle(scheme: 'http' | 'https', request: IncomingMessage, response: ServerResponse): Promise<void> {
    this.counters.httpRequests += 1;
    try {
      const url = new URL(request.url ?? '/', `${scheme}://${request.headers.host ?? '127.0.0.1'}`);
      const isGraph = url.pathname === '/v1.0' || url.pathname.startsWith('/v1.0/');
      const path = isGraph ? url.pathname.slice('/v1.0'.length) : url.pathname;
      const info: RequestInfo = {
        service: isGraph ? 'graph' : 'login',
        method: request.method ?? 'GET',
        path,
        viaBatch: false
      };
      const drop = this.drops.take(info);
      if (drop === 'before') {
        this.counters.droppedConnections += 1;
        request.socket.destroy();
        return;
      }
      const body = await readBody(request);
      let answer: GraphResponse | HttpAnswer;
      let ids: RequestIds | undefined;
      if (body === null) {
        answer = {
          status: 413,
          headers: {},
          body: graphErrorBody('RequestEntityTooLarge', 'The request is too large.', {
            requestId: randomUUID(),
            clientRequestId: ''
          })
        };
      } else if (isGraph) {
        ({ answer, ids } = await this.handleGraph(request, path, url.search.replace(/^\?/, ''), body, url.origin));
      } else {
        answer = this.handleSignIn(request, path, body, url.origin) ?? {
          status: 404,
          headers: {},
          body: {
            error: { code: 'NotFound', message: `The stand-in serves /v1.0/... and sign-in; not ${url.pathname}.` }
          }
        };
      }
      if (drop === 'after') {
        this.counters.droppedConnections += 1;
        request.socket.destroy();
        return;
      }
      write(response, answer, ids);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (!response.headersSent) {
        write(response, {
          status: 500,
          headers: {},
          body: graphErrorBody('InternalServerError', `Stand-in failure: ${message}`, {
            requestId: randomUUID(),
            clientRequestId: ''
          })
        });
      }
    }
  }
}

export async function startGraphMailbox(options: GraphMailboxOptions = {}): Promise<GraphMailbox> {
  const tenantId = options.tenantId ?? randomUUID();
  const apps: AppRegistration[] = options.apps ?? [
    { clientId: randomUUID(), clientSecret: `secret~${randomUUID()}`, roles: ['Mail.ReadWrite'] }
  ];
  const firstApp = apps[0];
  if (!firstApp) throw new Error('startGraphMailbox needs at least one app registration');
  const service = new GraphMailboxService(tenantId, apps, options);
  const { tokens, runtimes, subscriptions, settings, drops, counters } = service;
  const handler = (scheme: 'http' | 'https') => (request: IncomingMessage, response: ServerResponse) =>
    void service.handle(scheme, request, response);

  const tls = createTlsIdentity();
  const httpServer = createHttpServer({ keepAliveTimeout: 5_000 }, handler('http'));
  const httpsServer = createHttpsServer({ key: tls.key, cert: tls.cert, keepAliveTimeout: 5_000 }, handler('https'));
  const [plain, secure] = await Promise.all([listen(httpServer), listen(httpsServer)]);
  const url = `http://127.0.0.1:${plain.port}`;
  const httpsUrl = `https://127.0.0.1:${secure.port}`;
  const msalNetworkClient = trustingNetworkClient(tls.cert);

  const mailbox = (address: string, mailboxOptions: Omit<MailboxOptions, 'address' | 'now'> = {}) =>
    mailboxControls(runtimes.get(address.toLowerCase()) ?? service.addMailbox({ ...mailboxOptions, address }));

  const knownAuthority = `127.0.0.1:${secure.port}`;
  const authority = `${httpsUrl}/${tenantId}`;

  return {
    url,
    graphUrl: `${url}/v1.0`,
    httpsUrl,
    tlsCertificate: tls.cert,
    tenantId,
    app: firstApp,
    authority,
    knownAuthority,
    msalNetworkClient,
    msalConfiguration: (chosen = firstApp) => ({
      auth: {
        clientId: chosen.clientId,
        clientSecret: chosen.clientSecret,
        authority,
        knownAuthorities: [knownAuthority]
      },
      system: { networkClient: msalNetworkClient }
    }),
    mailbox,
    seed: (address, messages) => mailbox(address).seed(messages),
    folderContents: (address, folder) => mailbox(address).folderContents(folder),
    failTokens: (count, failure) => tokens.failTokens(count, failure),
    expireTokens: () => tokens.expireTokens(),
    batchAnswers504: (count = 1) => {
      settings.batchTimeouts += count;
    },
    dropConnections: (count, dropOptions = {}) =>
      drops.arm(count, dropOptions.match ?? anyGraphRequest, dropOptions.when ?? 'before'),
    setLatency: (ms) => {
      settings.latencyMs = ms;
    },
    setLimits: (changes) => {
      settings.limits = { ...settings.limits, ...changes };
    },
    setNotifications: (behaviour) => subscriptions.setBehaviour(behaviour),
    subscriptions: () => subscriptions.list(),
    sendLifecycleEvent: (subscriptionId, event) => subscriptions.sendLifecycleEvent(subscriptionId, event),
    subscriptionStats: () => ({ ...subscriptions.stats }),
    subscriptionRequests: () => [...subscriptions.log],
    stats: () => ({
      ...counters,
      ...tokens.stats,
      mailboxes: Object.fromEntries([...runtimes.entries()].map(([address, r]) => [address, r.stats()]))
    }),
    close: async () => {
      subscriptions.close();
      for (const runtime of runtimes.values()) runtime.holds.forEach((hold) => hold.release());
      await Promise.all([closeServer(httpServer), closeServer(httpsServer)]);
    }
  };
}

export { GRAPH_LIMITS, TEST_LIMITS, type MailboxLimits } from './limits.js';
export { isMove, type HeldRequests, type RequestInfo, type RequestMatcher } from './faults.js';
export type { AppRegistration, TokenFailure } from './auth.js';
export type { MailboxStats, RequestRecord } from './graph-api.js';
export type { AddressInput, MessageView, SeededMessage, SeedMessage } from './state.js';
export type { LifecycleEvent, NotificationBehaviour, StoredSubscription, SubscriptionStats } from './subscriptions.js';
