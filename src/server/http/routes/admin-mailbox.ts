import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type, type Static, type TSchema } from 'typebox';
import { FoldersResult, ValidationReport } from '../../../shared/schemas/admin.js';
import { Closed, Problem } from '../../../shared/schemas/common.js';
import {
  AddUnmatchedContact,
  AddUnmatchedContactResult,
  AdminPageQuery,
  CaptureQuery,
  CaptureReport,
  MailboxHealth,
  MailboxRunPage,
  MailboxSettings,
  MailboxSettingsUpdate,
  QuarantinePage,
  ReconcileQuery,
  ReconcileReport,
  UnmatchedQueue
} from '../../../shared/schemas/mailbox.js';
import { requireRole } from '../../auth/authenticate.js';
import type { Config } from '../../config.js';
import { directoryProblems } from '../../domain/directory-admin.js';
import type { MailboxService } from '../../mailbox/service.js';
import { validateMailboxSetup } from '../../mailbox/validation.js';
import type { Store } from '../../store/index.js';
import { dateRange, pageLimit } from '../query.js';
import { setupValues } from './admin-setup.js';
import { addUnmatchedContact, captureAlerts, captureReport, unmatchedQueue } from '../../usecases/capture-health.js';
import { createMailboxFolders, reachableMailbox, retryQuarantined } from '../../usecases/mailbox-admin.js';
import { reconcileMailbox } from '../../usecases/reconcile-mailbox.js';
import { updateMailboxSettings } from '../../usecases/settings.js';

/*
 * Admins only: the shared mailbox of automatic logging, everything under /admin/mailbox — its settings,
 * health, runs and quarantine, the live configuration checks, and creating the processor's folders.
 */

const WEEK_MS = 7 * 86_400_000;
const automaticLogging = {
  tags: ['automatic logging'],
  errors: { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem }
};
const setup = { tags: ['admin'], errors: { 400: Problem, 401: Problem, 403: Problem, 409: Problem } };

interface Options {
  store: Store;
  mailbox: MailboxService;
  config: Config;
}

export const adminMailboxRoutes: FastifyPluginAsyncTypebox<Options> = async (app, options) => {
  await app.register(settingsRoutes, options);
  await app.register(runRoutes, options);
  await app.register(quarantineRoutes, options);
  await app.register(captureRoutes, options);
  await app.register(setupRoutes, options);
};

const settingsRoutes: FastifyPluginAsyncTypebox<Options> = async (app, { store }) => {
  const { tags, errors } = automaticLogging;
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
      return updateMailboxSettings(store, requireRole(request, 'Admin'), request.body);
    }
  );
};

/** The schema of an admin list, read a page at a time. */
const adminList = <Page extends TSchema>(operationId: string, summary: string, page: Page) => ({
  operationId,
  tags: automaticLogging.tags,
  summary,
  querystring: AdminPageQuery,
  response: { 200: page, ...automaticLogging.errors }
});

/** The page an admin list's query asks for. */
const pageOf = (query: Static<typeof AdminPageQuery>) => ({ limit: pageLimit(query.limit), cursor: query.cursor });

/** The mailbox address of a tenant whose automatic logging can reach Graph; a conflict when it cannot. */
const runRoutes: FastifyPluginAsyncTypebox<Options> = async (app, { store, mailbox }) => {
  const { tags, errors } = automaticLogging;
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
      const [lastRun, backlog, skippedLast7Days, alerts] = await Promise.all([
        store.mailbox.lastRun(tenantId),
        mailbox.backlog(tenantId),
        store.mailbox.skippedByReason(tenantId, Date.now() - WEEK_MS),
        captureAlerts(store, tenantId, Date.now())
      ]);
      return {
        configured: mailbox.configured,
        lastRun,
        backlog,
        skippedLast7Days,
        mode: mailbox.mode,
        notificationsDropped: mailbox.notificationCounters.dropped,
        captureAlerts: alerts
      };
    }
  );

  app.get(
    '/admin/mailbox/runs',
    { schema: adminList('listMailboxRuns', 'Runs, newest first', MailboxRunPage) },
    async (request) => store.mailbox.listRuns(requireRole(request, 'Admin').tenantId, pageOf(request.query))
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
      await reachableMailbox(store, mailbox, tenantId);
      // The run may take a while; its outcome shows in the runs list.
      mailbox
        .runOnce(tenantId, 'manual')
        .catch((error: unknown) => request.log.error({ err: error }, 'manual run failed'));
      return reply.code(202).send({ status: 'started' as const });
    }
  );
};

const quarantineRoutes: FastifyPluginAsyncTypebox<Options> = async (app, { store }) => {
  const { tags, errors } = automaticLogging;
  app.get(
    '/admin/mailbox/quarantine',
    { schema: adminList('listQuarantine', 'Messages that failed three times', QuarantinePage) },
    async (request) => store.mailbox.listQuarantine(requireRole(request, 'Admin').tenantId, pageOf(request.query))
  );

  app.post(
    '/admin/mailbox/quarantine/:messageId/retry',
    {
      schema: {
        operationId: 'retryQuarantined',
        tags,
        summary: 'Try a quarantined message again on the next run',
        params: Closed({ messageId: Type.String({ minLength: 1, maxLength: 512 }) }),
        response: { 202: Type.Object({ retryRequested: Type.Boolean() }), ...errors }
      }
    },
    async (request, reply) => {
      const principal = requireRole(request, 'Admin');
      const changed = await retryQuarantined(store, principal, request.params.messageId, Date.now());
      return reply.code(202).send({ retryRequested: changed });
    }
  );
};

/** Capture health: what was seen and what became of it, and the unmatched queue with its one-click contact. */
const captureRoutes: FastifyPluginAsyncTypebox<Options> = async (app, { store, mailbox }) => {
  const { tags, errors } = automaticLogging;
  app.get(
    '/admin/mailbox/capture',
    {
      schema: {
        operationId: 'getCaptureReport',
        tags,
        summary: 'Messages seen, logged and not logged (by reason), per day (UTC), salesperson and direction',
        querystring: CaptureQuery,
        response: { 200: CaptureReport, ...errors }
      }
    },
    async (request) => {
      const { tenantId } = requireRole(request, 'Admin');
      return captureReport(store, tenantId, dateRange(request.query.from, request.query.to), Date.now());
    }
  );

  app.get(
    '/admin/mailbox/unmatched',
    {
      schema: {
        operationId: 'getUnmatchedQueue',
        tags,
        summary: 'Messages not logged because no contact matched, by outside address and by domain',
        response: { 200: UnmatchedQueue, ...errors }
      }
    },
    async (request) => unmatchedQueue(store, requireRole(request, 'Admin').tenantId)
  );

  app.post(
    '/admin/mailbox/unmatched/add-contact',
    {
      schema: {
        operationId: 'addUnmatchedContact',
        tags,
        summary: "Add the address's contact and log its unmatched messages through the processor (idempotent)",
        body: AddUnmatchedContact,
        response: { 200: AddUnmatchedContactResult, ...errors }
      }
    },
    async (request) => {
      const principal = requireRole(request, 'Admin');
      const startRun = () => {
        mailbox
          .runOnce(principal.tenantId, 'manual')
          .catch((error: unknown) => request.log.error({ err: error }, 'run after adding a contact failed'));
      };
      return addUnmatchedContact(store, mailbox, principal, request.body, Date.now(), startRun);
    }
  );

  app.post(
    '/admin/mailbox/reconcile',
    {
      schema: {
        operationId: 'reconcileMailbox',
        tags,
        summary: "Compare the Inbox and the processor's folders with what was recorded; list what is unaccounted for",
        querystring: ReconcileQuery,
        response: { 200: ReconcileReport, ...errors }
      }
    },
    async (request) => {
      const { tenantId } = requireRole(request, 'Admin');
      return reconcileMailbox(store, mailbox, tenantId, request.query.days ?? 7, Date.now());
    }
  );
};

const setupRoutes: FastifyPluginAsyncTypebox<Options> = async (app, { store, mailbox, config }) => {
  const { tags, errors } = setup;
  app.post(
    '/admin/mailbox/validate',
    {
      schema: {
        operationId: 'validateMailbox',
        tags,
        summary: "Run every configuration check live (Graph with the processor's app-only access, and the directory)",
        response: { 200: ValidationReport, ...errors }
      }
    },
    async (request) => {
      const { tenantId } = requireRole(request, 'Admin');
      const settings = await store.mailbox.getSettings(tenantId);
      return validateMailboxSetup({
        configured: mailbox.configured,
        settings,
        token: () => mailbox.token(tenantId),
        graph: (address) => mailbox.graphFor(tenantId, address),
        directoryProblems: async () => directoryProblems(await store.directory.addressBook(tenantId)),
        setupValues: await setupValues(store, config, tenantId, settings)
      });
    }
  );

  app.post(
    '/admin/mailbox/folders',
    {
      schema: {
        operationId: 'createMailboxFolders',
        tags,
        summary: 'Create the Archive, Not logged and quarantine folders where missing (idempotent; audited)',
        response: { 200: FoldersResult, ...errors }
      }
    },
    async (request) => {
      return createMailboxFolders(store, mailbox, requireRole(request, 'Admin'));
    }
  );
};
