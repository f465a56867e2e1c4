import { sql, type RawBuilder, type SelectQueryBuilder } from 'kysely';
import { InvalidCursor } from './errors.js';

/*
 * Keyset cursors: the sort value and id of the last row served, base64url-encoded. Opaque to clients,
 * stable under inserts, and as fast on the thousandth page as on the first.
 */

export interface Position<T extends string | number> {
  key: T;
  id: string;
}

export function encodeCursor(position: Position<string | number>): string {
  return Buffer.from(JSON.stringify([position.key, position.id])).toString('base64url');
}

/** What a cursor carries, or null when it is not base64url JSON (the callers then refuse it). */
function cursorJson(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
}

export function decodeCursor<T extends 'string' | 'number'>(
  cursor: string | undefined,
  keyType: T
): Position<T extends 'string' ? string : number> | null {
  if (cursor === undefined) return null;
  const parsed = cursorJson(cursor);
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 2 ||
    typeof parsed[0] !== keyType ||
    typeof parsed[1] !== 'string' ||
    // Our numeric keys are epoch milliseconds: whole numbers every engine's bigint holds exactly.
    (keyType === 'number' && !Number.isSafeInteger(parsed[0])) ||
    // PostgreSQL text cannot hold NUL.
    parsed.some((part) => typeof part === 'string' && part.includes('\u0000'))
  ) {
    throw new InvalidCursor(
      'The cursor is not one this API issued; start again without it.',
      'must be a nextCursor value from a previous page'
    );
  }
  return { key: parsed[0] as T extends 'string' ? string : number, id: parsed[1] };
}

/**
 * The rows past `after` in (key, id) order, as one row-value comparison: both engines turn it into a range on
 * an index over (…, key, id), so a page deep in a long list costs what the first does. (The equivalent
 * `key < k OR (key = k AND id < i)` is not a range to SQLite: it scanned the index from its start, so an export
 * read by pages took time quadratic in its length.)
 */
export function beyond(
  keyColumn: string,
  idColumn: string,
  after: Position<string | number>,
  order: 'asc' | 'desc'
): RawBuilder<boolean> {
  return sql<boolean>`(${sql.ref(keyColumn)}, ${sql.ref(idColumn)}) ${sql.raw(order === 'desc' ? '<' : '>')} (${after.key}, ${after.id})`;
}

/** How a keyset list is sorted: by its key column, then its id column, both one way; a cursor's key is `keyType`. */
export interface KeysetOrder {
  key: string;
  id: string;
  direction: 'asc' | 'desc';
  keyType: 'string' | 'number';
}

/**
 * The rows of `query` past the page's cursor, in the order's (key, id) order: a page and one row more, which
 * pageOf turns into "is there a next page". Every keyset list reads its rows through here.
 */
export function keysetRows<DB, TB extends keyof DB, Row>(
  query: SelectQueryBuilder<DB, TB, Row>,
  order: KeysetOrder,
  page: { limit: number; cursor?: string | undefined }
): Promise<Row[]> {
  const after = decodeCursor(page.cursor, order.keyType);
  const rest = after ? query.where(beyond(order.key, order.id, after, order.direction)) : query;
  return rest
    .orderBy(sql.ref(order.key), order.direction)
    .orderBy(sql.ref(order.id), order.direction)
    .limit(page.limit + 1)
    .execute();
}

/** Splits the one extra row fetched into "is there a next page" and builds its cursor. */
export function pageOf<Row, Item>(
  rows: Row[],
  limit: number,
  position: (row: Row) => Position<string | number>,
  toItem: (row: Row) => Item
): { items: Item[]; nextCursor: string | null } {
  const hasMore = rows.length > limit;
  const kept = hasMore ? rows.slice(0, limit) : rows;
  const last = kept[kept.length - 1];
  return {
    items: kept.map(toItem),
    nextCursor: hasMore && last !== undefined ? encodeCursor(position(last)) : null
  };
}

/** Where a ranked page (a search's) ended: the last entry's rank, time and id. */
export interface RankedPosition {
  rank: number;
  occurredAt: number;
  id: string;
}

export function encodeRankedCursor(position: RankedPosition): string {
  return Buffer.from(JSON.stringify(['ranked', position.rank, position.occurredAt, position.id])).toString('base64url');
}

export function decodeRankedCursor(cursor: string | undefined): RankedPosition | null {
  if (cursor === undefined) return null;
  const parsed = cursorJson(cursor);
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 4 ||
    parsed[0] !== 'ranked' ||
    typeof parsed[1] !== 'number' ||
    !Number.isFinite(parsed[1]) ||
    // Epoch milliseconds, as in decodeCursor: a forged 1e300 must be refused here, not by PostgreSQL's bigint.
    !Number.isSafeInteger(parsed[2]) ||
    typeof parsed[3] !== 'string'
  ) {
    throw new InvalidCursor(
      'The cursor is not one this search issued; start again without it.',
      'must be a nextCursor value from a previous page of the same search'
    );
  }
  return { rank: parsed[1], occurredAt: parsed[2], id: parsed[3] };
}
