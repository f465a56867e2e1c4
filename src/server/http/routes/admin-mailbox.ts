import { isGuid } from '../../../shared/guid.js';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { FoldersResult, SetupDefaults, ValidationReport } from '../../../shared/schemas/admin.js';
import { Problem } from '../../../shared/schemas/common.js';
import type { MailboxSettings } from '../../../shared/schemas/mailbox.js';
import type { SetupValues } from '../../../shared/setup-commands.js';
import { actorOf, requireRole } from '../../auth/authenticate.js';
import type { Config } from '../../config.js';
import { directoryProblems } from '../../domain/directory-admin.js';
import { ConflictError } from '../../errors.js';
import type { MailboxService } from '../../mailbox/service.js';
import { describeError, validateMailboxSetup } from '../../mailbox/validation.js';
import type { Store } from '../../store/index.js';

const tags = ['admin'];
const errors = { 400: Problem, 401: Problem, 403: Problem, 409: Problem };

interface Options {
  store: Store;
  mailbox: MailboxService;
  config: Config;
}

/** What the server itself knows of the values the setup steps need. */
async function setupDefaults(store: Store, config: Config, tenantId: string, settings: MailboxSettings) {
  const audience = config.entra?.audience ?? null;
  return {
    tenantId,
    mailboxAddress: settings.mailboxAddress,
    archiveFolder: settings.archiveFolder,
    processorAppId: config.mailbox?.clientId ?? null,
    addinClientId: config.entra?.addinClientId ?? null,
    apiClientId: audience && isGuid(audience) ? audience : null,
    acceptedDomains: await store.directory.organizationDomains(tenantId)
  };
}

/** Admins only: validate the Exchange side live, create the processor's folders, the setup's known values. */
export const adminMailboxRoutes: FastifyPluginAsyncTypebox<Options> = async (app, { store, mailbox, config }) => {
  app.get(
    '/admin/setup',
    {
      schema: {
        operationId: 'getSetupDefaults',
        tags,
        summary: 'The values the six setup steps are filled in with, as far as the server knows them',
        response: { 200: SetupDefaults, ...errors }
      }
    },
    async (request) => {
      const { tenantId } = requireRole(request, 'Admin');
      return setupDefaults(store, config, tenantId, await store.mailbox.getSettings(tenantId));
    }
  );

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
      const defaults = await setupDefaults(store, config, tenantId, settings);
      const setupValues: SetupValues = {
        mailboxAddress: defaults.mailboxAddress,
        archiveFolder: defaults.archiveFolder,
        processorAppId: defaults.processorAppId,
        acceptedDomains: defaults.acceptedDomains,
        addinClientId: defaults.addinClientId,
        apiClientId: defaults.apiClientId,
        tenantId: isGuid(tenantId) ? tenantId : null
      };
      return validateMailboxSetup({
        configured: mailbox.configured,
        settings,
        token: () => mailbox.token(tenantId),
        graph: (address) => mailbox.graphFor(tenantId, address),
        directoryProblems: async () => directoryProblems(await store.directory.addressBook(tenantId)),
        setupValues
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
      const principal = requireRole(request, 'Admin');
      const { tenantId } = principal;
      if (!mailbox.configured) throw new ConflictError('Automatic logging has no app credentials on this server.');
      const settings = await store.mailbox.getSettings(tenantId);
      if (!settings.mailboxAddress) throw new ConflictError('Set the shared mailbox address first.');
      const graph = mailbox.graphFor(tenantId, settings.mailboxAddress);
      const wanted = [
        { role: 'archive' as const, displayName: settings.archiveFolder },
        { role: 'notLogged' as const, displayName: settings.notLoggedFolder },
        { role: 'quarantine' as const, displayName: settings.quarantineFolder }
      ];
      const folders: FoldersResult['folders'] = [];
      try {
        for (const folder of wanted) {
          const { created } = await graph.ensureFolder(folder.displayName);
          folders.push({ ...folder, created });
        }
      } catch (error) {
        const e = describeError(error);
        throw new ConflictError(
          `Microsoft Graph refused to create the folders in ${settings.mailboxAddress} (${e.status ?? ''} ${e.code || e.aadsts || ''}): ` +
            'run Validate configuration to see which setup step to fix.'
        );
      } finally {
        const created = folders.filter((f) => f.created).map((f) => f.displayName);
        if (created.length > 0) {
          await store.directory.ensureTenant(tenantId);
          await store.audit.record(tenantId, actorOf(principal), [
            {
              action: 'mailbox.folders-created',
              entityType: 'mailbox',
              entityId: settings.mailboxAddress,
              changes: { created }
            }
          ]);
        }
      }
      return { mailboxAddress: settings.mailboxAddress, folders };
    }
  );
};
