import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { Problem } from '../../../shared/schemas/common.js';
import {
  DEFAULT_SUMMARY_WEEKS,
  MAX_SUMMARY_WEEKS,
  TeamExportQuery,
  TeamInteractionPage,
  TeamInteractionQuery,
  TeamSummary,
  TeamSummaryQuery
} from '../../../shared/schemas/team.js';
import { principalOf } from '../../auth/authenticate.js';
import { searchWords, withHighlights } from '../../domain/search.js';
import { assertMayViewTeams } from '../../domain/team-view.js';
import { InvalidRequestError } from '../../errors.js';
import type { TeamExportRow } from '../../store/index.js';
import { WEEK_MS, weekStartOf } from '../../store/team-history.js';
import type { ScopeSources } from '../../usecases/access.js';
import { exportTeamLog } from '../../usecases/export-team-log.js';
import { selectTeam, teamSummary, type TeamSelection, type TimeRange } from '../../usecases/team-view.js';
import { attachmentDisposition, CSV_CONTENT_TYPE, csvStream, type CsvColumn } from '../csv-export.js';
import { assertFromBeforeTo, dateRange, pageLimit } from '../query.js';

/*
 * The manager's team view (Manager or Admin role): the team's log with filters and cursor, a summary for
 * the chart and the opportunities, and the same filtered log as a CSV download. Who is in view is decided
 * in domain/team-view.ts; a salesperson filter outside it is a 403.
 */

const tags = ['team'];
const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem };

/** The caller's team view for the query. Refused first: someone without the role learns nothing from a 400. */
function selectTeamOf(sources: ScopeSources, request: FastifyRequest, query: TeamExportQuery): Promise<TeamSelection> {
  const principal = principalOf(request);
  assertMayViewTeams(principal);
  return selectTeam(sources, principal, query, dateRange(query.from, query.to));
}

/** The summary's range: the last DEFAULT_SUMMARY_WEEKS weeks unless given, at most MAX_SUMMARY_WEEKS. */
function summaryRange(given: TimeRange, now: number): Required<TimeRange> {
  const to = given.to ?? now;
  const from = given.from ?? weekStartOf(to) - (DEFAULT_SUMMARY_WEEKS - 1) * WEEK_MS;
  assertFromBeforeTo(from, to);
  if (to - weekStartOf(from) > MAX_SUMMARY_WEEKS * WEEK_MS) {
    throw new InvalidRequestError(`The summary covers at most ${MAX_SUMMARY_WEEKS} weeks; narrow from and to.`, [
      { location: 'querystring', pointer: '/from', detail: `must be at most ${MAX_SUMMARY_WEEKS} weeks before to` }
    ]);
  }
  return { from, to };
}

const EXPORT_COLUMNS: ReadonlyArray<CsvColumn<TeamExportRow>> = [
  { header: 'Date (UTC)', value: (row) => row.occurredAt },
  { header: 'Direction', value: (row) => row.direction },
  { header: 'Source', value: (row) => row.source },
  { header: 'Salesperson', value: (row) => row.salespersonName },
  { header: 'Salesperson email', value: (row) => row.salespersonEmail },
  { header: 'Contact', value: (row) => row.contactName },
  { header: 'Contact email', value: (row) => row.contactEmail },
  { header: 'Company', value: (row) => row.company },
  { header: 'Subject', value: (row) => row.subject },
  { header: 'Preview', value: (row) => row.preview },
  { header: 'Logged by', value: (row) => row.loggedByName },
  { header: 'Opportunity id', value: (row) => row.opportunityId },
  { header: 'Link', value: (row) => row.webLink },
  { header: 'Entry id', value: (row) => row.id },
  // Last, so the columns before it keep their places for existing spreadsheets.
  { header: 'Kind', value: (row) => row.kind }
];

const teamLog: FastifyPluginAsyncTypebox<ScopeSources> = async (app, sources) => {
  const { store } = sources;
  app.get(
    '/team/interactions',
    {
      schema: {
        operationId: 'listTeamInteractions',
        tags,
        summary:
          "The team's interaction log, newest first; with q, a full-text search, best match first (Manager or Admin)",
        querystring: TeamInteractionQuery,
        response: { 200: TeamInteractionPage, ...errors }
      }
    },
    async (request) => {
      const { tenantId } = principalOf(request);
      const { filter } = await selectTeamOf(sources, request, request.query);
      const page = { limit: pageLimit(request.query.limit), cursor: request.query.cursor };
      if (request.query.q === undefined) return store.teamHistory.list(tenantId, filter, page);
      // A search of the team's log is the log's own search within the team: best match first, among the newest.
      const words = searchWords(request.query.q);
      const found = await store.interactions.list(tenantId, { ...filter, ...page, words });
      return { ...found, items: found.items.map((entry) => withHighlights(entry, words)) };
    }
  );
};

const summary: FastifyPluginAsyncTypebox<ScopeSources> = async (app, sources) => {
  const { store } = sources;
  app.get(
    '/team/summary',
    {
      schema: {
        operationId: 'getTeamSummary',
        tags,
        summary: "The team's entries per week per salesperson, and open opportunities by stage (Manager or Admin)",
        description: `The range defaults to the last ${DEFAULT_SUMMARY_WEEKS} weeks and may span at most ${MAX_SUMMARY_WEEKS} weeks. Weeks start on Monday, UTC.`,
        querystring: TeamSummaryQuery,
        response: { 200: TeamSummary, ...errors }
      }
    },
    async (request) => {
      const selection = await selectTeamOf(sources, request, request.query);
      const range = summaryRange(selection.filter, Date.now());
      return teamSummary(store, principalOf(request).tenantId, selection, range);
    }
  );
};

const csvExport: FastifyPluginAsyncTypebox<ScopeSources> = async (app, sources) => {
  const { store } = sources;
  app.get(
    '/team/interactions.csv',
    {
      schema: {
        operationId: 'exportTeamInteractions',
        tags,
        summary: "The team's filtered log as CSV, newest first (Manager or Admin)",
        description:
          'UTF-8 with a byte order mark, every field quoted, CRLF line ends; cells starting with = + - @ tab or CR get a leading apostrophe so spreadsheets do not run them.',
        querystring: TeamExportQuery,
        produces: ['text/csv'],
        response: {
          200: { description: 'The CSV file', content: { 'text/csv': { schema: Type.String() } } },
          ...errors
        }
      }
    },
    async (request, reply) => {
      const { filter } = await selectTeamOf(sources, request, request.query);
      const pages = await exportTeamLog(store, principalOf(request).tenantId, filter);
      const day = new Date().toISOString().slice(0, 10);
      return (
        reply
          .header('content-type', CSV_CONTENT_TYPE)
          .header('content-disposition', attachmentDisposition(`team-interactions-${day}.csv`))
          .header('cache-control', 'no-store')
          // The schema documents the body as text; Fastify sends a stream as it comes.
          .send(csvStream(pages, EXPORT_COLUMNS) as unknown as string)
      );
    }
  );
};

export const teamRoutes: FastifyPluginAsyncTypebox<ScopeSources> = async (app, options) => {
  await app.register(teamLog, options);
  await app.register(summary, options);
  await app.register(csvExport, options);
};
