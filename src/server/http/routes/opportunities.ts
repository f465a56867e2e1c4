import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdParams, personRef, Problem } from '../../../shared/schemas/common.js';
import {
  Opportunity,
  OpportunityCreate,
  OpportunityHistory,
  OpportunityListQuery,
  OpportunityPage,
  OpportunityUpdate
} from '../../../shared/schemas/opportunity.js';
import { actorOf, callerSalesperson, principalOf } from '../../auth/authenticate.js';
import { historyScopeFor, type ScopeSources } from '../../usecases/access.js';
import { createOpportunity, updateOpportunity } from '../../usecases/opportunities.js';
import { addressParameter, pageLimit } from '../query.js';
import { routeSchema, type RouteApp } from '../route-schema.js';

/** The tags and problems every route below shares in the API reference. */
const group = {
  tags: ['opportunities'],
  errors: { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem }
};

export const opportunityRoutes: FastifyPluginAsyncTypebox<ScopeSources> = async (app, sources) => {
  listRoute(app, sources);
  oneRoute(app, sources);
  historyRoute(app, sources);
  createRoute(app, sources);
  updateRoute(app, sources);
};

function listRoute(app: RouteApp, sources: ScopeSources): void {
  const { store } = sources;
  app.get(
    '/opportunities',
    {
      schema: routeSchema(
        group,
        'listOpportunities',
        'Opportunities, newest first',
        { 200: OpportunityPage },
        { querystring: OpportunityListQuery }
      )
    },
    async (request) => {
      const q = request.query;
      const principal = principalOf(request);
      return store.opportunities.list(principal.tenantId, {
        scope: await historyScopeFor(sources, principal),
        contactId: q.contactId,
        correspondent: addressParameter(q.correspondent, 'correspondent'),
        salespersonId: q.salespersonId,
        status: q.status,
        limit: pageLimit(q.limit),
        cursor: q.cursor
      });
    }
  );
}

function oneRoute(app: RouteApp, sources: ScopeSources): void {
  const { store } = sources;
  app.get(
    '/opportunities/:id',
    {
      schema: routeSchema(group, 'getOpportunity', 'One opportunity', { 200: Opportunity }, { params: IdParams })
    },
    async (request) => {
      const principal = principalOf(request);
      return store.opportunities.get(principal.tenantId, request.params.id, await historyScopeFor(sources, principal));
    }
  );
}

function historyRoute(app: RouteApp, sources: ScopeSources): void {
  const { store } = sources;
  app.get(
    '/opportunities/:id/history',
    {
      schema: routeSchema(
        group,
        'getOpportunityHistory',
        "An opportunity's stage and status changes, newest first",
        { 200: OpportunityHistory },
        { params: IdParams }
      )
    },
    async (request) => {
      const principal = principalOf(request);
      const scope = await historyScopeFor(sources, principal);
      return { items: await store.opportunities.history(principal.tenantId, request.params.id, scope) };
    }
  );
}

function createRoute(app: RouteApp, sources: ScopeSources): void {
  const { store } = sources;
  app.post(
    '/opportunities',
    {
      schema: routeSchema(
        group,
        'createOpportunity',
        'Create an opportunity, optionally from logged interactions',
        { 201: Opportunity },
        { body: OpportunityCreate }
      )
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const owner = personRef(await callerSalesperson(request, store));
      const scope = await historyScopeFor(sources, principal);
      const { tenantId } = principal;
      const opportunity = await createOpportunity(store, tenantId, request.body, owner, actorOf(principal), scope);
      return reply.code(201).header('location', `/api/v1/opportunities/${opportunity.id}`).send(opportunity);
    }
  );
}

function updateRoute(app: RouteApp, sources: ScopeSources): void {
  const { store } = sources;
  app.patch(
    '/opportunities/:id',
    {
      schema: routeSchema(
        group,
        'updateOpportunity',
        'Move an opportunity along: stage, status, value; link more interactions',
        { 200: Opportunity },
        { params: IdParams, body: OpportunityUpdate }
      )
    },
    async (request) => {
      const principal = principalOf(request);
      const scope = await historyScopeFor(sources, principal);
      return updateOpportunity(store, principal, request.params.id, request.body, actorOf(principal), scope);
    }
  );
}
