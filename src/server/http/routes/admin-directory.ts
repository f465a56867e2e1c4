import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IMPORT_MAX_BYTES } from '../../../shared/admin-checks.js';
import {
  DirectoryImportProblem,
  DirectoryImportQuery,
  DirectoryImportReport,
  DirectoryProblems
} from '../../../shared/schemas/admin.js';
import { Problem } from '../../../shared/schemas/common.js';
import { actorOf, requireRole } from '../../auth/authenticate.js';
import { directoryProblems, importDirectory } from '../../domain/directory-admin.js';
import type { Store } from '../../store/index.js';
import { PROBLEM_CONTENT_TYPE } from '../problems.js';

const tags = ['admin'];
const errors = { 400: Problem, 401: Problem, 403: Problem, 409: Problem, 413: Problem, 415: Problem };

/** Admins only: the directory's CSV import and its address problems. */
export const adminDirectoryRoutes: FastifyPluginAsyncTypebox<{ store: Store }> = async (app, { store }) => {
  // CSV bodies only here (this plugin's scope), as text, within the import's own limit.
  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: IMPORT_MAX_BYTES }, (_request, body, done) =>
    done(null, body)
  );

  app.post(
    '/admin/directory/import',
    {
      bodyLimit: IMPORT_MAX_BYTES,
      schema: {
        operationId: 'importDirectory',
        tags,
        summary:
          'Import contacts or salespeople from CSV (text/csv with a header row); every row checked first, all written or none (audited)',
        querystring: DirectoryImportQuery,
        response: { 200: DirectoryImportReport, 422: DirectoryImportProblem, ...errors }
      }
    },
    async (request, reply) => {
      const principal = requireRole(request, 'Admin');
      const body = typeof request.body === 'string' ? request.body : '';
      const report = await importDirectory(store, principal.tenantId, request.query.kind, body, {
        dryRun: request.query.dryRun ?? false,
        actor: actorOf(principal)
      });
      if (report.counts.rejected === 0) return report;
      return reply
        .code(422)
        .type(PROBLEM_CONTENT_TYPE)
        .send({
          type: 'urn:interaction-log:problem:import-rejected',
          title: 'Unprocessable Content',
          status: 422,
          detail: `${report.counts.rejected} of ${report.counts.rows} rows were rejected, so nothing was imported: correct them (see report.rows) and send the file again.`,
          instance: request.url.split('?')[0] ?? '/',
          code: 'import-rejected',
          report
        });
    }
  );

  app.get(
    '/admin/directory/problems',
    {
      schema: {
        operationId: 'listDirectoryProblems',
        tags,
        summary: 'Salespeople and contacts with missing, invalid or shared email addresses',
        response: { 200: DirectoryProblems, ...errors }
      }
    },
    async (request) => directoryProblems(await store.directory.addressBook(requireRole(request, 'Admin').tenantId))
  );
};
