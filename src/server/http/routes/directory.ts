import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Static, TSchema } from 'typebox';
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
import { callerSalesperson, principalOf, requireRole } from '../../auth/authenticate.js';
import type { Principal } from '../../auth/principal.js';
import type { Store } from '../../store/index.js';
import { pageLimit } from '../query.js';
import {
  createContact,
  createSalesperson,
  createTeam,
  updateContact,
  updateSalesperson,
  updateTeam
} from '../../usecases/directory.js';

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };

const listOptions = (q: { query?: string; email?: string; limit?: number; cursor?: string }) => ({
  query: q.query?.trim() || undefined,
  email: q.email,
  limit: pageLimit(q.limit),
  cursor: q.cursor
});

/**
 * A directory resource's routes: GET the list (when searchable), GET one, POST to add (201 with its location)
 * and PATCH to change, each with the schemas and operation ids the API document shows. `writer` is who may add
 * and change (a 403 otherwise).
 */
interface ResourceRoutes<Item extends TSchema, Create extends TSchema, Update extends TSchema> {
  /** The collection's path segment: /contacts. */
  collection: string;
  /** The singular in operation ids: getContact. */
  noun: string;
  tags: string[];
  summaries: { get: string; create: string; update: string };
  schemas: { item: Item; create: Create; update: Update };
  writer: (request: FastifyRequest) => Principal;
  /** A collection searched by name and address (DirectoryListQuery) is listed by GET, by anyone signed in. */
  search?: {
    operationId: string;
    summary: string;
    page: TSchema;
    list: (tenantId: string, options: ReturnType<typeof listOptions>) => Promise<unknown>;
  };
  get: (tenantId: string, id: string) => Promise<Static<Item>>;
  create: (principal: Principal, input: Static<Create>) => Promise<Static<Item> & { id: string }>;
  update: (principal: Principal, id: string, patch: Static<Update>) => Promise<Static<Item>>;
}

function registerResource<Item extends TSchema, Create extends TSchema, Update extends TSchema>(
  app: FastifyInstance,
  resource: ResourceRoutes<Item, Create, Update>
): void {
  const { collection, noun, tags, summaries, schemas, search } = resource;
  if (search) {
    app.get<{ Querystring: Static<typeof DirectoryListQuery> }>(
      `/${collection}`,
      {
        schema: {
          operationId: search.operationId,
          tags,
          summary: search.summary,
          querystring: DirectoryListQuery,
          response: { 200: search.page, ...errors }
        }
      },
      async (request) => search.list(principalOf(request).tenantId, listOptions(request.query))
    );
  }
  app.get<{ Params: Static<typeof IdParams> }>(
    `/${collection}/:id`,
    {
      schema: {
        operationId: `get${noun}`,
        summary: summaries.get,
        tags,
        params: IdParams,
        response: { 200: schemas.item, ...errors }
      }
    },
    async (request) => resource.get(principalOf(request).tenantId, request.params.id)
  );
  app.post<{ Body: Static<Create> }>(
    `/${collection}`,
    {
      schema: {
        operationId: `create${noun}`,
        tags,
        summary: summaries.create,
        body: schemas.create,
        response: { 201: schemas.item, ...errors }
      }
    },
    async (request, reply) => {
      const principal = resource.writer(request);
      // Validated against schemas.create; Fastify cannot carry a generic schema's type through to the body.
      const created = await resource.create(principal, request.body as Static<Create>);
      return reply.code(201).header('location', `/api/v1/${collection}/${created.id}`).send(created);
    }
  );
  app.patch<{ Params: Static<typeof IdParams>; Body: Static<Update> }>(
    `/${collection}/:id`,
    {
      schema: {
        operationId: `update${noun}`,
        tags,
        summary: summaries.update,
        params: IdParams,
        body: schemas.update,
        response: { 200: schemas.item, ...errors }
      }
    },
    async (request) => resource.update(resource.writer(request), request.params.id, request.body as Static<Update>)
  );
}

const anyone = (request: FastifyRequest) => principalOf(request);
const admins = (request: FastifyRequest) => requireRole(request, 'Admin');

/**
 * Contacts: every salesperson may look up and add them ("Add contact" from an unknown sender); a contact is
 * corrected by whoever added it or by an admin (its addresses decide whose mail is logged against it).
 */
function contacts(store: Store): ResourceRoutes<typeof Contact, typeof ContactCreate, typeof ContactUpdate> {
  return {
    collection: 'contacts',
    noun: 'Contact',
    tags: ['contacts'],
    summaries: {
      get: 'One contact',
      create: 'Add a contact',
      update: 'Correct a contact (whoever added it, or an Admin)'
    },
    schemas: { item: Contact, create: ContactCreate, update: ContactUpdate },
    writer: anyone,
    search: {
      operationId: 'listContacts',
      summary: 'Search contacts by name, email or company',
      page: ContactPage,
      list: (tenantId, options) => store.directory.listContacts(tenantId, options)
    },
    get: (tenantId, id) => store.directory.getContact(tenantId, id),
    create: (principal, input) => createContact(store, principal, input),
    update: (principal, id, patch) => updateContact(store, principal, id, patch)
  };
}

/** Salespeople: readable by all (filters, names); changed by admins only. */
function salespeople(
  store: Store
): ResourceRoutes<typeof Salesperson, typeof SalespersonCreate, typeof SalespersonUpdate> {
  return {
    collection: 'salespeople',
    noun: 'Salesperson',
    tags: ['salespeople'],
    summaries: {
      get: 'One salesperson',
      create: 'Add a salesperson (Admin)',
      update: 'Change a salesperson (Admin)'
    },
    schemas: { item: Salesperson, create: SalespersonCreate, update: SalespersonUpdate },
    writer: admins,
    search: {
      operationId: 'listSalespeople',
      summary: 'Search salespeople by name or email',
      page: SalespersonPage,
      list: (tenantId, options) => store.directory.listSalespeople(tenantId, options)
    },
    get: (tenantId, id) => store.directory.getSalesperson(tenantId, id),
    create: (principal, input) => createSalesperson(store, principal, input),
    update: (principal, id, patch) => updateSalesperson(store, principal, id, patch)
  };
}

/** Teams: readable by all, listed whole (GET /teams, below); changed by admins only. */
function teams(store: Store): ResourceRoutes<typeof Team, typeof TeamCreate, typeof TeamUpdate> {
  return {
    collection: 'teams',
    noun: 'Team',
    tags: ['teams'],
    summaries: { get: 'One team', create: 'Add a team (Admin)', update: 'Change a team (Admin)' },
    schemas: { item: Team, create: TeamCreate, update: TeamUpdate },
    writer: admins,
    get: (tenantId, id) => store.directory.getTeam(tenantId, id),
    create: (principal, input) => createTeam(store, principal, input),
    update: (principal, id, patch) => updateTeam(store, principal, id, patch)
  };
}

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
  registerResource(app, contacts(store));
  registerResource(app, salespeople(store));
  app.get(
    '/teams',
    {
      schema: {
        operationId: 'listTeams',
        summary: 'The teams',
        tags: ['teams'],
        response: { 200: TeamList, ...errors }
      }
    },
    async (request) => ({
      items: await store.directory.listTeams(principalOf(request).tenantId)
    })
  );
  registerResource(app, teams(store));
};
