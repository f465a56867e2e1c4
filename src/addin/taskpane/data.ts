import { useCallback, useEffect, useRef, useState } from 'react';
import type { Contact } from '../../shared/schemas/directory.js';
import type { Interaction, InteractionPage, MessageStatus } from '../../shared/schemas/interaction.js';
import type { Opportunity } from '../../shared/schemas/opportunity.js';
import type { ApiClient } from '../api/client.js';
import { useLoadable, useMore, usePaged } from './hooks/loadable.js';
import { useServices } from './services.js';

/*
 * What the pane shows for one person, loaded together and reloaded after every action, so the history
 * updates at once after "Log this thread" and a new opportunity appears as soon as it is created.
 */

export interface PersonData {
  contact: Contact | null;
  history: Interaction[];
  nextCursor: string | null;
  opportunities: Opportunity[];
  /** Set when that part alone failed: the pane shows the error in its place and keeps the rest. */
  historyError: unknown;
  opportunitiesError: unknown;
}

// The pane's components that load on their own take the type from here, beside the pane's data.
export type { Loadable } from './hooks/loadable.js';

/**
 * One round trip: the three lists are keyed by the address, not by the contact's id. The contact decides the
 * header and actions, so its failure fails the whole; history and opportunities each fail on their own.
 */
async function loadPersonData(api: ApiClient, email: string): Promise<PersonData> {
  const [contact, page, opportunities] = await Promise.all([
    api.contactByEmail(email),
    api.history(email).then(
      (value) => ({ value, error: null }),
      (error: unknown) => ({ value: null, error })
    ),
    api.openOpportunities(email).then(
      (value) => ({ value, error: null }),
      (error: unknown) => ({ value: null, error })
    )
  ]);
  return {
    contact,
    history: page.value?.items ?? [],
    nextCursor: page.value?.nextCursor ?? null,
    opportunities: opportunities.value?.items ?? [],
    historyError: page.error,
    opportunitiesError: opportunities.error
  };
}

const primed = new Map<string, Promise<PersonData>>();

/**
 * Starts loading a person's data before React has drawn anything (the pane's entry knows the open item
 * first); the first usePersonData for that address takes the answer instead of asking again.
 */
export function primePersonData(api: ApiClient, email: string): void {
  const pending = loadPersonData(api, email);
  pending.catch(() => undefined); // a failure is reported by the hook that takes it
  primed.set(email, pending);
}

function takePrimed(email: string): Promise<PersonData> | undefined {
  const pending = primed.get(email);
  primed.delete(email);
  return pending;
}

const appendHistory = (data: PersonData, page: InteractionPage): PersonData => ({
  ...data,
  history: [...data.history, ...page.items],
  nextCursor: page.nextCursor
});

export function usePersonData(email: string) {
  const { api } = useServices();
  const load = useCallback(() => takePrimed(email) ?? loadPersonData(api, email), [api, email]);
  const { state, reload, retry, settle } = useLoadable(load);
  const nextPage = useCallback((cursor: string) => api.history(email, cursor), [api, email]);
  const { loadMore, loadingMore } = useMore(state.data?.nextCursor, nextPage, settle, appendHistory);
  return { state, reload, retry, loadMore, loadingMore };
}

/** The server's word on whether the open message is logged (never the browser's memory); null until it answers. */
export function useMessageStatus(internetMessageId: string | null, version: number): MessageStatus | null {
  const { api } = useServices();
  const load = useCallback(
    async () => (internetMessageId ? ((await api.status([internetMessageId])).items[0] ?? null) : null),
    // `version` is not read: a new one makes a new `load`, which asks again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, internetMessageId, version]
  );
  return useLoadable(load, { whileChanging: 'loading' }).state.data ?? null;
}

/**
 * The descriptions of the opportunities these entries belong to: the open ones the pane already holds, the
 * others (won, lost) asked for once each.
 */
export function useOpportunityNames(entries: Interaction[], known: Opportunity[]): ReadonlyMap<string, string> {
  const { api } = useServices();
  const [fetched, setFetched] = useState<ReadonlyMap<string, string>>(new Map());
  const asked = useRef(new Set<string>());
  const missing = [
    ...new Set(
      entries
        .map((entry) => entry.opportunityId)
        .filter((id): id is string => id !== null && !known.some((o) => o.id === id) && !asked.current.has(id))
    )
  ];
  const missingKey = missing.join(' ');
  useEffect(() => {
    if (!missingKey) return;
    let cancelled = false;
    const ids = missingKey.split(' ');
    for (const id of ids) asked.current.add(id);
    Promise.allSettled(ids.map((id) => api.opportunity(id))).then((results) => {
      if (cancelled) return;
      setFetched((previous) => {
        const next = new Map(previous);
        for (const result of results)
          if (result.status === 'fulfilled') next.set(result.value.id, result.value.description);
        return next;
      });
    });
    return () => {
      cancelled = true;
    };
  }, [api, missingKey]);
  const names = new Map(fetched);
  for (const opportunity of known) names.set(opportunity.id, opportunity.description);
  return names;
}

/** A run of letters or digits: a search without one finds nothing, so it is not sent (the API refuses it). */
const HAS_WORD = /[\p{L}\p{N}]/u;

export const isSearchable = (query: string): boolean => HAS_WORD.test(query);

/**
 * The person's history searched for `query`, best match first, page by page; null while there is no search.
 * `version` asks again (after the person's data changed).
 */
export function useHistorySearch(email: string, query: string, version: number) {
  const { api } = useServices();
  const active = isSearchable(query) ? query : '';
  const load = useCallback(
    // The cursor forwarded as given: the first page's request carries none.
    (...cursor: [cursor?: string]) => api.searchHistory(email, active, ...cursor),
    // `version` is not read: a new one makes a new `load`, which asks again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [api, email, active, version]
  );
  const { state, loadMore, loadingMore } = usePaged(active ? load : null);
  return { state: active ? state : null, loadMore, loadingMore };
}
