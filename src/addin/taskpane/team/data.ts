import { useCallback } from 'react';
import type { Interaction } from '../../../shared/schemas/interaction.js';
import type { TeamSummary } from '../../../shared/schemas/team.js';
import type { TeamFilter } from '../../api/client.js';
import { appendPage, useLoadable, useMore } from '../hooks/loadable.js';
import { useServices } from '../services.js';

/*
 * What the team view shows for a set of filters: the summary (teams, members, weekly counts, opportunities
 * by stage) and the first page of the log, loaded together; more pages on request. A change of filters
 * starts over; an answer for filters no longer current is dropped.
 */

/** The filters as the form holds them: dates as the date inputs give them (YYYY-MM-DD, the user's days). */
export interface TeamFilterForm {
  teamId: string;
  salespersonId: string;
  /** A contact or a company picked in the search, or nothing. */
  party: { kind: 'contact'; id: string; name: string } | { kind: 'company'; name: string } | null;
  fromDate: string;
  toDate: string;
  direction: '' | 'inbound' | 'outbound';
  source: '' | 'addin' | 'mailbox';
  /** Words searched for in the log (HistorySearch reports them trimmed), or ''. */
  words: string;
}

export const EMPTY_FILTERS: TeamFilterForm = {
  teamId: '',
  salespersonId: '',
  party: null,
  fromDate: '',
  toDate: '',
  direction: '',
  source: '',
  words: ''
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Local midnight `daysLater` days after a YYYY-MM-DD day, as an ISO instant (1 gives the end of that day). */
function localMidnight(date: string, daysLater: number): string | undefined {
  if (!DATE.test(date)) return undefined;
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const at = new Date(year, month - 1, day + daysLater);
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
}

/** The API's filter for a form: empty fields left out, both days included whole, in either order. */
export function toTeamFilter(form: TeamFilterForm): TeamFilter {
  const [first, last] =
    form.fromDate && form.toDate && form.fromDate > form.toDate
      ? [form.toDate, form.fromDate]
      : [form.fromDate, form.toDate];
  const from = localMidnight(first, 0);
  const to = localMidnight(last, 1);
  return {
    teamId: form.teamId || undefined,
    salespersonId: form.salespersonId || undefined,
    contactId: form.party?.kind === 'contact' ? form.party.id : undefined,
    company: form.party?.kind === 'company' ? form.party.name : undefined,
    from,
    to,
    direction: form.direction || undefined,
    source: form.source || undefined,
    q: form.words || undefined
  };
}

export interface TeamData {
  summary: TeamSummary;
  items: Interaction[];
  nextCursor: string | null;
}

export function useTeamData(filter: TeamFilter) {
  const { api } = useServices();
  // By value: the form makes a new filter object on every change, the same filter asks once.
  const key = JSON.stringify(filter);
  const load = useCallback(async (): Promise<TeamData> => {
    const asked = JSON.parse(key) as TeamFilter;
    const [summary, page] = await Promise.all([api.teamSummary(asked), api.teamInteractions(asked)]);
    return { summary, items: page.items, nextCursor: page.nextCursor };
  }, [api, key]);
  const { state, retry, settle } = useLoadable(load, { whileChanging: 'loading' });
  const nextPage = useCallback(
    (cursor: string) => api.teamInteractions(JSON.parse(key) as TeamFilter, cursor),
    [api, key]
  );
  const { loadMore, loadingMore } = useMore(
    state.data?.nextCursor,
    nextPage,
    settle,
    appendPage<Interaction, TeamData>
  );

  /** Fetches the totals again (an opportunity changed), keeping the list and the pages already loaded. */
  const refreshSummary = useCallback(
    () => settle(api.teamSummary(JSON.parse(key) as TeamFilter), (data, summary) => ({ ...data, summary })),
    [api, key, settle]
  );

  return { state, retry, loadMore, loadingMore, refreshSummary };
}
