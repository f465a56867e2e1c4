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
