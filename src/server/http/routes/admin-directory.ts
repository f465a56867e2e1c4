import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest, onRequestHookHandler } from 'fastify';
import { IMPORT_MAX_BYTES } from '../../../shared/admin-checks.js';
import {
  DirectoryImportProblem,
  DirectoryImportQuery,
  DirectoryImportReport,
  DirectoryProblems
} from '../../../shared/schemas/admin.js';
import { IdParams, Problem } from '../../../shared/schemas/common.js';
import { Salesperson } from '../../../shared/schemas/directory.js';
import { actorOf, requireRole } from '../../auth/authenticate.js';
import { directoryProblems } from '../../domain/directory-admin.js';
import type { Store } from '../../store/index.js';
import { importDirectory } from '../../usecases/import-directory.js';
import { PROBLEM_CONTENT_TYPE, sendProblem } from '../problems.js';
import { unbindSalesperson } from '../../usecases/directory.js';

const tags = ['admin'];
const errors = { 400: Problem, 401: Problem, 403: Problem, 409: Problem, 413: Problem, 415: Problem };
const bindingErrors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem };

/** Refused before the body is read: a JSON or form body here is a mistake, not an empty file. */
const onlyCsvBodies: onRequestHookHandler = (request, reply, done) => {
  const mediaType = request.headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (mediaType === 'text/csv') {
    done();
    return;
  }
  void sendProblem(
    reply,
    415,
    `Send the file as text/csv (a header row, then one row per person), not as ${mediaType || 'a body without a content type'}.`,
    { code: 'unsupported-media-type' }
  );
};

/** The 422 of an import with rejected rows: nothing was written; the whole report rides along. */
function sendImportRejected(request: FastifyRequest, reply: FastifyReply, report: DirectoryImportReport) {
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

const csvImport: FastifyPluginAsyncTypebox<{ store: Store }> = async (app, { store }) => {
  // CSV bodies only here (this plugin's scope), as text, within the import's own limit.
  app.addContentTypeParser('text/csv', { parseAs: 'string', bodyLimit: IMPORT_MAX_BYTES }, (_request, body, done) =>
    done(null, body)
  );

  app.post(
    '/admin/directory/import',
    {
      bodyLimit: IMPORT_MAX_BYTES,
      onRequest: onlyCsvBodies,
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
      return report.counts.rejected === 0 ? report : sendImportRejected(request, reply, report);
    }
  );
};

/** Admins only: the directory's CSV import, its address problems, and freeing a salesperson record's sign-in. */
export const adminDirectoryRoutes: FastifyPluginAsyncTypebox<{ store: Store }> = async (app, { store }) => {
  await app.register(csvImport, { store });

  app.delete(
    '/admin/salespeople/:id/binding',
    {
      schema: {
        tags,
        operationId: 'unbindSalesperson',
        summary:
          'Unbind a salesperson record from its Entra user (audited): the next user who signs in with one of its addresses takes it',
        params: IdParams,
        response: { 200: Salesperson, ...bindingErrors }
      }
    },
    async (request) => unbindSalesperson(store, requireRole(request, 'Admin'), request.params.id)
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
