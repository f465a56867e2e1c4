/*
 * Microsoft Graph's answers, judged once. Every caller (the Graph client's retries, the processor, the admin
 * checks, the admin routes) asks what kind of failure it met, never which status it was:
 *
 * - throttled: 429 Too Many Requests, 503 Service Unavailable (both "repeat after Retry-After") and 509
 *   Bandwidth Limit Exceeded. Graph did not carry the request out; it may be sent again after the wait.
 *   https://learn.microsoft.com/graph/throttling, https://learn.microsoft.com/graph/errors
 * - temporary: the service failed (500, 502, 504, 423 Locked) or no answer came at all (a dropped connection;
 *   the Graph client reports it as status -1). Worth another try later. `uncertain` marks the answers after
 *   which a write may have happened all the same — 504 Gateway Timeout (the gateway gave up waiting, not the
 *   mailbox) and no answer — so a move is looked at before it is sent again.
 * - permission: 401 Unauthorized, 403 Forbidden (ErrorAccessDenied, Authorization_RequestDenied, an
 *   application access policy).
 * - not-found: 404 Not Found and 410 Gone, and Exchange's codes for a mailbox that is not there whatever the
 *   status (ErrorInvalidUser, MailboxNotEnabledForRESTAPI, ResourceNotFound).
 *   https://learn.microsoft.com/graph/api/resources/mail-api-overview (mailbox errors)
 * - invalid: every other answer: the request itself is wrong (400, 405, 409 Conflict, 412, 413, 422, ...).
 */

export type GraphErrorKind = 'throttled' | 'temporary' | 'permission' | 'not-found' | 'invalid';

export interface GraphFailure {
  kind: GraphErrorKind;
  /** The HTTP status; null when no answer came. */
  status: number | null;
  /** Graph's error code (ErrorItemNotFound, ...), or '' when the answer had none. */
  code: string;
  /** The first line of Graph's message, at most 300 characters. */
  message: string;
  /** throttled: how long Graph asked to wait; otherwise null. */
  retryAfterMs: number | null;
  /** The request may have been carried out although it failed (504, or no answer): look before repeating it. */
  uncertain: boolean;
}

const DEFAULT_RETRY_AFTER_MS = 1000;
const THROTTLED = new Set([429, 503, 509]);
const TEMPORARY = new Set([423, 500, 502, 504]);
const MISSING_MAILBOX = /ErrorInvalidUser|MailboxNotEnabled|ResourceNotFound/i;

/** Retry-After in seconds (Graph's form), or an HTTP date; absent or unreadable: a second. */
export function retryAfterMs(header: string | null | undefined, now = Date.now()): number {
  if (!header) return DEFAULT_RETRY_AFTER_MS;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? DEFAULT_RETRY_AFTER_MS : Math.max(0, date - now);
}

/** One answer's kind: `status` null (or the client's -1) when none came. */
export function graphErrorKind(status: number | null, code = ''): GraphErrorKind {
  if (status === null || status <= 0) return 'temporary';
  if (MISSING_MAILBOX.test(code)) return 'not-found';
  if (THROTTLED.has(status)) return 'throttled';
  if (TEMPORARY.has(status) || status >= 500) return 'temporary';
  if (status === 401 || status === 403) return 'permission';
  if (status === 404 || status === 410) return 'not-found';
  return 'invalid';
}

/** An answer Graph gave (a response, or a $batch sub-response) as a failure. */
export function graphAnswerFailure(answer: {
  status: number | null;
  code?: string | null;
  message?: string | null;
  retryAfter?: string | null;
}): GraphFailure {
  const status = answer.status !== null && answer.status > 0 ? answer.status : null;
  const code = answer.code ?? '';
  const kind = graphErrorKind(status, code);
  return {
    kind,
    status,
    code,
    message: firstLine(answer.message ?? (status ? `HTTP ${status}` : 'no response')),
    retryAfterMs: kind === 'throttled' ? retryAfterMs(answer.retryAfter) : null,
    uncertain: status === null || status === 504
  };
}

/** What a thrown error says: the Graph client's GraphError, or anything else (no answer, then). */
export function graphFailure(error: unknown): GraphFailure {
  const e = (error ?? {}) as {
    statusCode?: unknown;
    status?: unknown;
    code?: unknown;
    message?: unknown;
    headers?: { get?: (name: string) => string | null };
  };
  const status = typeof e.statusCode === 'number' ? e.statusCode : typeof e.status === 'number' ? e.status : null;
  return graphAnswerFailure({
    status,
    code: typeof e.code === 'string' ? e.code : '',
    message: typeof e.message === 'string' ? e.message : String(error),
    retryAfter: typeof e.headers?.get === 'function' ? e.headers.get('retry-after') : null
  });
}

/**
 * 424 Failed Dependency inside a $batch: not run, because a request it depends on failed — not a failure of its
 * own. https://learn.microsoft.com/graph/json-batching#sequencing-requests-with-the-dependson-property
 */
export const notRunForDependency = (failure: GraphFailure): boolean => failure.status === 424;

/** 409 Conflict on a create: the item is there already (ErrorFolderExists for a mail folder). */
export const alreadyExists = (failure: GraphFailure): boolean => failure.status === 409;

/** A thrown error that carries an answer from Graph (the Graph client's GraphError, -1 when none came). */
export const isGraphAnswer = (error: unknown): boolean =>
  typeof (error as { statusCode?: unknown } | null)?.statusCode === 'number';

/** "403 ErrorAccessDenied: Access is denied." — for logs, run summaries and problem details. */
export function describeGraphFailure(failure: GraphFailure): string {
  const head = [failure.status ?? 'no response', failure.code].filter((part) => part !== '').join(' ');
  return `${head}: ${failure.message}`;
}

const firstLine = (text: string) => (text.split('\n')[0] ?? '').slice(0, 300);
