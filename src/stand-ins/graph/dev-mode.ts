import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { DEMO_TENANT_ID } from '../../shared/demo.js';
import { normalizeEmail } from '../../shared/email.js';
import {
  DEMO_FOLDER_IDS,
  DEMO_MAILBOX_USER,
  DEMO_SHARED_MAILBOX,
  demoMailbox,
  demoSharedMailbox,
  type DemoMessage
} from '../demo-mailbox.js';
import { bearerToken, type GraphPrincipal } from './auth.js';
import { GraphError, requestIdsOf, type RequestIds } from './errors.js';
import {
  GraphApi,
  graphRequestOf,
  headerMap,
  MailboxRuntime,
  unauthorizedResponse,
  type GraphResponse
} from './graph-api.js';
import { GRAPH_LIMITS } from './limits.js';
import { MailboxState, type SeedMessage, type WellKnownFolderName } from './state.js';

/*
 * Dev mode's Microsoft Graph for the pane: the same stand-in the processor tests run (graph-api.ts over
 * state.ts), mounted into the API's Fastify app (at /graph/v1.0) for delegated reads of /me/... Tokens are
 * the API's own dev tokens, checked by the API's verifier. Each signed-in user's /me is a mailbox of their
 * own: the demo user's (Ana López in the demo tenant) holds the demo mailbox, with the ids the Office
 * stand-in and the demo data know; everyone else's is empty. The demo team's shared mailbox (sales@) is read as
 * /users/sales@.../ by its delegates (Ana) only, as Graph lets a delegated token read a mailbox shared with the user.
 */

/** What the API's token verifier tells of a caller (the stand-ins do not import the server: its shape only). */
export interface SignedInUser {
  userId: string;
  tenantId: string;
  email: string;
}

export interface GraphStandInOptions {
  verifyToken: (token: string) => Promise<SignedInUser>;
  /** The clock the demo mailbox's dates count back from (tests pin it). */
  now?: () => number;
}

/**
 * The permissions a dev token grants on Graph: the user's own mail, mail shared with them (issue 21), and the calendar
 * as the pane asks for it (Calendars.ReadBasic, the manifest's and the pane's scope: a meeting's iCalUId, never its
 * body).
 */
const DELEGATED_ROLES = ['Mail.ReadWrite', 'Mail.Read.Shared', 'Calendars.ReadBasic'];
/** Dev tokens all come from the API's own dev issuer: one app. */
const DEV_APP_ID = 'dev-pane';
const MAX_BODY_BYTES = 4 * 1024 * 1024;
const HOUR_MS = 3_600_000;

const isDemoUser = (user: SignedInUser) =>
  user.tenantId.toLowerCase() === DEMO_TENANT_ID && normalizeEmail(user.email) === DEMO_MAILBOX_USER.emailAddress;

/** A demo message as the stand-in seeds it: every property as the demo mailbox has it, ids included. */
function seedOf(message: DemoMessage, folder: WellKnownFolderName): SeedMessage {
  const { graph } = message;
  return {
    folder,
    ids: { immutableId: graph.id, restId: message.restId, changeKey: graph.changeKey },
    subject: graph.subject,
    from: graph.from,
    sender: graph.sender,
    to: graph.toRecipients,
    cc: graph.ccRecipients,
    bcc: graph.bccRecipients,
    replyTo: graph.replyTo,
    body: graph.body,
    bodyPreview: graph.bodyPreview,
    createdDateTime: graph.createdDateTime,
    lastModifiedDateTime: graph.lastModifiedDateTime,
    receivedDateTime: graph.receivedDateTime,
    sentDateTime: graph.sentDateTime,
    internetMessageId: graph.internetMessageId,
    conversationId: graph.conversationId,
    conversationIndex: graph.conversationIndex,
    isDraft: graph.isDraft,
    isRead: graph.isRead,
    importance: graph.importance,
    categories: graph.categories,
    hasAttachments: graph.hasAttachments
  };
}

/**
 * The demo mailbox in the stand-in, and its calendar's meetings. Seeded folder by folder, newest first within each: that is the store's
 * order, in which a conversation's messages come back (callers sort for themselves, as Graph refuses
 * $orderby with a conversationId filter).
 */
function demoMailboxState(user: SignedInUser, now: number): MailboxState {
  const folders = Object.keys(DEMO_FOLDER_IDS) as (keyof typeof DEMO_FOLDER_IDS)[];
  const state = new MailboxState({
    address: DEMO_MAILBOX_USER.emailAddress,
    displayName: DEMO_MAILBOX_USER.displayName,
    userId: user.userId,
    folderIds: DEMO_FOLDER_IDS,
    now: () => now
  });
  const { messages, events } = demoMailbox(now); // newest first
  for (const folder of folders) {
    const inFolder = messages.filter((m) => m.graph.parentFolderId === DEMO_FOLDER_IDS[folder]);
    state.seed(inFolder.map((m) => seedOf(m, folder)));
  }
  state.calendar.seed(events);
  return state;
}

/** The demo team's shared mailbox, seeded as the demo mailbox is; its delegate (the demo user) may read it. */
function sharedMailboxRuntime(now: number, limits: () => typeof GRAPH_LIMITS): MailboxRuntime {
  const state = new MailboxState({
    address: DEMO_SHARED_MAILBOX.emailAddress,
    displayName: DEMO_SHARED_MAILBOX.displayName,
    now: () => now
  });
  const messages = demoSharedMailbox(now);
  for (const folder of ['inbox', 'sentitems'] as const) {
    const inFolder = messages.filter((m) => m.graph.parentFolderId === DEMO_FOLDER_IDS[folder]);
    state.seed(inFolder.map((m) => seedOf(m, folder)));
  }
  return new MailboxRuntime(state, limits);
}

/** Each signed-in user's mailbox, made on first use; all made anew when the hour changes (the demo's dates). */
function userMailboxes(clock: () => number) {
  const limits = () => GRAPH_LIMITS;
  const fresh = (hour: number) => ({
    hour,
    byUser: new Map<string, MailboxRuntime>(),
    shared: sharedMailboxRuntime(clock(), limits)
  });
  let current = fresh(NaN);
  return {
    of(user: SignedInUser): MailboxRuntime {
      const hour = Math.floor(clock() / HOUR_MS);
      if (current.hour !== hour) current = fresh(hour);
      // Access is granted to the demo user by id, not by address: another tenant's user of the same address has none.
      if (isDemoUser(user)) current.shared.delegates.add(user.userId.toLowerCase());
      let runtime = current.byUser.get(user.userId);
      if (!runtime) {
        const state = isDemoUser(user)
          ? demoMailboxState(user, clock())
          : new MailboxState({ address: normalizeEmail(user.email) ?? user.userId, userId: user.userId, now: clock });
        runtime = new MailboxRuntime(state, limits);
        current.byUser.set(user.userId, runtime);
      }
      return runtime;
    },
    find: (reference: string) =>
      current.byUser.get(reference) ??
      (normalizeEmail(reference) === DEMO_SHARED_MAILBOX.emailAddress ? current.shared : undefined),
    limits
  };
}

function send(reply: FastifyReply, answer: GraphResponse, ids: RequestIds) {
  void reply.code(answer.status).headers({
    ...answer.headers,
    'request-id': ids.requestId,
    'client-request-id': ids.clientRequestId
  });
  return answer.body === undefined ? reply.send() : reply.send(JSON.stringify(answer.body));
}

export const graphStandIn: FastifyPluginAsync<GraphStandInOptions> = async (app, options) => {
  const mailboxes = userMailboxes(options.now ?? Date.now);
  const api = new GraphApi({
    findMailbox: mailboxes.find,
    limits: mailboxes.limits,
    latencyMs: () => 0,
    batchParallelism: () => 4
  });
  const serviceRoot = app.prefix; // e.g. /graph/v1.0

  // Bodies reach the stand-in as sent: it reads JSON itself, and answers unreadable JSON as Graph does.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: MAX_BODY_BYTES }, (_request, body, done) => {
    done(null, body);
  });

  const principalOf = async (request: FastifyRequest): Promise<GraphPrincipal> => {
    const token = bearerToken(request.headers.authorization);
    let user: SignedInUser;
    try {
      user = await options.verifyToken(token);
    } catch {
      throw new GraphError(401, 'InvalidAuthenticationToken', 'Access token validation failure.');
    }
    mailboxes.of(user);
    return { appId: DEV_APP_ID, tenantId: user.tenantId, roles: DELEGATED_ROLES, me: user.userId };
  };

  app.all('/*', { schema: { hide: true } }, async (request, reply) => {
    const ids = requestIdsOf(request.headers);
    let principal: GraphPrincipal;
    try {
      principal = await principalOf(request);
    } catch (error) {
      return send(reply, unauthorizedResponse(error as GraphError, ids), ids);
    }
    const [path = '', query = ''] = request.url.slice(serviceRoot.length).split(/\?(.*)/s);
    const headers = headerMap(request.headers);
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const graphRequest = graphRequestOf({ method: request.method, path, query, headers, body, ids });
    const base = `${request.protocol}://${request.host}${serviceRoot}`;
    const isBatch = path.replace(/\/+$/, '').toLowerCase() === '/$batch' && request.method === 'POST';
    const answer = isBatch
      ? await api.batch(graphRequest, principal, base)
      : await api.execute(graphRequest, principal, base);
    return send(reply, answer, ids);
  });
};
