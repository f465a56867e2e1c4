import { normalizeEmail } from '../../shared/email.js';
import { MAX_PAGE_SIZE } from '../../shared/limits.js';
import { InvalidRequestError } from '../errors.js';

/* Query-string values every list route reads the same way. */

export const DEFAULT_PAGE_SIZE = 25;

/** The page size asked for, clamped to what the API serves at most. */
export const pageLimit = (limit: number | undefined): number => Math.min(limit ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);

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
