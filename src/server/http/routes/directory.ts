import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IdParams, Problem } from '../../../shared/schemas/common.js';
import {
  Contact,
  ContactCreate,
  ContactPage,
  ContactUpdate,
  DirectoryListQuery,
  Me,
  Salesperson,
  SalespersonCreate,
  SalespersonPage,
  SalespersonUpdate,
  Team,
  TeamCreate,
  TeamList,
  TeamUpdate
} from '../../../shared/schemas/directory.js';
import { actorOf, callerSalesperson, principalOf, requireRole } from '../../auth/authenticate.js';
import { hasRole } from '../../auth/principal.js';
import { ForbiddenError } from '../../errors.js';
import type { Store } from '../../store/index.js';
import { pageLimit } from '../query.js';

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };

const listOptions = (q: { query?: string; email?: string; limit?: number; cursor?: string }) => ({
  query: q.query?.trim() || undefined,
  email: q.email,
  limit: pageLimit(q.limit),
  cursor: q.cursor
});

export const directoryRoutes: FastifyPluginAsyncTypebox<{ store: Store }> = async (app, { store }) => {
  app.get(
    '/me',
    {
      schema: { operationId: 'getMe', tags: ['me'], summary: 'The signed-in user', response: { 200: Me, 401: Problem } }
    },
    async (request) => {
      const principal = principalOf(request);
      return { ...principal, salesperson: await callerSalesperson(request, store) };
    }
  );

  // Contacts: every salesperson may look up and add them ("Add contact" from an unknown sender); a contact is
  // corrected by whoever added it or by an admin (its addresses decide whose mail is logged against it).
  const contactTags = ['contacts'];
  app.get(
    '/contacts',
    {
      schema: {
        operationId: 'listContacts',
        tags: contactTags,
        summary: 'Search contacts by name, email or company',
        querystring: DirectoryListQuery,
        response: { 200: ContactPage, ...errors }
      }
    },
    async (request) => store.directory.listContacts(principalOf(request).tenantId, listOptions(request.query))
  );
  app.get(
    '/contacts/:id',
    {
      schema: {
        operationId: 'getContact',
        summary: 'One contact',
        tags: contactTags,
        params: IdParams,
        response: { 200: Contact, ...errors }
      }
    },
    async (request) => store.directory.getContact(principalOf(request).tenantId, request.params.id)
  );
  app.post(
    '/contacts',
    {
      schema: {
        operationId: 'createContact',
        tags: contactTags,
        summary: 'Add a contact',
        body: ContactCreate,
        response: { 201: Contact, ...errors }
      }
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const contact = await store.directory.createContact(principal.tenantId, request.body, actorOf(principal));
      return reply.code(201).header('location', `/api/v1/contacts/${contact.id}`).send(contact);
    }
  );
  app.patch(
    '/contacts/:id',
    {
      schema: {
        operationId: 'updateContact',
        summary: 'Correct a contact (whoever added it, or an Admin)',
        tags: contactTags,
        params: IdParams,
        body: ContactUpdate,
        response: { 200: Contact, ...errors }
      }
    },
    async (request) => {
      const principal = principalOf(request);
      const createdBy = await store.directory.contactCreatedBy(principal.tenantId, request.params.id);
      if (!hasRole(principal, 'Admin') && createdBy !== principal.userId) {
        throw new ForbiddenError('Only whoever added this contact, or an admin, can change it.');
      }
      return store.directory.updateContact(principal.tenantId, request.params.id, request.body, actorOf(principal));
    }
  );

  // Salespeople and teams: readable by all (filters, names); changed by admins only.
  const salesTags = ['salespeople'];
  app.get(
    '/salespeople',
    {
      schema: {
        operationId: 'listSalespeople',
        summary: 'Search salespeople by name or email',
        tags: salesTags,
        querystring: DirectoryListQuery,
        response: { 200: SalespersonPage, ...errors }
      }
    },
    async (request) => store.directory.listSalespeople(principalOf(request).tenantId, listOptions(request.query))
  );
  app.get(
    '/salespeople/:id',
    {
      schema: {
        operationId: 'getSalesperson',
        summary: 'One salesperson',
        tags: salesTags,
        params: IdParams,
        response: { 200: Salesperson, ...errors }
      }
    },
    async (request) => store.directory.getSalesperson(principalOf(request).tenantId, request.params.id)
  );
  app.post(
    '/salespeople',
    {
      schema: {
        operationId: 'createSalesperson',
        tags: salesTags,
        summary: 'Add a salesperson (Admin)',
        body: SalespersonCreate,
        response: { 201: Salesperson, ...errors }
      }
    },
    async (request, reply) => {
      const principal = requireRole(request, 'Admin');
      const salesperson = await store.directory.createSalesperson(principal.tenantId, request.body, actorOf(principal));
      return reply.code(201).header('location', `/api/v1/salespeople/${salesperson.id}`).send(salesperson);
    }
  );
  app.patch(
    '/salespeople/:id',
    {
      schema: {
        operationId: 'updateSalesperson',
        tags: salesTags,
        summary: 'Change a salesperson (Admin)',
        params: IdParams,
        body: SalespersonUpdate,
        response: { 200: Salesperson, ...errors }
      }
    },
    async (request) => {
      const principal = requireRole(request, 'Admin');
      return store.directory.updateSalesperson(principal.tenantId, request.params.id, request.body, actorOf(principal));
    }
  );

  const teamTags = ['teams'];
  app.get(
    '/teams',
    {
      schema: { operationId: 'listTeams', summary: 'The teams', tags: teamTags, response: { 200: TeamList, ...errors } }
    },
    async (request) => ({
      items: await store.directory.listTeams(principalOf(request).tenantId)
    })
  );
  app.get(
    '/teams/:id',
    {
      schema: {
        operationId: 'getTeam',
        summary: 'One team',
        tags: teamTags,
        params: IdParams,
        response: { 200: Team, ...errors }
      }
    },
    async (request) => store.directory.getTeam(principalOf(request).tenantId, request.params.id)
  );
  app.post(
    '/teams',
    {
      schema: {
        operationId: 'createTeam',
        tags: teamTags,
        summary: 'Add a team (Admin)',
        body: TeamCreate,
        response: { 201: Team, ...errors }
      }
    },
    async (request, reply) => {
      const principal = requireRole(request, 'Admin');
      const team = await store.directory.createTeam(principal.tenantId, request.body, actorOf(principal));
      return reply.code(201).header('location', `/api/v1/teams/${team.id}`).send(team);
    }
  );
  app.patch(
    '/teams/:id',
    {
      schema: {
        operationId: 'updateTeam',
        tags: teamTags,
        summary: 'Change a team (Admin)',
        params: IdParams,
        body: TeamUpdate,
        response: { 200: Team, ...errors }
      }
    },
    async (request) => {
      const principal = requireRole(request, 'Admin');
      return store.directory.updateTeam(principal.tenantId, request.params.id, request.body, actorOf(principal));
    }
  );
};
