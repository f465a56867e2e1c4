import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { ADDRESSES_PER_REQUEST } from '../../../shared/limits.js';
import { IdParams, personRef, Problem } from '../../../shared/schemas/common.js';
import {
  Interaction,
  InteractionListQuery,
  InteractionPage,
  LogMeetingBody,
  LogThreadBody,
  LogThreadResult,
  NoteBody,
  StatusQuery,
  StatusResult
} from '../../../shared/schemas/interaction.js';
import { actorOf, callerSalesperson, principalOf } from '../../auth/authenticate.js';
import { searchWords, withHighlights } from '../../domain/search.js';
import { historyScopeFor, rememberedHistoryScope, type ScopeSources } from '../../usecases/access.js';
import {
  ANY_ENTRY_TAG,
  cacheTag,
  scopeKey,
  WHOLE_TENANT_TAG,
  type InteractionFilter,
  type Store,
  type VisibilityScope
} from '../../store/index.js';
import { addressParameter, dateRange, pageLimit } from '../query.js';
import type { RateLimits } from '../rate-limits.js';
import { JsonBody, sendJson, type ResponseCache } from '../response-cache.js';
import { logMeetingFromPane } from '../../usecases/log-meeting.js';
import { logFromPane } from '../../usecases/log-messages.js';
import { addNote } from '../../usecases/notes.js';
import type { RouteApp } from '../route-schema.js';

const tags = ['interactions'];
const errors = { 400: Problem, 401: Problem, 404: Problem };

/**
 * Where a history page is kept: the tenant, the caller's visibility and the URL as sent. Every parameter that
 * shapes the answer is in the URL, so two callers share a page only when it is the same.
 */
const historyPageKey = (tenantId: string, scope: VisibilityScope, url: string) =>
  JSON.stringify([tenantId, scopeKey(scope), url]);

/**
 * What a history page shows, as the tags a write changes (migration 0009): the contacts on it (their names), the
 * contact or salesperson it is about (their new entries), or, for other filters and for a correspondent without
 * entries yet, any entry of the tenant; and always the tenant's directory and settings.
 */
export function historyPageTags(tenantId: string, filter: InteractionFilter, items: readonly Interaction[]): string[] {
  const tags = new Set([WHOLE_TENANT_TAG]);
  for (const item of items) tags.add(`c:${item.contact.id}`);
  if (filter.contactId !== undefined) tags.add(`c:${filter.contactId}`);
  else if (filter.salespersonId !== undefined) tags.add(`s:${filter.salespersonId}`);
  // A correspondent's entries all have its one contact, on the page already; without entries, its first may come.
  else if (filter.correspondent === undefined || items.length === 0) tags.add(ANY_ENTRY_TAG);
  return [...tags].map((tag) => cacheTag(tenantId, tag));
}

/** What a log-thread call weighs against the request budget: its messages and their recipients. */
function logThreadWeight(body: LogThreadBody): number {
  let addresses = 0;
  for (const message of body.messages) {
    addresses +=
      1 +
      (message.toRecipients?.length ?? 0) +
      (message.ccRecipients?.length ?? 0) +
      (message.bccRecipients?.length ?? 0);
  }
  return Math.ceil(addresses / ADDRESSES_PER_REQUEST);
}

interface InteractionRouteOptions extends ScopeSources {
  historyCache: ResponseCache;
  limits: RateLimits;
}

export const interactionRoutes: FastifyPluginAsyncTypebox<InteractionRouteOptions> = async (app, options) => {
  listRoute(app, options);
  statusRoute(app, options);
  oneEntryRoute(app, options);
  logThreadRoute(app, options);
  logMeetingRoute(app, options);
  addNoteRoute(app, options.store);
};

function listRoute(app: RouteApp, options: InteractionRouteOptions): void {
  const { store, scopes, historyCache } = options;
  /** The page sent before for this URL to a caller who sees the same history, if nothing was written since. */
  const keptHistoryPage = (request: FastifyRequest): JsonBody | undefined => {
    const principal = principalOf(request);
    const scope = rememberedHistoryScope(scopes, principal);
    return scope && historyCache.peek(historyPageKey(principal.tenantId, scope, request.url));
  };

  app.get(
    '/interactions',
    {
      schema: {
        operationId: 'listInteractions',
        tags,
        summary: 'The interaction log, newest first; with q, a full-text search, best match first',
        querystring: InteractionListQuery,
        response: { 200: InteractionPage, ...errors }
      },
      // The pane asks for a history each time a message is opened. A kept page is sent from here, after the
      // caller was authenticated and counted: the same URL passed validation and the handler when it was made.
      onRequest: (request, reply, done) => {
        const page = keptHistoryPage(request);
        if (page) sendJson(request, reply, page);
        else done();
      }
    },
    async (request, reply) => {
      const { tenantId } = principalOf(request);
      // The query is checked before the caller's scope is worked out (which may create their salesperson record).
      const query = historyQuery(request.query);
      const scope = await historyScopeFor(options, principalOf(request));
      const filter: InteractionFilter = { ...query, scope };
      const body = await historyCache.serve(historyPageKey(tenantId, scope, request.url), async () => {
        const page = await store.interactions.list(tenantId, filter);
        const { words } = filter;
        const items = words ? page.items.map((entry) => withHighlights(entry, words)) : page.items;
        return new JsonBody(
          Buffer.from(String(reply.serialize({ ...page, items }))),
          historyPageTags(tenantId, filter, page.items)
        );
      });
      // Serialized above by this route's own response schema: Fastify sends a JSON-typed buffer as it is.
      return sendJson(request, reply, body);
    }
  );
}

/** The store's filter for a history query, but for the caller's scope. */
function historyQuery(q: InteractionListQuery): Omit<InteractionFilter, 'scope'> {
  const { from, to } = dateRange(q.from, q.to);
  return {
    correspondent: addressParameter(q.correspondent, 'correspondent'),
    contactId: q.contactId,
    salespersonId: q.salespersonId,
    opportunityId: q.opportunityId,
    conversationId: q.conversationId,
    from,
    to,
    direction: q.direction,
    words: q.q === undefined ? undefined : searchWords(q.q),
    limit: pageLimit(q.limit),
    cursor: q.cursor
  };
}

function statusRoute(app: RouteApp, sources: ScopeSources): void {
  const { store } = sources;
  app.get(
    '/interactions/status',
    {
      schema: {
        operationId: 'getInteractionStatus',
        tags,
        summary: 'Whether messages are logged, by Internet message ID',
        querystring: StatusQuery,
        response: { 200: StatusResult, ...errors }
      }
    },
    async (request) => {
      const principal = principalOf(request);
      const ids = [...new Set(request.query.internetMessageId)];
      return {
        items: await store.interactions.status(principal.tenantId, ids, await historyScopeFor(sources, principal))
      };
    }
  );
}

function oneEntryRoute(app: RouteApp, sources: ScopeSources): void {
  const { store } = sources;
  app.get(
    '/interactions/:id',
    {
      schema: {
        operationId: 'getInteraction',
        tags,
        summary: 'One interaction',
        params: IdParams,
        response: { 200: Interaction, ...errors }
      }
    },
    async (request) => {
      const principal = principalOf(request);
      return store.interactions.get(principal.tenantId, request.params.id, await historyScopeFor(sources, principal));
    }
  );
}

function logThreadRoute(app: RouteApp, options: InteractionRouteOptions): void {
  const { store, limits } = options;
  app.post(
    '/interactions/log-thread',
    {
      schema: {
        operationId: 'logThread',
        tags,
        summary: 'Log messages of a thread (Graph message shape); idempotent',
        body: LogThreadBody,
        response: { 200: LogThreadResult, 413: Problem, 429: Problem, ...errors }
      },
      // Counted once already, on arrival; a call naming many addresses weighs more before any work is done.
      preHandler: (request, _reply, done) => {
        limits.weigh(request, logThreadWeight(request.body) - 1);
        done();
      }
    },
    async (request) => {
      const principal = principalOf(request);
      const [me, scope] = await Promise.all([callerSalesperson(request, store), historyScopeFor(options, principal)]);
      const { messages, sharedMailbox } = request.body;
      return logFromPane(store, principal.tenantId, messages, { me, actor: actorOf(principal), scope, sharedMailbox });
    }
  );
}

function logMeetingRoute(app: RouteApp, options: InteractionRouteOptions): void {
  const { store, limits } = options;
  app.post(
    '/interactions/log-meeting',
    {
      schema: {
        operationId: 'logMeeting',
        tags,
        summary:
          'Log a meeting (Graph event shape): one entry per contact and salesperson at it, once per iCalUId; ' +
          'idempotent. A skipped meeting is named by its iCalUId',
        body: LogMeetingBody,
        response: { 200: LogThreadResult, 413: Problem, 429: Problem, ...errors }
      },
      // As log-thread: counted once on arrival, and a meeting naming many attendees weighs more.
      preHandler: (request, _reply, done) => {
        const addresses = 1 + (request.body.event.attendees?.length ?? 0);
        limits.weigh(request, Math.ceil(addresses / ADDRESSES_PER_REQUEST) - 1);
        done();
      }
    },
    async (request) => {
      const principal = principalOf(request);
      const [me, scope] = await Promise.all([callerSalesperson(request, store), historyScopeFor(options, principal)]);
      return logMeetingFromPane(store, principal.tenantId, request.body.event, {
        me,
        actor: actorOf(principal),
        scope
      });
    }
  );
}

function addNoteRoute(app: RouteApp, store: Store): void {
  app.post(
    '/notes',
    {
      schema: {
        tags,
        operationId: 'addNote',
        summary: "Add a note (a call, a meeting held elsewhere) to a contact's history",
        body: NoteBody,
        response: { 201: Interaction, ...errors }
      }
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const me = await callerSalesperson(request, store);
      const note = await addNote(store, principal.tenantId, request.body, personRef(me), actorOf(principal));
      return reply.code(201).send(note);
    }
  );
}
