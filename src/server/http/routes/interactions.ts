import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { IdParams, Problem } from '../../../shared/schemas/common.js';
import {
  Interaction,
  InteractionListQuery,
  InteractionPage,
  LogThreadBody,
  LogThreadResult,
  StatusQuery,
  StatusResult
} from '../../../shared/schemas/interaction.js';
import { callerSalesperson, principalOf } from '../../auth/authenticate.js';
import { logMessages, tenantLoggingPolicy } from '../../domain/logging.js';
import { historyScopeFor, rememberedHistoryScope } from '../../domain/visibility.js';
import { InvalidRequestError } from '../../errors.js';
import { scopeKey, type Store, type VisibilityScope } from '../../store/index.js';
import { addressParameter, pageLimit } from '../query.js';
import { sendJson, type JsonBody, type ResponseCache } from '../response-cache.js';

const tags = ['interactions'];
const errors = { 400: Problem, 401: Problem, 404: Problem };

/**
 * Where a history page is kept: the tenant, the caller's visibility and the URL as sent. Every parameter that
 * shapes the answer is in the URL, so two callers share a page only when it is the same.
 */
const historyPageKey = (tenantId: string, scope: VisibilityScope, url: string) =>
  JSON.stringify([tenantId, scopeKey(scope), url]);

export const interactionRoutes: FastifyPluginAsyncTypebox<{ store: Store; historyCache: ResponseCache }> = async (
  app,
  { store, historyCache }
) => {
  /** The page sent before for this URL to a caller who sees the same history, if nothing was written since. */
  const keptHistoryPage = (request: FastifyRequest): JsonBody | undefined => {
    const principal = principalOf(request);
    const scope = rememberedHistoryScope(store, principal);
    return scope && historyCache.peek(historyPageKey(principal.tenantId, scope, request.url));
  };

  app.get(
    '/interactions',
    {
      schema: {
        tags,
        summary: 'The interaction log, newest first',
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
      const q = request.query;
      const from = q.from === undefined ? undefined : Date.parse(q.from);
      const to = q.to === undefined ? undefined : Date.parse(q.to);
      if (from !== undefined && to !== undefined && from >= to) {
        throw new InvalidRequestError('"from" must be earlier than "to".', [
          { location: 'querystring', pointer: '/from', detail: 'must be earlier than to' }
        ]);
      }
      const scope = await historyScopeFor(store, principalOf(request));
      const filter = {
        scope,
        correspondent: addressParameter(q.correspondent, 'correspondent'),
        contactId: q.contactId,
        salespersonId: q.salespersonId,
        opportunityId: q.opportunityId,
        conversationId: q.conversationId,
        from,
        to,
        direction: q.direction,
        limit: pageLimit(q.limit),
        cursor: q.cursor
      };
      const body = await historyCache.serve(historyPageKey(tenantId, scope, request.url), async () =>
        Buffer.from(String(reply.serialize(await store.interactions.list(tenantId, filter))))
      );
      // Serialized above by this route's own response schema: Fastify sends a JSON-typed buffer as it is.
      return sendJson(request, reply, body);
    }
  );

  app.get(
    '/interactions/status',
    {
      schema: {
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
        items: await store.interactions.status(principal.tenantId, ids, await historyScopeFor(store, principal))
      };
    }
  );

  app.get(
    '/interactions/:id',
    { schema: { tags, summary: 'One interaction', params: IdParams, response: { 200: Interaction, ...errors } } },
    async (request) => {
      const principal = principalOf(request);
      return store.interactions.get(principal.tenantId, request.params.id, await historyScopeFor(store, principal));
    }
  );

  app.post(
    '/interactions/log-thread',
    {
      schema: {
        tags,
        summary: 'Log messages of a thread (Graph message shape); idempotent',
        body: LogThreadBody,
        response: { 200: LogThreadResult, ...errors }
      }
    },
    async (request) => {
      const { tenantId, userId, name } = principalOf(request);
      const [me, policy] = await Promise.all([callerSalesperson(request, store), tenantLoggingPolicy(store, tenantId)]);
      return logMessages(store, tenantId, request.body.messages, {
        source: 'addin',
        loggedBy: { id: me.id, name: me.name, email: me.email },
        actor: { userId, name },
        policy
      });
    }
  );
};
