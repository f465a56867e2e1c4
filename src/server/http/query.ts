import type { FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import { normalizeEmail } from '../../shared/email.js';
import { MAX_PAGE_SIZE } from '../../shared/limits.js';
import { InvalidRequestError } from '../errors.js';

/* Query-string values every list route reads the same way. */

export const DEFAULT_PAGE_SIZE = 25;

/** The page size asked for, clamped to what the API serves at most. */
export const pageLimit = (limit: number | undefined): number => Math.min(limit ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);

/**
 * preValidation: a `limit` above the largest page is brought down to it before the schema (which documents
 * `maximum: 100`) sees it, so larger values keep being clamped rather than refused, as they always were.
 */
export function clampPageLimit(request: FastifyRequest, _reply: FastifyReply, done: HookHandlerDoneFunction): void {
  const query = request.query as Record<string, unknown> | undefined;
  const limit = query?.limit;
  if (typeof limit === 'string' && /^\d+$/.test(limit) && Number(limit) > MAX_PAGE_SIZE) {
    query!.limit = String(MAX_PAGE_SIZE);
  }
  done();
}

/** An address parameter (such as `correspondent`), normalized; a 400 naming the parameter if it is not one. */
export function addressParameter(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  const address = normalizeEmail(value);
  if (address === null) {
    throw new InvalidRequestError(`${name} must be an email address.`, [
      { location: 'querystring', pointer: `/${name}`, detail: 'must be an email address' }
    ]);
  }
  return address;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A 400 naming `from` unless it is earlier than `to` (epoch ms; an open end is always fine). */
export function assertFromBeforeTo(from: number | undefined, to: number | undefined): void {
  if (from !== undefined && to !== undefined && from >= to) {
    throw new InvalidRequestError('"from" must be earlier than "to".', [
      { location: 'querystring', pointer: '/from', detail: 'must be earlier than to' }
    ]);
  }
}

/**
 * A validated `from`/`to` as milliseconds; `to` is exclusive. A date alone is a UTC day: as `from` its start,
 * as `to` the start of the next day, so `from=2026-12-01&to=2026-12-01` is that whole day (see RangeFrom).
 * A 400 when from is not earlier than to.
 */
export function dateRange(from: string | undefined, to: string | undefined): { from?: number; to?: number } {
  const start = from === undefined ? undefined : Date.parse(DATE_ONLY.test(from) ? `${from}T00:00:00Z` : from);
  const end =
    to === undefined ? undefined : DATE_ONLY.test(to) ? Date.parse(`${to}T00:00:00Z`) + DAY_MS : Date.parse(to);
  assertFromBeforeTo(start, end);
  return { ...(start !== undefined ? { from: start } : {}), ...(end !== undefined ? { to: end } : {}) };
}
