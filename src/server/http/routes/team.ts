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
import { callerSalesperson, principalOf } from '../../auth/authenticate.js';
import { assertMayViewTeams, assertSalespersonInView, teamViewFor, type TeamView } from '../../domain/team-view.js';
import { historyScopeFor } from '../../domain/visibility.js';
import { InvalidRequestError } from '../../errors.js';
import type { Store, TeamExportRow, TeamHistoryFilter } from '../../store/index.js';
import { WEEK_MS, weekStartOf } from '../../store/team-history.js';
import { attachmentDisposition, CSV_CONTENT_TYPE, csvStream, type CsvColumn } from '../csv-export.js';
import { pageLimit } from '../query.js';

/*
 * The manager's team view (Manager or Admin role): the team's log with filters and cursor, a summary for
 * the chart and the opportunities, and the same filtered log as a CSV download. Who is in view is decided
 * in domain/team-view.ts; a salesperson filter outside it is a 403.
 */

const tags = ['team'];
const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem };
/**
 * Rows read from the store per page while exporting. Each page is read and written in one turn of the event loop
 * (SQLite reads are synchronous), so it is kept to a few milliseconds of work.
 */
const EXPORT_PAGE_SIZE = 500;

type FilterQuery = TeamExportQuery;

const dateParameter = (value: string | undefined) => (value === undefined ? undefined : Date.parse(value));

function dateRange(q: FilterQuery): { from?: number; to?: number } {
  const from = dateParameter(q.from);
  const to = dateParameter(q.to);
  if (from !== undefined && to !== undefined && from >= to) {
    throw new InvalidRequestError('"from" must be earlier than "to".', [
      { location: 'querystring', pointer: '/from', detail: 'must be earlier than to' }
    ]);
  }
  return { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
}

/** Who is in view for this caller and query, and the store filter that applies it. */
async function teamFilter(
  store: Store,
  request: FastifyRequest,
  q: FilterQuery
): Promise<{ view: TeamView; filter: TeamHistoryFilter }> {
  const principal = principalOf(request);
  assertMayViewTeams(principal);
  const range = dateRange(q);
  const [me, visibility] = await Promise.all([callerSalesperson(request, store), historyScopeFor(store, principal)]);
  const view = await teamViewFor(store, principal, { callerSalespersonId: me.id, teamId: q.teamId, visibility });
  assertSalespersonInView(view.scope, q.salespersonId);
  return {
    view,
    filter: {
      scope: view.scope,
      salespersonId: q.salespersonId,
      contactId: q.contactId,
      company: q.company?.trim() || undefined,
      ...range,
      direction: q.direction,
      source: q.source
    }
  };
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

export const teamRoutes: FastifyPluginAsyncTypebox<{ store: Store }> = async (app, { store }) => {
  app.get(
    '/team/interactions',
    {
      schema: {
        operationId: 'listTeamInteractions',
        tags,
        summary: "The team's interaction log, newest first (Manager or Admin)",
        querystring: TeamInteractionQuery,
        response: { 200: TeamInteractionPage, ...errors }
      }
    },
    async (request) => {
      const { filter } = await teamFilter(store, request, request.query);
      return store.teamHistory.list(principalOf(request).tenantId, filter, {
        limit: pageLimit(request.query.limit),
        cursor: request.query.cursor
      });
    }
  );

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
      const { tenantId } = principalOf(request);
      const { view, filter } = await teamFilter(store, request, request.query);
      const to = filter.to ?? Date.now();
      const from = filter.from ?? weekStartOf(to) - (DEFAULT_SUMMARY_WEEKS - 1) * WEEK_MS;
      if (from >= to) {
        throw new InvalidRequestError('"from" must be earlier than "to".', [
          { location: 'querystring', pointer: '/from', detail: 'must be earlier than to' }
        ]);
      }
      if (to - weekStartOf(from) > MAX_SUMMARY_WEEKS * WEEK_MS) {
        throw new InvalidRequestError(`The summary covers at most ${MAX_SUMMARY_WEEKS} weeks; narrow from and to.`, [
          { location: 'querystring', pointer: '/from', detail: `must be at most ${MAX_SUMMARY_WEEKS} weeks before to` }
        ]);
      }
      const [salespeople, weekly, opportunitiesByStage] = await Promise.all([
        store.teamHistory.salespeople(tenantId, view.scope),
        store.teamHistory.weeklyActivity(tenantId, { ...filter, from, to }),
        store.teamHistory.openOpportunitiesByStage(tenantId, filter)
      ]);
      const charted =
        filter.salespersonId === undefined ? salespeople : salespeople.filter((p) => p.id === filter.salespersonId);
      return {
        teams: view.teams,
        salespeople,
        from: new Date(from).toISOString(),
        to: new Date(to).toISOString(),
        weeks: weekly.weeks.map((week) => new Date(week).toISOString().slice(0, 10)),
        series: charted.map((salesperson) => ({
          salesperson,
          counts: weekly.counts.get(salesperson.id) ?? weekly.weeks.map(() => 0)
        })),
        opportunitiesByStage
      };
    }
  );

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
      const { tenantId } = principalOf(request);
      const { filter } = await teamFilter(store, request, request.query);
      const pages = store.teamHistory.exportRows(tenantId, filter, EXPORT_PAGE_SIZE);
      // The first page is read before answering, so a failure there is still a problem document.
      const first = await pages.next();
      async function* all() {
        if (first.done) return;
        yield first.value;
        yield* pages;
      }
      const day = new Date().toISOString().slice(0, 10);
      return (
        reply
          .header('content-type', CSV_CONTENT_TYPE)
          .header('content-disposition', attachmentDisposition(`team-interactions-${day}.csv`))
          .header('cache-control', 'no-store')
          // The schema documents the body as text; Fastify sends a stream as it comes.
          .send(csvStream(all(), EXPORT_COLUMNS) as unknown as string)
      );
    }
  );
};
