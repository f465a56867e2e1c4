import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { DEMO_TENANT_ID } from '../../shared/demo.js';
import {
  DEMO_FOLDER_IDS,
  DEMO_MAILBOX_USER,
  demoMailbox,
  GRAPH_MESSAGE_PROPERTIES,
  type DemoMessage,
  type GraphMessageProperty
} from '../../shared/demo-mailbox.js';
import { normalizeEmail } from '../../shared/email.js';
import type { Principal } from '../auth/principal.js';
import type { TokenVerifier } from '../auth/tokens.js';

/*
 * Dev mode's stand-in for the slice of Microsoft Graph the pane reads: one message by id, and the messages
 * of a conversation. It behaves as Graph does where the pane can tell: the same URLs under /v1.0, the same
 * OData query options and their refusals ($orderby with a conversationId filter is "InefficientFilter"),
 * paging by an absolute @odata.nextLink, regular or immutable ids depending on `Prefer`, and errors as
 * `{ error: { code, message, innerError } }`. Tokens are the API's own dev tokens, checked by the same
 * verifier. The demo user (Ana López in the demo tenant) sees the demo mailbox; everyone else an empty one.
 */

export interface GraphStandInOptions {
  verifyToken: TokenVerifier;
  /** The clock the demo mailbox's dates count back from (tests pin it). */
  now?: () => number;
}

const DEFAULT_PAGE_SIZE = 10;
const MAX_PAGE_SIZE = 1000;
const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
const JSON_TYPE =
  'application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8';
/** Base64 or base64url, as Graph's ids are; anything else (an EWS id with '/' or '+') is malformed. */
const REST_ID = /^[A-Za-z0-9_-]+=*$/;
const FILTER_BY_CONVERSATION = /^\s*conversationId\s+eq\s+'((?:[^']|'')*)'\s*$/;
const ORDER_BY = /^\s*([A-Za-z]+)(?:\s+(asc|desc))?\s*$/;
/** What $orderby may name here (all of them message properties in Graph's metadata). */
export const SORTABLE_MESSAGE_PROPERTIES: GraphMessageProperty[] = [
  'receivedDateTime',
  'sentDateTime',
  'createdDateTime',
  'lastModifiedDateTime',
  'subject'
];
/** The OData options each route takes; any other `$` option is refused, never silently ignored. */
const MESSAGE_OPTIONS = ['$select'];
const LIST_OPTIONS = ['$select', '$filter', '$orderby', '$top', '$skip'];
/** The order a conversation's messages come back in: the store's, folder by folder, not by date. */
const FOLDER_ORDER = [DEMO_FOLDER_IDS.inbox, DEMO_FOLDER_IDS.sentitems, DEMO_FOLDER_IDS.drafts];

export class GraphError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string
  ) {
    super(message);
    this.name = 'GraphError';
  }
}

// A wildcard, not ":id": Graph's ids (about 150 characters) are longer than Fastify's parameter limit.
const MessageParams = Type.Object({ '*': Type.String() });
const QueryOption = Type.Optional(Type.String());
const MessageQuery = Type.Object({ $select: QueryOption }, { additionalProperties: true });
const ListQuery = Type.Object(
  { $select: QueryOption, $filter: QueryOption, $orderby: QueryOption, $top: QueryOption, $skip: QueryOption },
  { additionalProperties: true }
);

const principals = new WeakMap<FastifyRequest, Principal>();
const requestIds = new WeakMap<FastifyRequest, { requestId: string; clientRequestId: string }>();

function sendGraphError(request: FastifyRequest, reply: FastifyReply, status: number, code: string, message: string) {
  const ids = requestIds.get(request);
  return reply
    .code(status)
    .type('application/json')
    .send({
      error: {
        code,
        message,
        innerError: {
          date: new Date().toISOString().replace(/\.\d{3}Z$/, ''),
          'request-id': ids?.requestId ?? '',
          'client-request-id': ids?.clientRequestId ?? ''
        }
      }
    });
}

/** `Prefer: IdType="ImmutableId"`, possibly among other preferences in one or several headers. */
function prefersImmutableIds(request: FastifyRequest): boolean {
  const header = request.headers.prefer;
  const values = (Array.isArray(header) ? header : [header ?? '']).flatMap((value) => value.split(','));
  return values.some((value) => /^\s*IdType\s*=\s*"?ImmutableId"?\s*$/i.test(value));
}

/** The $select list in Graph's casing, or null for "everything"; unknown names are Graph's parse error. */
function parseSelect(select: string | undefined): GraphMessageProperty[] | null {
  if (select === undefined) return null;
  const names = select
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (names.length === 0) return null;
  return names.map((name) => {
    const known = GRAPH_MESSAGE_PROPERTIES.find((p) => p.toLowerCase() === name.toLowerCase());
    if (!known) {
      throw new GraphError(
        400,
        'RequestBroker--ParseUri',
        `Could not find a property named '${name}' on type 'microsoft.graph.message'.`
      );
    }
    return known;
  });
}

function refuseOtherOptions(query: Record<string, unknown>, implemented: string[]): void {
  const other = Object.keys(query).find((name) => name.startsWith('$') && !implemented.includes(name));
  if (other)
    throw new GraphError(400, 'BadRequest', `The Graph stand-in does not implement the ${other} query option here.`);
}

function parseCount(value: string | undefined, option: '$top' | '$skip', fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value.trim()) || (option === '$top' && Number(value) === 0)) {
    throw new GraphError(400, 'BadRequest', `Invalid value '${value}' for the ${option} query option.`);
  }
  return Number(value);
}

const folderRank = (message: DemoMessage) => FOLDER_ORDER.indexOf(message.graph.parentFolderId);
const newestFirst = (a: DemoMessage, b: DemoMessage) =>
  Date.parse(b.graph.receivedDateTime) - Date.parse(a.graph.receivedDateTime);

export const graphStandIn: FastifyPluginAsyncTypebox<GraphStandInOptions> = async (app, options) => {
  const { verifyToken } = options;
  const clock = options.now ?? Date.now;
  const serviceRoot = app.prefix; // e.g. /graph/v1.0

  // The demo mailbox, rebuilt when the hour changes (its dates count back from the whole hour).
  let cached: { hour: number; messages: DemoMessage[] } | null = null;
  const demoMessages = () => {
    const hour = Math.floor(clock() / 3_600_000);
    if (cached?.hour !== hour) cached = { hour, messages: demoMailbox(clock()).messages };
    return cached.messages;
  };
  const mailboxOf = (principal: Principal): DemoMessage[] =>
    principal.tenantId.toLowerCase() === DEMO_TENANT_ID &&
    normalizeEmail(principal.email) === DEMO_MAILBOX_USER.emailAddress
      ? demoMessages()
      : [];

  app.setErrorHandler((error: FastifyError | GraphError, request, reply) => {
    if (error instanceof GraphError) return sendGraphError(request, reply, error.statusCode, error.code, error.message);
    if (error.validation) {
      const option = error.validation[0]?.instancePath.replace(/^\//, '') ?? '';
      return sendGraphError(
        request,
        reply,
        400,
        'BadRequest',
        option ? `The query option '${option}' is not valid (given more than once?).` : 'The request is not valid.'
      );
    }
    const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status < 500) return sendGraphError(request, reply, status, 'BadRequest', error.message);
    request.log.error({ err: error }, 'Graph stand-in failed');
    return sendGraphError(request, reply, 500, 'InternalServerError', 'An internal server error occurred.');
  });

  // Graph answers a path it does not know with 400 and the first segment it could not resolve.
  app.setNotFoundHandler((request, reply) => {
    if (request.method !== 'GET') {
      return sendGraphError(
        request,
        reply,
        405,
        'Request_BadRequest',
        `The Graph stand-in serves only GET /me/messages and GET /me/messages/{id}; not ${request.method}.`
      );
    }
    const path = (request.url.split('?')[0] ?? '').slice(serviceRoot.length);
    const segments = path.split('/').filter(Boolean);
    const known = ['me', 'messages'];
    const unknown = segments.find((segment, index) => segment !== known[index]) ?? segments[0] ?? '';
    let segment = unknown;
    try {
      segment = decodeURIComponent(unknown);
    } catch {
      // not valid percent-encoding: quote it as sent
    }
    return sendGraphError(request, reply, 400, 'BadRequest', `Resource not found for the segment '${segment}'.`);
  });

  app.addHook('onRequest', async (request, reply) => {
    const given = request.headers['client-request-id'];
    const requestId = randomUUID();
    const clientRequestId = typeof given === 'string' && given.length <= 100 ? given : requestId;
    requestIds.set(request, { requestId, clientRequestId });
    void reply.header('request-id', requestId).header('client-request-id', clientRequestId);

    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    const unauthorized = (message: string) => {
      void reply.header(
        'www-authenticate',
        `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="${GRAPH_APP_ID}"`
      );
      return sendGraphError(request, reply, 401, 'InvalidAuthenticationToken', message);
    };
    if (!match?.[1]) return unauthorized('Access token is empty.');
    try {
      principals.set(request, await verifyToken(match[1]));
    } catch {
      return unauthorized('Access token validation failure.');
    }
  });

  app.addHook('onSend', async (request, reply, payload) => {
    if (prefersImmutableIds(request)) void reply.header('preference-applied', 'IdType="ImmutableId"');
    if (reply.statusCode < 400) void reply.header('content-type', JSON_TYPE).header('odata-version', '4.0');
    return payload;
  });

  const principalOf = (request: FastifyRequest): Principal => {
    const principal = principals.get(request);
    if (!principal) throw new GraphError(401, 'InvalidAuthenticationToken', 'Access token is empty.');
    return principal;
  };
  const contextUrl = (
    request: FastifyRequest,
    principal: Principal,
    select: GraphMessageProperty[] | null,
    entity: boolean
  ) => {
    const properties = select === null ? '' : `(${select.join(',')})`;
    return `${request.protocol}://${request.host}${serviceRoot}/$metadata#users('${principal.userId}')/messages${properties}${entity ? '/$entity' : ''}`;
  };
  const render = (message: DemoMessage, select: GraphMessageProperty[] | null, immutable: boolean) => {
    const id = immutable ? message.graph.id : message.restId;
    const full = { ...message.graph, id };
    const body: Record<string, unknown> = { '@odata.etag': `W/"${message.graph.changeKey}"`, id };
    for (const property of GRAPH_MESSAGE_PROPERTIES) {
      if (select === null || select.includes(property)) body[property] = full[property];
    }
    return body;
  };

  app.get(
    '/me/messages/*',
    { schema: { hide: true, params: MessageParams, querystring: MessageQuery } },
    async (request) => {
      const principal = principalOf(request);
      const id = request.params['*'];
      refuseOtherOptions(request.query, MESSAGE_OPTIONS);
      const select = parseSelect(request.query.$select);
      if (!REST_ID.test(id)) throw new GraphError(400, 'ErrorInvalidIdMalformed', 'Id is malformed.');
      // Graph finds a message by either form of its id, and answers in the form the caller prefers.
      const message = mailboxOf(principal).find((m) => m.graph.id === id || m.restId === id);
      if (!message) throw new GraphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
      return {
        '@odata.context': contextUrl(request, principal, select, true),
        ...render(message, select, prefersImmutableIds(request))
      };
    }
  );

  app.get('/me/messages', { schema: { hide: true, querystring: ListQuery } }, async (request) => {
    const principal = principalOf(request);
    const query = request.query as Record<string, unknown> & typeof request.query;
    refuseOtherOptions(query, LIST_OPTIONS);
    const select = parseSelect(query.$select);
    const top = Math.min(parseCount(query.$top, '$top', DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE);
    const skip = parseCount(query.$skip, '$skip', 0);

    let messages = mailboxOf(principal);
    let conversationId: string | null = null;
    if (query.$filter !== undefined) {
      const match = FILTER_BY_CONVERSATION.exec(query.$filter);
      if (!match) {
        throw new GraphError(
          400,
          'BadRequest',
          `The Graph stand-in understands only $filter=conversationId eq '...' (got "${query.$filter}").`
        );
      }
      conversationId = (match[1] ?? '').replace(/''/g, "'");
      messages = messages
        .filter((m) => m.graph.conversationId === conversationId)
        // Not by date: callers sort for themselves, since $orderby is refused with this filter.
        .sort((a, b) => folderRank(a) - folderRank(b) || newestFirst(a, b));
    }
    if (query.$orderby !== undefined) {
      if (conversationId !== null) {
        throw new GraphError(
          400,
          'InefficientFilter',
          'The restriction or sort order is too complex for this operation.'
        );
      }
      const match = ORDER_BY.exec(query.$orderby);
      const property = SORTABLE_MESSAGE_PROPERTIES.find((p) => p.toLowerCase() === match?.[1]?.toLowerCase());
      if (!match || !property) {
        throw new GraphError(
          400,
          'BadRequest',
          `The Graph stand-in can order only by one of ${SORTABLE_MESSAGE_PROPERTIES.join(', ')} (got "${query.$orderby}").`
        );
      }
      const direction = match[2] === 'desc' ? -1 : 1;
      messages = [...messages].sort(
        (a, b) => direction * String(a.graph[property]).localeCompare(String(b.graph[property]))
      );
    }

    const immutable = prefersImmutableIds(request);
    const page = messages.slice(skip, skip + top).map((message) => render(message, select, immutable));
    const body: Record<string, unknown> = {
      '@odata.context': contextUrl(request, principal, select, false),
      value: page
    };
    if (skip + top < messages.length) {
      // Like Graph's for messages: the same query with $top and the next $skip, as an absolute URL.
      const next = new URL(request.url, `${request.protocol}://${request.host}`);
      next.searchParams.set('$top', String(top));
      next.searchParams.set('$skip', String(skip + top));
      body['@odata.nextLink'] = next.href;
    }
    return body;
  });
};
