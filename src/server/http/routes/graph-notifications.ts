import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { Problem } from '../../../shared/schemas/common.js';
import { RateLimitedError } from '../../errors.js';
import type { ChangeNotification } from '../../mailbox/notifications.js';
import type { MailboxService } from '../../mailbox/service.js';
import { Budget } from '../rate-limits.js';
import { sendProblem } from '../problems.js';

/*
 * Where Microsoft Graph delivers change notifications and lifecycle events for the shared mailboxes
 * (https://learn.microsoft.com/graph/change-notifications-delivery-webhooks,
 * https://learn.microsoft.com/graph/change-notifications-lifecycle-events). Graph sends no Authorization header:
 * these routes are unauthenticated, so they
 * - answer the validation handshake (POST with a validationToken query parameter) with the token as text/plain,
 *   200, at once (Graph waits 10 s at most);
 * - otherwise answer 202 before doing anything (Graph expects an answer within 3 s), then verify each item's
 *   clientState against the subscription's stored hash, in constant time; an item that fails is dropped and
 *   counted (admin health), and the answer never says which;
 * - are rate-limited per client address and body-size bounded, and answer 404 while notifications are off.
 */

/** Graph batches notifications; this is far above a batch's size and far below the API's body limit. */
export const NOTIFICATION_BODY_LIMIT_BYTES = 256 * 1024;
/** Per client address and minute; Graph's senders are few addresses carrying every tenant's notifications. */
export const NOTIFICATIONS_PER_MINUTE = 6000;
const MAX_ITEMS = 1000;

const NotificationItem = Type.Object(
  {
    subscriptionId: Type.String({ minLength: 1, maxLength: 128 }),
    clientState: Type.Optional(Type.Union([Type.String({ maxLength: 256 }), Type.Null()])),
    changeType: Type.Optional(Type.String({ maxLength: 64 })),
    lifecycleEvent: Type.Optional(Type.String({ maxLength: 64 }))
  },
  // Graph's items carry more (resource, resourceData, tenantId, ...): not read here.
  { additionalProperties: true }
);
const NotificationBody = Type.Object({ value: Type.Array(NotificationItem, { minItems: 1, maxItems: MAX_ITEMS }) });
const Handshake = Type.Object({
  validationToken: Type.Optional(
    Type.String({ minLength: 1, maxLength: 2048, description: "Graph's validation handshake: echoed as text/plain" })
  )
});

export const graphNotificationRoutes: FastifyPluginAsyncTypebox<{ mailbox: MailboxService }> = async (
  app,
  { mailbox }
) => {
  const budget = new Budget(NOTIFICATIONS_PER_MINUTE);
  // The handshake arrives as text/plain (often empty); within this plugin only.
  app.addContentTypeParser('text/plain', { parseAs: 'string', bodyLimit: 4096 }, (_request, body, done) =>
    done(null, body)
  );

  /** Before the body is validated: the rate limit, "off", and the handshake (which has no JSON body). */
  const gate = async (request: FastifyRequest<{ Querystring: { validationToken?: string } }>, reply: FastifyReply) => {
    const retryAfter = budget.take(request.ip);
    if (retryAfter > 0) throw new RateLimitedError("this address's", retryAfter);
    if (mailbox.mode !== 'notifications') {
      return sendProblem(reply, 404, 'Graph change notifications are off on this server (PUBLIC_URL is not set).', {
        code: 'notifications-off'
      });
    }
    const token = request.query.validationToken;
    if (token !== undefined) return reply.code(200).type('text/plain; charset=utf-8').send(token);
    return undefined;
  };

  const route = (
    path: string,
    operationId: string,
    summary: string,
    accept: (items: ChangeNotification[]) => Promise<void>
  ) =>
    app.post(
      path,
      {
        bodyLimit: NOTIFICATION_BODY_LIMIT_BYTES,
        schema: {
          tags: ['graph'],
          operationId,
          summary,
          security: [],
          querystring: Handshake,
          body: NotificationBody,
          response: {
            200: Type.String({ description: 'The validation token, as text/plain' }),
            202: Type.Null({ description: 'Accepted; processed after the answer' }),
            400: Problem,
            404: Problem,
            413: Problem,
            429: Problem
          }
        },
        preValidation: gate
      },
      async (request, reply) => {
        const items = request.body.value;
        await reply.code(202).send(null);
        accept(items).catch((error: unknown) => request.log.error({ err: error }, `${operationId} failed`));
        return reply;
      }
    );

  route(
    '/notifications',
    'receiveGraphNotifications',
    'Graph change notifications for the shared mailboxes (validation handshake, then 202)',
    (items) => mailbox.acceptNotifications(items)
  );
  route(
    '/lifecycle',
    'receiveGraphLifecycleEvents',
    'Graph lifecycle events for the subscriptions (validation handshake, then 202)',
    (items) => mailbox.acceptLifecycleEvents(items)
  );
};
