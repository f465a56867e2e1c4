/*
 * Every `code` the API puts in a problem document (src/server/errors.ts, src/server/http/problems.ts and the
 * few routes that answer by hand), so a client can word each one in its own language instead of showing the
 * API's English `detail`.
 */
export const PROBLEM_CODES = [
  'invalid-request',
  'unauthorized',
  'forbidden',
  'not-found',
  'conflict',
  'too-many-entries',
  'rate-limited',
  'store-unavailable',
  'shutting-down',
  'internal-error',
  'body-too-large',
  'unsupported-media-type',
  'path-too-long',
  'method-not-allowed',
  'not-acceptable',
  'request-timeout',
  'no-such-route',
  'notifications-off',
  'import-rejected'
] as const;

export type ProblemCode = (typeof PROBLEM_CODES)[number];
