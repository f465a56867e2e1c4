import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { isGuid } from '../../../shared/guid.js';
import { SetupDefaults } from '../../../shared/schemas/admin.js';
import { Problem } from '../../../shared/schemas/common.js';
import type { MailboxSettings } from '../../../shared/schemas/mailbox.js';
import type { SetupValues } from '../../../shared/setup-commands.js';
import { requireRole } from '../../auth/authenticate.js';
import type { Config } from '../../config.js';
import type { Store } from '../../store/index.js';

const errors = { 400: Problem, 401: Problem, 403: Problem, 409: Problem };

/** What the server itself knows of the values the setup steps need. */
export async function setupDefaults(store: Store, config: Config, tenantId: string, settings: MailboxSettings) {
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

/** The values the setup commands (and the checks' fixes) are filled in with; the tenant id only when it is one. */
export async function setupValues(
  store: Store,
  config: Config,
  tenantId: string,
  settings: MailboxSettings
): Promise<SetupValues> {
  const defaults = await setupDefaults(store, config, tenantId, settings);
  return { ...defaults, tenantId: isGuid(tenantId) ? tenantId : null };
}

/** Admins only: the setup's known values. */
export const adminSetupRoutes: FastifyPluginAsyncTypebox<{ store: Store; config: Config }> = async (
  app,
  { store, config }
) => {
  app.get(
    '/admin/setup',
    {
      schema: {
        operationId: 'getSetupDefaults',
        tags: ['admin'],
        summary: 'The values the six setup steps are filled in with, as far as the server knows them',
        response: { 200: SetupDefaults, ...errors }
      }
    },
    async (request) => {
      const { tenantId } = requireRole(request, 'Admin');
      return setupDefaults(store, config, tenantId, await store.mailbox.getSettings(tenantId));
    }
  );
};
