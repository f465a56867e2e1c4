import type { TeamExportQuery, TeamSummary } from '../../shared/schemas/team.js';
import type { Principal } from '../domain/principal.js';
import { assertSalespersonInView, teamViewFor, type TeamView } from '../domain/team-view.js';
import type { Store, TeamHistoryFilter } from '../store/index.js';
import { historyScopeFor, ownSalespersonId, type ScopeSources } from './access.js';

/*
 * The manager's team view: who is in it is loaded here (the caller's record, visibility and the tenant's teams)
 * and decided by domain/team-view.ts; its log and its summary are read through the filter that applies it.
 */

/** The filters of every team route, the date range aside (the route reads it from the query string). */
export type TeamQuery = Omit<TeamExportQuery, 'from' | 'to'>;

/** A span of time in epoch ms: from inclusive, to exclusive. */
export interface TimeRange {
  from?: number | undefined;
  to?: number | undefined;
}

/** The caller's team view and the store filter that limits a team read to it and to the query. */
export interface TeamSelection {
  view: TeamView;
  filter: TeamHistoryFilter;
}

/** Who is in view for this caller and query; a 403 for a salesperson filter outside it. */
export async function selectTeam(
  sources: ScopeSources,
  principal: Principal,
  query: TeamQuery,
  range: TimeRange
): Promise<TeamSelection> {
  const { store } = sources;
  const [callerSalespersonId, visibility, teams] = await Promise.all([
    ownSalespersonId(store, principal),
    historyScopeFor(sources, principal),
    store.directory.listTeams(principal.tenantId)
  ]);
  const view = teamViewFor(principal, teams, { callerSalespersonId, teamId: query.teamId, visibility });
  assertSalespersonInView(view.scope, query.salespersonId);
  return {
    view,
    filter: {
      scope: view.scope,
      salespersonId: query.salespersonId,
      contactId: query.contactId,
      company: query.company?.trim() || undefined,
      ...range,
      direction: query.direction,
      source: query.source
    }
  };
}

/** The selected team's entries per week per salesperson over a resolved range, and its open opportunities. */
export async function teamSummary(
  store: Store,
  tenantId: string,
  { view, filter }: TeamSelection,
  range: Required<TimeRange>
): Promise<TeamSummary> {
  const [salespeople, weekly, opportunitiesByStage] = await Promise.all([
    store.teamHistory.salespeople(tenantId, view.scope),
    store.teamHistory.weeklyActivity(tenantId, { ...filter, ...range }),
    store.teamHistory.openOpportunitiesByStage(tenantId, filter)
  ]);
  const charted =
    filter.salespersonId === undefined ? salespeople : salespeople.filter((p) => p.id === filter.salespersonId);
  return {
    teams: view.teams,
    salespeople,
    from: new Date(range.from).toISOString(),
    to: new Date(range.to).toISOString(),
    weeks: weekly.weeks.map((week) => new Date(week).toISOString().slice(0, 10)),
    series: charted.map((salesperson) => ({
      salesperson,
      counts: weekly.counts.get(salesperson.id) ?? weekly.weeks.map(() => 0)
    })),
    opportunitiesByStage
  };
}
