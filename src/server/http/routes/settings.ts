import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AuditPage } from '../../../shared/schemas/audit.js';
import { Problem } from '../../../shared/schemas/common.js';
import { AdminPageQuery } from '../../../shared/schemas/mailbox.js';
import { TenantSettings, TenantSettingsUpdate } from '../../../shared/schemas/settings.js';
import { requireRole } from '../../auth/authenticate.js';
import type { Store } from '../../store/index.js';
import { pageLimit } from '../query.js';
import { updateTenantSettings } from '../../usecases/settings.js';

const errors = { 400: Problem, 401: Problem, 403: Problem };

/** Admins only: the tenant's settings (who sees whose history) and the audit log. */
export const settingsRoutes: FastifyPluginAsyncTypebox<{ store: Store }> = async (app, { store }) => {
  app.get(
    '/settings',
    {
      schema: {
        operationId: 'getSettings',
        tags: ['settings'],
        summary: 'Tenant settings (Admin)',
        response: { 200: TenantSettings, ...errors }
      }
    },
    async (request) => store.settings.get(requireRole(request, 'Admin').tenantId)
  );

  app.patch(
    '/settings',
    {
      schema: {
        operationId: 'updateSettings',
        tags: ['settings'],
        summary: 'Change tenant settings (Admin); audited',
        body: TenantSettingsUpdate,
        response: { 200: TenantSettings, ...errors }
      }
    },
    async (request) => updateTenantSettings(store, requireRole(request, 'Admin'), request.body)
  );

  app.get(
    '/audit',
    {
      schema: {
        operationId: 'listAudit',
        tags: ['audit'],
        summary: 'Who logged, created or changed what, newest first (Admin)',
        querystring: AdminPageQuery,
        response: { 200: AuditPage, ...errors }
      }
    },
    async (request) =>
      store.audit.list(requireRole(request, 'Admin').tenantId, {
        limit: pageLimit(request.query.limit),
        cursor: request.query.cursor
      })
  );
};
