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
  RunMessagePage,
  RunMessagesParams,
  UnmatchedQueue
} from '../../../shared/schemas/mailbox.js';
import { requireRole } from '../../auth/authenticate.js';
import type { Config } from '../../config.js';
import { directoryProblems } from '../../domain/directory-admin.js';
import type { MailboxService } from '../../mailbox/service.js';
import { validateMailboxSetup } from '../../mailbox/validation.js';
import type { Store } from '../../store/index.js';
import { dateRange, pageLimit } from '../query.js';
import { routeSchema } from '../route-schema.js';
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
  app.get(
    '/admin/mailbox/settings',
    {
      schema: routeSchema(automaticLogging, 'getMailboxSettings', 'Automatic logging settings', {
        200: MailboxSettings
      })
    },
    async (request) => store.mailbox.getSettings(requireRole(request, 'Admin').tenantId)
  );

  app.patch(
    '/admin/mailbox/settings',
    {
      schema: routeSchema(
        automaticLogging,
        'updateMailboxSettings',
        'Change automatic logging settings',
        { 200: MailboxSettings },
        { body: MailboxSettingsUpdate }
      )
    },
    async (request) => {
      return updateMailboxSettings(store, requireRole(request, 'Admin'), request.body);
    }
  );
};

/** The schema of an admin list, read a page at a time. */
const adminList = <Page extends TSchema>(operationId: string, summary: string, page: Page) =>
  routeSchema(automaticLogging, operationId, summary, { 200: page }, { querystring: AdminPageQuery });

/** The page an admin list's query asks for. */
const pageOf = (query: Static<typeof AdminPageQuery>) => ({ limit: pageLimit(query.limit), cursor: query.cursor });

/** The mailbox address of a tenant whose automatic logging can reach Graph; a conflict when it cannot. */
const runRoutes: FastifyPluginAsyncTypebox<Options> = async (app, { store, mailbox }) => {
  app.get(
    '/admin/mailbox/health',
    {
      schema: routeSchema(automaticLogging, 'getMailboxHealth', 'Last run, backlog, skipped messages', {
        200: MailboxHealth
      })
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

  app.get(
    '/admin/mailbox/runs/:runId/messages',
    {
      schema: routeSchema(
        automaticLogging,
        'listMailboxRunMessages',
        'Every message a run saw, in the order it was filed: its fate, sender, received time and entries created',
        { 200: RunMessagePage },
        { params: RunMessagesParams, querystring: AdminPageQuery }
      )
    },
    async (request) => {
      const { tenantId } = requireRole(request, 'Admin');
      return store.runMessages.list(tenantId, request.params.runId, pageOf(request.query));
    }
  );

  app.post(
    '/admin/mailbox/runs',
    {
      schema: routeSchema(automaticLogging, 'startMailboxRun', 'Run automatic logging now', {
        202: Type.Object({ status: Type.Literal('started') })
      })
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
  app.get(
    '/admin/mailbox/quarantine',
    { schema: adminList('listQuarantine', 'Messages that failed three times', QuarantinePage) },
    async (request) => store.mailbox.listQuarantine(requireRole(request, 'Admin').tenantId, pageOf(request.query))
  );

  app.post(
    '/admin/mailbox/quarantine/:messageId/retry',
    {
      schema: routeSchema(
        automaticLogging,
        'retryQuarantined',
        'Try a quarantined message again on the next run',
        { 202: Type.Object({ retryRequested: Type.Boolean() }) },
        { params: Closed({ messageId: Type.String({ minLength: 1, maxLength: 512 }) }) }
      )
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
  app.get(
    '/admin/mailbox/capture',
    {
      schema: routeSchema(
        automaticLogging,
        'getCaptureReport',
        'Messages seen, logged and not logged (by reason), per day (UTC), salesperson and direction',
        { 200: CaptureReport },
        { querystring: CaptureQuery }
      )
    },
    async (request) => {
      const { tenantId } = requireRole(request, 'Admin');
      return captureReport(store, tenantId, dateRange(request.query.from, request.query.to), Date.now());
    }
  );

  app.get(
    '/admin/mailbox/unmatched',
    {
      schema: routeSchema(
        automaticLogging,
        'getUnmatchedQueue',
        'Messages not logged because no contact matched, by outside address and by domain',
        { 200: UnmatchedQueue }
      )
    },
    async (request) => unmatchedQueue(store, requireRole(request, 'Admin').tenantId)
  );

  app.post(
    '/admin/mailbox/unmatched/add-contact',
    {
      schema: routeSchema(
        automaticLogging,
        'addUnmatchedContact',
        "Add the address's contact and log its unmatched messages through the processor (idempotent)",
        { 200: AddUnmatchedContactResult },
        { body: AddUnmatchedContact }
      )
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
      schema: routeSchema(
        automaticLogging,
        'reconcileMailbox',
        "Compare the Inbox and the processor's folders with what was recorded; list what is unaccounted for",
        { 200: ReconcileReport },
        { querystring: ReconcileQuery }
      )
    },
    async (request) => {
      const { tenantId } = requireRole(request, 'Admin');
      return reconcileMailbox(store, mailbox, tenantId, request.query.days ?? 7, Date.now());
    }
  );
};

const setupRoutes: FastifyPluginAsyncTypebox<Options> = async (app, { store, mailbox, config }) => {
  app.post(
    '/admin/mailbox/validate',
    {
      schema: routeSchema(
        setup,
        'validateMailbox',
        "Run every configuration check live (Graph with the processor's app-only access, and the directory)",
        { 200: ValidationReport }
      )
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
      schema: routeSchema(
        setup,
        'createMailboxFolders',
        'Create the Archive, Not logged and quarantine folders where missing (idempotent; audited)',
        { 200: FoldersResult }
      )
    },
    async (request) => {
      return createMailboxFolders(store, mailbox, requireRole(request, 'Admin'));
    }
  );
};
