import { useCallback, useEffect, useRef, useState } from 'react';
import type { Interaction } from '../../../shared/schemas/interaction.js';
import type { TeamSummary } from '../../../shared/schemas/team.js';
import type { TeamFilter } from '../../api/client.js';
import type { Loadable } from '../data.js';
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
}

export const EMPTY_FILTERS: TeamFilterForm = {
  teamId: '',
  salespersonId: '',
  party: null,
  fromDate: '',
  toDate: '',
  direction: '',
  source: ''
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Local midnight of a YYYY-MM-DD day as an ISO instant; `nextDay` gives the end of that day. */
function dayStart(date: string, nextDay = false): string | undefined {
  if (!DATE.test(date)) return undefined;
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const at = new Date(year, month - 1, day + (nextDay ? 1 : 0));
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
}

/** The API's filter for a form: empty fields left out, both days included whole, in either order. */
export function toTeamFilter(form: TeamFilterForm): TeamFilter {
  const [first, last] =
    form.fromDate && form.toDate && form.fromDate > form.toDate
      ? [form.toDate, form.fromDate]
      : [form.fromDate, form.toDate];
  const from = dayStart(first);
  const to = dayStart(last, true);
  return {
    teamId: form.teamId || undefined,
    salespersonId: form.salespersonId || undefined,
    contactId: form.party?.kind === 'contact' ? form.party.id : undefined,
    company: form.party?.kind === 'company' ? form.party.name : undefined,
    from,
    to,
    direction: form.direction || undefined,
    source: form.source || undefined
  };
}

export interface TeamData {
  summary: TeamSummary;
  items: Interaction[];
  nextCursor: string | null;
}

export function useTeamData(filter: TeamFilter) {
  const { api } = useServices();
  const key = JSON.stringify(filter);
  const [state, setState] = useState<Loadable<TeamData>>({ status: 'loading' });
  const [loadingMore, setLoadingMore] = useState(false);
  const [version, setVersion] = useState(0);
  const currentKey = useRef(key);
  currentKey.current = key;

  useEffect(() => {
    let cancelled = false;
    setState({ status: 'loading' });
    const parsed = JSON.parse(key) as TeamFilter;
    Promise.all([api.teamSummary(parsed), api.teamInteractions(parsed)]).then(
      ([summary, page]) =>
        !cancelled && setState({ status: 'ready', data: { summary, items: page.items, nextCursor: page.nextCursor } }),
      (error: unknown) => !cancelled && setState({ status: 'error', error })
    );
    return () => {
      cancelled = true;
    };
  }, [api, key, version]);

  const retry = useCallback(() => setVersion((v) => v + 1), []);

  /** Fetches the totals again (an opportunity changed), keeping the list and the pages already loaded. */
  const refreshSummary = useCallback(async () => {
    const asked = key;
    const summary = await api.teamSummary(JSON.parse(asked) as TeamFilter);
    if (currentKey.current !== asked) return;
    setState((previous) =>
      previous.status === 'ready' ? { status: 'ready', data: { ...previous.data, summary } } : previous
    );
  }, [api, key]);

  const loadMore = useCallback(async () => {
    if (state.status !== 'ready' || !state.data.nextCursor || loadingMore) return;
    const asked = key;
    setLoadingMore(true);
    try {
      const page = await api.teamInteractions(JSON.parse(asked) as TeamFilter, state.data.nextCursor);
      if (currentKey.current !== asked) return;
      setState((previous) =>
        previous.status === 'ready'
          ? {
              status: 'ready',
              data: { ...previous.data, items: [...previous.data.items, ...page.items], nextCursor: page.nextCursor }
            }
          : previous
      );
    } finally {
      setLoadingMore(false);
    }
  }, [api, key, state, loadingMore]);

  return { state, retry, loadMore, loadingMore, refreshSummary };
}
