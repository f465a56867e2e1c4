import { randomUUID } from 'node:crypto';

/*
 * Graph's error answers: `{ error: { code, message, innerError: { date, request-id, client-request-id } } }`.
 * The state and query modules throw GraphError; the HTTP layer writes it in that shape.
 */

export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Extra response headers (Retry-After on 429/503/504). */
    readonly headers: Record<string, string> = {}
  ) {
    super(message);
    this.name = 'GraphError';
  }
}

export interface RequestIds {
  requestId: string;
  clientRequestId: string;
}

/** A new request id, and the caller's client-request-id echoed (Graph makes one up when it is missing or long). */
export function requestIdsOf(headers: Record<string, string | string[] | undefined>): RequestIds {
  const requestId = randomUUID();
  const given = headers['client-request-id'];
  return { requestId, clientRequestId: typeof given === 'string' && given.length <= 100 ? given : requestId };
}

/** Graph writes the date without fraction and without a zone. */
export const graphErrorDate = (at = new Date()): string => at.toISOString().replace(/\.\d{3}Z$/, '');

export function graphErrorBody(code: string, message: string, ids: RequestIds) {
  return {
    error: {
      code,
      message,
      innerError: { date: graphErrorDate(), 'request-id': ids.requestId, 'client-request-id': ids.clientRequestId }
    }
  };
}

export const notFound = () =>
  new GraphError(404, 'ErrorItemNotFound', 'The specified object was not found in the store.');
export const malformedId = () => new GraphError(400, 'ErrorInvalidIdMalformed', 'Id is malformed.');
export const badRequest = (message: string) => new GraphError(400, 'BadRequest', message);
