/** @jest-environment jsdom */
import { act, renderHook, waitFor } from '@testing-library/react';
import { useCallback } from 'react';
import type { Page } from '../../../../src/addin/api/client.js';
import { usePaged } from '../../../../src/addin/taskpane/hooks/loadable.js';

/* The pane's loading hook: pages in order, and an answer for what is no longer asked is dropped. */

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  return { promise, resolve, reject };
}

type Pending = Record<string, ReturnType<typeof deferred<Page<string>>>>;

/** A list per query whose pages the test answers by hand, keyed `query:cursor`. */
function useList(query: string, pending: Pending) {
  const load = useCallback(
    (cursor?: string) => {
      const answer = deferred<Page<string>>();
      pending[`${query}:${cursor ?? ''}`] = answer;
      return answer.promise;
    },
    [query, pending]
  );
  return usePaged(load);
}

test('a first page, then the next; a failed next page is kept apart and the list stays', async () => {
  const pending: Pending = {};
  const { result } = renderHook(() => useList('a', pending));
  expect(result.current.state.status).toBe('loading');
  await act(async () => pending['a:']!.resolve({ items: ['a1'], nextCursor: 'c2' }));
  expect(result.current.state.data).toEqual({ items: ['a1'], nextCursor: 'c2' });

  let more!: Promise<void>;
  act(() => {
    more = result.current.loadMore();
  });
  expect(result.current.loadingMore).toBe(true);
  await act(async () => {
    pending['a:c2']!.reject(new Error('offline'));
    await more;
  });
  expect(result.current.moreError).toEqual(new Error('offline'));
  expect(result.current.state.data?.items).toEqual(['a1']);

  act(() => {
    more = result.current.loadMore();
  });
  await act(async () => {
    pending['a:c2']!.resolve({ items: ['a2'], nextCursor: null });
    await more;
  });
  expect(result.current.moreError).toBeNull();
  expect(result.current.state.data).toEqual({ items: ['a1', 'a2'], nextCursor: null });
});

test('answers for an earlier query are dropped, its later pages too', async () => {
  const pending: Pending = {};
  const { result, rerender } = renderHook(({ query }) => useList(query, pending), { initialProps: { query: 'a' } });
  await act(async () => pending['a:']!.resolve({ items: ['a1'], nextCursor: 'c2' }));
  let more!: Promise<void>;
  act(() => {
    more = result.current.loadMore();
  });

  rerender({ query: 'b' });
  // What was shown stays until the new answer (a search as the user types).
  expect(result.current.state.data?.items).toEqual(['a1']);
  await act(async () => {
    pending['a:c2']!.resolve({ items: ['a2'], nextCursor: null });
    await more;
  });
  expect(result.current.state.data?.items).toEqual(['a1']);

  await act(async () => pending['b:']!.resolve({ items: ['b1'], nextCursor: null }));
  await waitFor(() => expect(result.current.state.data?.items).toEqual(['b1']));
});
