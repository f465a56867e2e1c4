import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdParams, Problem } from '../../../shared/schemas/common.js';
import {
  Opportunity,
  OpportunityCreate,
  OpportunityHistory,
  OpportunityListQuery,
  OpportunityPage,
  OpportunityUpdate
} from '../../../shared/schemas/opportunity.js';
import { actorOf, callerSalesperson, principalOf } from '../../auth/authenticate.js';
import { valuesForCreate, valuesForUpdate } from '../../domain/opportunities.js';
import { assertMayChangeOpportunity, historyScopeFor } from '../../usecases/access.js';
import type { Store } from '../../store/index.js';
import { addressParameter, pageLimit } from '../query.js';

const tags = ['opportunities'];
const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };

export const opportunityRoutes: FastifyPluginAsyncTypebox<{ store: Store }> = async (app, { store }) => {
  app.get(
    '/opportunities',
    {
      schema: {
        operationId: 'listOpportunities',
        tags,
        summary: 'Opportunities, newest first',
        querystring: OpportunityListQuery,
        response: { 200: OpportunityPage, ...errors }
      }
    },
    async (request) => {
      const q = request.query;
      const principal = principalOf(request);
      return store.opportunities.list(principal.tenantId, {
        scope: await historyScopeFor(store, principal),
        contactId: q.contactId,
        correspondent: addressParameter(q.correspondent, 'correspondent'),
        salespersonId: q.salespersonId,
        status: q.status,
        limit: pageLimit(q.limit),
        cursor: q.cursor
      });
    }
  );

  app.get(
    '/opportunities/:id',
    {
      schema: {
        operationId: 'getOpportunity',
        summary: 'One opportunity',
        tags,
        params: IdParams,
        response: { 200: Opportunity, ...errors }
      }
    },
    async (request) => {
      const principal = principalOf(request);
      return store.opportunities.get(principal.tenantId, request.params.id, await historyScopeFor(store, principal));
    }
  );

  app.get(
    '/opportunities/:id/history',
    {
      schema: {
        tags,
        operationId: 'getOpportunityHistory',
        summary: "An opportunity's stage and status changes, newest first",
        params: IdParams,
        response: { 200: OpportunityHistory, ...errors }
      }
    },
    async (request) => {
      const principal = principalOf(request);
      const scope = await historyScopeFor(store, principal);
      return { items: await store.opportunities.history(principal.tenantId, request.params.id, scope) };
    }
  );

  app.post(
    '/opportunities',
    {
      schema: {
        operationId: 'createOpportunity',
        tags,
        summary: 'Create an opportunity, optionally from logged interactions',
        body: OpportunityCreate,
        response: { 201: Opportunity, ...errors }
      }
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const owner = await callerSalesperson(request, store);
      const opportunity = await store.opportunities.create(
        principal.tenantId,
        request.body,
        valuesForCreate(request.body),
        { id: owner.id, name: owner.name, email: owner.email },
        actorOf(principal),
        await historyScopeFor(store, principal)
      );
      return reply.code(201).header('location', `/api/v1/opportunities/${opportunity.id}`).send(opportunity);
    }
  );

  app.patch(
    '/opportunities/:id',
    {
      schema: {
        operationId: 'updateOpportunity',
        tags,
        summary: 'Move an opportunity along: stage, status, value; link more interactions',
        params: IdParams,
        body: OpportunityUpdate,
        response: { 200: Opportunity, ...errors }
      }
    },
    async (request) => {
      const principal = principalOf(request);
      const scope = await historyScopeFor(store, principal);
      // Out of sight is missing (404); in sight but someone else's is a 403.
      const current = await store.opportunities.get(principal.tenantId, request.params.id, scope);
      await assertMayChangeOpportunity(store, principal, current);
      return store.opportunities.update(
        principal.tenantId,
        current.id,
        valuesForUpdate(current, request.body),
        request.body.linkInteractionIds ?? [],
        actorOf(principal),
        scope
      );
    }
  );
};
