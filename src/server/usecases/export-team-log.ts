import type { Store, TeamExportRow, TeamHistoryFilter } from '../store/index.js';

/*
 * The team's filtered log as rows for a download, newest first, read a page at a time so memory stays bounded
 * whatever the team's size.
 */

/**
 * Rows read from the store per page. Each page is read and written in one turn of the event loop (SQLite reads
 * are synchronous), so it is kept to a few milliseconds of work. Small pages also die young: at 500 rows a page
 * was still alive at each scavenge and about 3 MB of it moved to the old generation every time, which grew the
 * heap by up to 75 MB over a 100,000-row export; at 250, a few KB (docs/PERFORMANCE.md, issue 18).
 */
const EXPORT_PAGE_SIZE = 250;

/**
 * The selected team's rows, page by page. The first page is read before this resolves, so a failure there reaches
 * the caller as an error (a problem document) rather than in the middle of a download. The store then holds what
 * it reads through until the pages end or the iteration is returned: return it if it will not be read to the end.
 */
export async function exportTeamLog(
  store: Store,
  tenantId: string,
  filter: TeamHistoryFilter
): Promise<AsyncIterableIterator<TeamExportRow[]>> {
  const pages = store.teamHistory.exportRows(tenantId, filter, EXPORT_PAGE_SIZE);
  return withFirst(await pages.next(), pages);
}

/**
 * `rest` with its `first` result put back in front. Not a generator of its own: one that has not started ignores
 * return(), and `rest` would then never hear it.
 */
function withFirst<T>(first: IteratorResult<T>, rest: AsyncGenerator<T>): AsyncIterableIterator<T> {
  let head: IteratorResult<T> | null = first;
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    next() {
      const taken = head;
      head = null;
      return taken ? Promise.resolve(taken) : rest.next();
    },
    return(value?: unknown) {
      head = null;
      return rest.return(value);
    }
  };
}
