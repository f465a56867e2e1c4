import { randomUUID } from 'node:crypto';
import type { GraphPrincipal } from './auth.js';
import { GraphError, graphErrorBody, type RequestIds } from './errors.js';
import type { GraphResponse, MailboxRuntime } from './graph-api.js';
import type { StoredFolder, StoredMessage } from './state.js';

/*
 * Graph's change notifications, as far as the processor uses them (Microsoft Learn):
 * - POST/PATCH/DELETE/GET /subscriptions (https://learn.microsoft.com/graph/api/resources/subscription): resource
 *   `users/{id|upn}/mailFolders('{folder}')/messages` (or `.../mailFolders/{folder}/messages`), changeType
 *   `created`, expirationDateTime in the future and at most 10,080 minutes ahead (Outlook messages),
 *   clientState at most 128 characters;
 * - before a subscription is accepted, the validation handshake on notificationUrl and lifecycleNotificationUrl:
 *   a POST with ?validationToken=..., which must be answered 200, text/plain, with the token, within 10 s
 *   (https://learn.microsoft.com/graph/change-notifications-delivery-webhooks), or the create fails (400);
 * - a message arriving in the watched folder is notified after a delay, sometimes not at all or twice (Graph
 *   promises neither order nor exactly-once delivery), with a seeded random source so a run can be repeated;
 * - lifecycle events on demand (https://learn.microsoft.com/graph/change-notifications-lifecycle-events):
 *   `subscriptionRemoved` removes the subscription first, as Graph does.
 */

export const MAX_MESSAGE_SUBSCRIPTION_MINUTES = 10_080;
const HANDSHAKE_TIMEOUT_MS = 10_000;
const JSON_TYPE =
  'application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8';

export interface NotificationBehaviour {
  /** Delay before a notification is sent, in ms (a number or a draw per notification). Default 0. */
  delayMs: number | ((random: () => number) => number);
  /** Share of notifications never sent (0..1). Default 0. */
  dropRate: number;
  /** Share of notifications sent twice (0..1). Default 0. */
  repeatRate: number;
  /** Seed of the random source for drops, repeats and delays. */
  seed: number;
}

export interface StoredSubscription {
  id: string;
  resource: string;
  changeType: string;
  notificationUrl: string;
  lifecycleNotificationUrl: string | null;
  clientState: string | null;
  expirationDateTime: string;
  appId: string;
  mailbox: string;
  folderId: string;
}

export interface SubscriptionStats {
  created: number;
  renewed: number;
  handshakes: number;
  handshakesFailed: number;
  notificationsSent: number;
  notificationsDropped: number;
  notificationsRepeated: number;
  deliveriesFailed: number;
  lifecycleEventsSent: number;
}

export type LifecycleEvent = 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed';

/** mulberry32: a small seeded generator, so drops and repeats are the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const RESOURCE = /^\/?users\/([^/]+)\/mailFolders(?:\('([^')]+)'\)|\/([^/]+))\/messages$/i;

export class SubscriptionService {
  private readonly subscriptions = new Map<string, StoredSubscription>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private behaviour: NotificationBehaviour = { delayMs: 0, dropRate: 0, repeatRate: 0, seed: 1 };
  private random = seededRandom(1);
  readonly stats: SubscriptionStats = {
    created: 0,
    renewed: 0,
    handshakes: 0,
    handshakesFailed: 0,
    notificationsSent: 0,
    notificationsDropped: 0,
    notificationsRepeated: 0,
    deliveriesFailed: 0,
    lifecycleEventsSent: 0
  };
  private closed = false;
  /** Every /subscriptions request, as received, with the status it got (for the metadata oracle). */
  readonly log: Array<{ method: string; path: string; query: string; body?: unknown; status: number }> = [];

  constructor(
    private readonly tenantId: string,
    private readonly findMailbox: (reference: string) => MailboxRuntime | undefined,
    private readonly now: () => number
  ) {}

  setBehaviour(changes: Partial<NotificationBehaviour>): void {
    this.behaviour = { ...this.behaviour, ...changes };
    if (changes.seed !== undefined) this.random = seededRandom(changes.seed);
  }

  list(): StoredSubscription[] {
    return [...this.subscriptions.values()].map((s) => ({ ...s }));
  }

  /** Starts notifying arrivals in this mailbox's folders. */
  watch(runtime: MailboxRuntime): void {
    runtime.state.onArrival((message, folder) => this.arrived(runtime, message, folder));
  }

  async handle(
    method: string,
    path: string,
    query: string,
    body: unknown,
    ids: RequestIds,
    principal: GraphPrincipal
  ): Promise<GraphResponse> {
    const response = await this.route(method, path, body, ids, principal);
    this.log.push({ method, path, query, ...(body === undefined ? {} : { body }), status: response.status });
    return response;
  }

  private async route(
    method: string,
    path: string,
    body: unknown,
    ids: RequestIds,
    principal: GraphPrincipal
  ): Promise<GraphResponse> {
    try {
      const [, id, ...rest] = path.split('/').filter(Boolean);
      if (rest.length > 0) throw new GraphError(400, 'BadRequest', `Resource not found for the segment '${rest[0]}'.`);
      if (id === undefined) {
        if (method === 'POST') return this.answer(201, await this.create(body, principal));
        if (method === 'GET') return this.answer(200, { value: this.list().map((s) => this.render(s)) });
        throw new GraphError(405, 'Request_BadRequest', `${method} is not allowed here.`);
      }
      const subscription = this.subscriptions.get(decodeURIComponent(id));
      if (!subscription) throw new GraphError(404, 'ResourceNotFound', `The object was not found.`);
      if (method === 'GET') return this.answer(200, this.render(subscription));
      if (method === 'DELETE') {
        this.subscriptions.delete(subscription.id);
        return { status: 204, headers: {}, body: undefined };
      }
      if (method === 'PATCH') {
        const expiration = (body as { expirationDateTime?: unknown } | undefined)?.expirationDateTime;
        subscription.expirationDateTime = this.checkExpiration(expiration);
        this.stats.renewed += 1;
        return this.answer(200, this.render(subscription));
      }
      throw new GraphError(405, 'Request_BadRequest', `${method} is not allowed here.`);
    } catch (error) {
      const graphError =
        error instanceof GraphError ? error : new GraphError(500, 'InternalServerError', String(error));
      return {
        status: graphError.status,
        headers: { 'content-type': JSON_TYPE },
        body: graphErrorBody(graphError.code, graphError.message, ids)
      };
    }
  }

  /** Sends a lifecycle event for a subscription now; subscriptionRemoved removes it first. */
  async sendLifecycleEvent(subscriptionId: string, event: LifecycleEvent): Promise<number> {
    const subscription = this.subscriptions.get(subscriptionId);
    if (!subscription?.lifecycleNotificationUrl)
      throw new Error(`No subscription ${subscriptionId} with a lifecycle URL`);
    if (event === 'subscriptionRemoved') this.subscriptions.delete(subscriptionId);
    this.stats.lifecycleEventsSent += 1;
    return this.post(subscription.lifecycleNotificationUrl, {
      value: [
        {
          subscriptionId,
          subscriptionExpirationDateTime: subscription.expirationDateTime,
          tenantId: this.tenantId,
          clientState: subscription.clientState,
          lifecycleEvent: event
        }
      ]
    });
  }

  close(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  // ---------------------------------------------------------------------------------------------------

  private answer(status: number, body: Record<string, unknown>): GraphResponse {
    return { status, headers: { 'content-type': JSON_TYPE, 'odata-version': '4.0' }, body };
  }

  private render(s: StoredSubscription): Record<string, unknown> {
    return {
      id: s.id,
      resource: s.resource,
      applicationId: s.appId,
      changeType: s.changeType,
      clientState: s.clientState,
      notificationUrl: s.notificationUrl,
      lifecycleNotificationUrl: s.lifecycleNotificationUrl,
      expirationDateTime: s.expirationDateTime,
      creatorId: s.appId,
      latestSupportedTlsVersion: 'v1_2',
      notificationContentType: null,
      includeResourceData: false
    };
  }

  private checkExpiration(value: unknown): string {
    const at = typeof value === 'string' ? Date.parse(value) : NaN;
    if (Number.isNaN(at)) throw new GraphError(400, 'ExtensionError', 'expirationDateTime is not a valid date.');
    if (at <= this.now()) throw new GraphError(400, 'ExtensionError', 'Subscription expiration is in the past.');
    if (at > this.now() + MAX_MESSAGE_SUBSCRIPTION_MINUTES * 60_000) {
      throw new GraphError(
        400,
        'ExtensionError',
        `Subscription expiration can only be ${MAX_MESSAGE_SUBSCRIPTION_MINUTES} minutes in the future.`
      );
    }
    return new Date(at).toISOString();
  }

  private async create(body: unknown, principal: GraphPrincipal): Promise<Record<string, unknown>> {
    const input = (body ?? {}) as Record<string, unknown>;
    const text = (name: string) => (typeof input[name] === 'string' ? (input[name] as string) : null);
    const resource = text('resource');
    const match = resource ? RESOURCE.exec(resource) : null;
    if (!resource || !match) {
      throw new GraphError(400, 'InvalidRequest', `Resource '${resource ?? ''}' is not supported by the stand-in.`);
    }
    const runtime = this.findMailbox(decodeURIComponent(match[1] ?? ''));
    if (!runtime) throw new GraphError(404, 'ErrorInvalidUser', `The requested user '${match[1]}' is invalid.`);
    const folder = runtime.state.resolveFolder(match[2] ?? match[3] ?? '');
    const changeType = text('changeType');
    if (changeType === null || !changeType.split(',').every((c) => ['created', 'updated', 'deleted'].includes(c))) {
      throw new GraphError(400, 'InvalidRequest', 'changeType must be created, updated and/or deleted.');
    }
    const clientState = text('clientState');
    if (clientState !== null && clientState.length > 128) {
      throw new GraphError(400, 'InvalidRequest', 'clientState must be at most 128 characters.');
    }
    const notificationUrl = text('notificationUrl');
    const lifecycleNotificationUrl = text('lifecycleNotificationUrl');
    for (const url of [notificationUrl, lifecycleNotificationUrl]) {
      if (url !== null && !/^https?:\/\//i.test(url)) {
        throw new GraphError(400, 'InvalidRequest', `'${url}' is not an absolute http(s) URL.`);
      }
    }
    if (!notificationUrl) throw new GraphError(400, 'InvalidRequest', 'notificationUrl is required.');
    const expirationDateTime = this.checkExpiration(input.expirationDateTime);
    for (const url of [notificationUrl, lifecycleNotificationUrl]) {
      if (url !== null) await this.handshake(url);
    }
    const subscription: StoredSubscription = {
      id: randomUUID(),
      resource,
      changeType,
      notificationUrl,
      lifecycleNotificationUrl,
      clientState,
      expirationDateTime,
      appId: principal.appId,
      mailbox: runtime.state.address,
      folderId: folder.id
    };
    this.subscriptions.set(subscription.id, subscription);
    this.stats.created += 1;
    return {
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#subscriptions/$entity',
      ...this.render(subscription)
    };
  }

  /** Graph's validation request: the endpoint must echo the token as text/plain, 200, within 10 s. */
  private async handshake(url: string): Promise<void> {
    this.stats.handshakes += 1;
    const token = `Validation: Testing client application reachability for subscription Request-Id: ${randomUUID()}`;
    const target = `${url}${url.includes('?') ? '&' : '?'}validationToken=${encodeURIComponent(token)}`;
    let ok = false;
    try {
      const response = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'text/plain; charset=utf-8' },
        signal: AbortSignal.timeout(HANDSHAKE_TIMEOUT_MS)
      });
      const type = response.headers.get('content-type') ?? '';
      ok = response.status === 200 && type.toLowerCase().startsWith('text/plain') && (await response.text()) === token;
    } catch {
      ok = false;
    }
    if (!ok) {
      this.stats.handshakesFailed += 1;
      throw new GraphError(
        400,
        'ValidationError',
        `Subscription validation request failed. Notification endpoint must respond with 200 OK to validation request.`
      );
    }
  }

  private arrived(runtime: MailboxRuntime, message: StoredMessage, folder: StoredFolder): void {
    for (const subscription of this.subscriptions.values()) {
      if (subscription.mailbox !== runtime.state.address || subscription.folderId !== folder.id) continue;
      if (!subscription.changeType.split(',').includes('created')) continue;
      if (Date.parse(subscription.expirationDateTime) <= this.now()) continue;
      if (this.random() < this.behaviour.dropRate) {
        this.stats.notificationsDropped += 1;
        continue;
      }
      const times = this.random() < this.behaviour.repeatRate ? 2 : 1;
      if (times === 2) this.stats.notificationsRepeated += 1;
      const id = message.immutableId;
      const payload = {
        value: [
          {
            subscriptionId: subscription.id,
            subscriptionExpirationDateTime: subscription.expirationDateTime,
            changeType: 'created',
            resource: `Users/${runtime.state.userId}/Messages/${id}`,
            resourceData: {
              '@odata.type': '#Microsoft.Graph.Message',
              '@odata.id': `Users/${runtime.state.userId}/Messages/${id}`,
              '@odata.etag': `W/"${message.changeKey}"`,
              id
            },
            clientState: subscription.clientState,
            tenantId: this.tenantId
          }
        ]
      };
      for (let i = 0; i < times; i++) {
        const { delayMs } = this.behaviour;
        const delay = typeof delayMs === 'function' ? delayMs(this.random) : delayMs;
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          if (this.closed) return;
          this.stats.notificationsSent += 1;
          void this.post(subscription.notificationUrl, payload);
        }, delay);
        this.timers.add(timer);
      }
    }
  }

  private async post(url: string, body: unknown): Promise<number> {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(HANDSHAKE_TIMEOUT_MS)
      });
      await response.arrayBuffer();
      if (response.status !== 202) this.stats.deliveriesFailed += 1;
      return response.status;
    } catch {
      this.stats.deliveriesFailed += 1;
      return 0;
    }
  }
}
