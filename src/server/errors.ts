import type { ProblemCode } from '../shared/problem-codes.js';

/*
 * Domain errors. The HTTP layer turns each into an RFC 9457 problem document; nothing below the HTTP
 * layer knows about status codes.
 */

export interface FieldError {
  pointer: string;
  location: 'body' | 'querystring' | 'params' | 'headers';
  detail: string;
}

export class DomainError extends Error {
  constructor(
    readonly code: ProblemCode,
    message: string
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The request is well-formed but names something that breaks a rule; `errors` say which fields. */
export class InvalidRequestError extends DomainError {
  constructor(
    message: string,
    readonly errors: FieldError[] = []
  ) {
    super('invalid-request', message); // INVALID_REQUEST in http/problems.ts: the one code for bad input
  }
}

/** Missing, or belonging to another tenant: the two are indistinguishable on purpose. */
export class NotFoundError extends DomainError {
  constructor(what: string) {
    super('not-found', `${what} was not found.`);
  }
}

export class ConflictError extends DomainError {
  constructor(
    message: string,
    readonly errors: FieldError[] = []
  ) {
    super('conflict', message);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message: string) {
    super('forbidden', message);
  }
}

/** Sent to the caller for every token that fails verification: which check failed is not their business. */
export const TOKEN_REJECTED = 'The access token is not valid. Sign in again to get a new one.';

export class UnauthorizedError extends DomainError {
  /** True when a token was presented and rejected (RFC 6750 error="invalid_token"); false when none was sent. */
  readonly tokenRejected: boolean;
  /** Why a token was rejected, for the server's log only; never sent. */
  readonly reason: string | undefined;

  constructor(message = TOKEN_REJECTED, options: { tokenRejected?: boolean; reason?: string } = {}) {
    super('unauthorized', message);
    this.tokenRejected = options.tokenRejected ?? true;
    this.reason = options.reason;
  }
}

/** The request asks for more work than one request may do; `code` says which limit, the message states it. */
export class LimitExceededError extends DomainError {}

/** Too many requests in the current window; `retryAfterSeconds` says when to try again. */
export class RateLimitedError extends DomainError {
  constructor(
    whose: string,
    readonly retryAfterSeconds: number
  ) {
    super(
      'rate-limited',
      `Too many requests: ${whose} limit for this minute is used up. Try again in ${retryAfterSeconds} s.`
    );
  }
}

/**
 * The database cannot be reached or written right now (a lost connection, a failover, a full or vanished
 * file). Nothing is wrong with the request: it may be sent again after `retryAfterSeconds`. `cause` keeps the
 * engine's own error for the log.
 */
export class StoreUnavailableError extends DomainError {
  constructor(
    override readonly cause: unknown,
    readonly retryAfterSeconds = 5
  ) {
    super('store-unavailable', `The database is unavailable at the moment. Try again in ${retryAfterSeconds} s.`);
  }
}
