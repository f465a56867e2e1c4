import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Problem } from '../../../shared/schemas/common.js';
import {
  AdminPageQuery,
  MailboxHealth,
  MailboxRunPage,
  MailboxSettings,
  MailboxSettingsUpdate,
  QuarantinePage
} from '../../../shared/schemas/mailbox.js';
import { actorOf, requireRole } from '../../auth/authenticate.js';
import { ConflictError, InvalidRequestError } from '../../errors.js';
import type { MailboxService } from '../../mailbox/service.js';
import type { Store } from '../../store/index.js';
import { pageLimit } from '../query.js';

const tags = ['automatic logging'];
const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };
const WEEK_MS = 7 * 86_400_000;

/** Admins only: automatic logging's settings, runs, health and quarantine. */
export const mailboxAdminRoutes: FastifyPluginAsyncTypebox<{ store: Store; mailbox: MailboxService }> = async (
  app,
  { store, mailbox }
) => {
  app.get(
    '/admin/mailbox/settings',
    {
      schema: {
        operationId: 'getMailboxSettings',
        tags,
        summary: 'Automatic logging settings',
        response: { 200: MailboxSettings, ...errors }
      }
    },
    async (request) => store.mailbox.getSettings(requireRole(request, 'Admin').tenantId)
  );

  app.patch(
    '/admin/mailbox/settings',
    {
      schema: {
        operationId: 'updateMailboxSettings',
        tags,
        summary: 'Change automatic logging settings',
        body: MailboxSettingsUpdate,
        response: { 200: MailboxSettings, ...errors }
      }
    },
    async (request) => {
      const principal = requireRole(request, 'Admin');
      const current = await store.mailbox.getSettings(principal.tenantId);
      const enabling = request.body.enabled === true;
      const address = request.body.mailboxAddress === undefined ? current.mailboxAddress : request.body.mailboxAddress;
      if (enabling && !address) {
        throw new InvalidRequestError('Set the shared mailbox address before switching automatic logging on.', [
          { location: 'body', pointer: '/mailboxAddress', detail: 'is required to enable automatic logging' }
        ]);
      }
      return store.mailbox.saveSettings(
        principal.tenantId,
        request.body,
        principal.email || principal.userId,
        actorOf(principal)
      );
    }
  );

  app.get(
    '/admin/mailbox/health',
    {
      schema: {
        operationId: 'getMailboxHealth',
        tags,
        summary: 'Last run, backlog, skipped messages',
        response: { 200: MailboxHealth, ...errors }
      }
    },
    async (request) => {
      const { tenantId } = requireRole(request, 'Admin');
      const [lastRun, backlog, skippedLast7Days] = await Promise.all([
        store.mailbox.lastRun(tenantId),
        mailbox.backlog(tenantId),
        store.mailbox.skippedByReason(tenantId, Date.now() - WEEK_MS)
      ]);
      return { configured: mailbox.configured, lastRun, backlog, skippedLast7Days };
    }
  );

  app.get(
    '/admin/mailbox/runs',
    {
      schema: {
        operationId: 'listMailboxRuns',
        tags,
        summary: 'Runs, newest first',
        querystring: AdminPageQuery,
        response: { 200: MailboxRunPage, ...errors }
      }
    },
    async (request) =>
      store.mailbox.listRuns(requireRole(request, 'Admin').tenantId, {
        limit: pageLimit(request.query.limit),
        cursor: request.query.cursor
      })
  );

  app.post(
    '/admin/mailbox/runs',
    {
      schema: {
        operationId: 'startMailboxRun',
        tags,
        summary: 'Run automatic logging now',
        response: { 202: Type.Object({ status: Type.Literal('started') }), ...errors }
      }
    },
    async (request, reply) => {
      const { tenantId } = requireRole(request, 'Admin');
      if (!mailbox.configured) throw new ConflictError('Automatic logging has no app credentials on this server.');
      const settings = await store.mailbox.getSettings(tenantId);
      if (!settings.mailboxAddress) throw new ConflictError('Set the shared mailbox address first.');
      // The run may take a while; its outcome shows in the runs list.
      mailbox
        .runOnce(tenantId, 'manual')
        .catch((error: unknown) => request.log.error({ err: error }, 'manual run failed'));
      return reply.code(202).send({ status: 'started' as const });
    }
  );

  app.get(
    '/admin/mailbox/quarantine',
    {
      schema: {
        operationId: 'listQuarantine',
        tags,
        summary: 'Messages that failed three times',
        querystring: AdminPageQuery,
        response: { 200: QuarantinePage, ...errors }
      }
    },
    async (request) =>
      store.mailbox.listQuarantine(requireRole(request, 'Admin').tenantId, {
        limit: pageLimit(request.query.limit),
        cursor: request.query.cursor
      })
  );

  app.post(
    '/admin/mailbox/quarantine/:messageId/retry',
    {
      schema: {
        operationId: 'retryQuarantined',
        tags,
        summary: 'Try a quarantined message again on the next run',
        params: Type.Object(
          { messageId: Type.String({ minLength: 1, maxLength: 512 }) },
          { additionalProperties: false }
        ),
        response: { 202: Type.Object({ retryRequested: Type.Boolean() }), ...errors }
      }
    },
    async (request, reply) => {
      const principal = requireRole(request, 'Admin');
      const changed = await store.mailbox.requestRetry(
        principal.tenantId,
        request.params.messageId,
        Date.now(),
        actorOf(principal)
      );
      return reply.code(202).send({ retryRequested: changed });
    }
  );
};
