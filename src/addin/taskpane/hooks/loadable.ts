import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Page } from '../../api/client.js';

/*
 * The pane's one way to load what it shows: a resource asked for once (useLoadable), a list that comes in
 * pages with "load more" (usePaged, or useMore for a page held inside a larger answer). Every answer is
 * checked against what is asked for now: one for a person, a filter or a search no longer current is dropped.
 */

export type Loadable<T> =
  | { status: 'loading'; data?: undefined; error?: undefined }
  | { status: 'ready'; data: T; error?: undefined }
  | { status: 'error'; error: unknown; data?: undefined };

export interface LoadableOptions {
  /**
   * What shows while a changed `load` runs: 'previous' keeps what is on screen until the answer (a search as
   * the user types), 'loading' shows loading at once (new filters, whose old results would mislead).
   */
  whileChanging?: 'previous' | 'loading';
}

/**
 * What `load` answers, asked again whenever `load` changes (make it with useCallback over what it depends
 * on; null asks nothing and stays loading), on `reload` (what is shown stays until the answer) and on
 * `retry` (loading first). `update` changes the data shown; `settle` applies a later answer (a next page, a
 * fresh total) only if it belongs to the `load` still current.
 */
export function useLoadable<T>(load: (() => Promise<T>) | null, { whileChanging = 'previous' }: LoadableOptions = {}) {
  const [state, setState] = useState<Loadable<T>>({ status: 'loading' });
  const [version, setVersion] = useState(0);
  const current = useRef(load);
  current.current = load;
  const lastAsked = useRef(load);

  useEffect(() => {
    const changed = lastAsked.current !== load;
    lastAsked.current = load;
    if (!load) {
      setState({ status: 'loading' });
      return;
    }
    if (changed && whileChanging === 'loading') setState({ status: 'loading' });
    let cancelled = false;
    load().then(
      (data) => !cancelled && setState({ status: 'ready', data }),
      (error: unknown) => !cancelled && setState({ status: 'error', error })
    );
    return () => {
      cancelled = true;
    };
  }, [load, version, whileChanging]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const retry = useCallback(() => {
    setState({ status: 'loading' });
    setVersion((v) => v + 1);
  }, []);
  const update = useCallback(
    (change: (data: T) => T) =>
      setState((previous) =>
        previous.status === 'ready' ? { status: 'ready', data: change(previous.data) } : previous
      ),
    []
  );
  const settle: Settle<T> = useCallback(
    async <R>(pending: Promise<R>, apply: (data: T, answer: R) => T): Promise<void> => {
      const asked = current.current;
      const answer = await pending;
      if (current.current === asked) update((data) => apply(data, answer));
    },
    [update]
  );
  return { state, reload, retry, update, settle };
}

/** Applies a later answer to the loaded data, if it is still the data of the `load` it was asked for. */
export type Settle<D> = <R>(pending: Promise<R>, apply: (data: D, answer: R) => D) => Promise<void>;

/**
 * "Load more" for a page held inside a loaded resource: one request at a time, for the cursor shown now;
 * `fetchPage` asks for a page, `addPage` puts it into the data (through the resource's `settle`, so a page
 * for a `load` no longer current is dropped; keep it stable, defined outside the component). A failure is
 * kept in `moreError` and clears on the next try.
 */
export function useMore<D, P>(
  nextCursor: string | null | undefined,
  fetchPage: ((cursor: string) => Promise<P>) | null,
  settle: Settle<D>,
  addPage: (data: D, page: P) => D
) {
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<unknown>(null);
  const loadMore = useCallback(async () => {
    if (!nextCursor || !fetchPage || loadingMore) return;
    setLoadingMore(true);
    setMoreError(null);
    try {
      await settle(fetchPage(nextCursor), addPage);
    } catch (error) {
      setMoreError(error);
    } finally {
      setLoadingMore(false);
    }
  }, [nextCursor, fetchPage, loadingMore, settle, addPage]);
  return { loadMore, loadingMore, moreError };
}

/** A page's items after those already loaded, and its cursor. */
export const appendPage = <T, D extends Page<T>>(data: D, page: Page<T>): D => ({
  ...data,
  items: [...data.items, ...page.items],
  nextCursor: page.nextCursor
});

/**
 * A list read page by page: `load(cursor)` asks for one page (the first without a cursor); `loadMore` adds
 * the next. Make `load` with useCallback: a new one starts the list over; null asks nothing.
 */
export function usePaged<T>(load: ((cursor?: string) => Promise<Page<T>>) | null, options?: LoadableOptions) {
  const first = useMemo(() => load && (() => load()), [load]);
  const { state, reload, retry, update, settle } = useLoadable(first, options);
  const { loadMore, loadingMore, moreError } = useMore(state.data?.nextCursor, load, settle, appendPage<T, Page<T>>);
  return { state, reload, retry, update, loadMore, loadingMore, moreError };
}
