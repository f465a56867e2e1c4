import {
  describeGraphFailure,
  graphAnswerFailure,
  graphErrorKind,
  graphFailure,
  retryAfterMs
} from '../../../src/server/mailbox/graph-errors.js';

test('each Graph answer maps to one kind', () => {
  expect([429, 503, 509].map((status) => graphErrorKind(status))).toEqual(['throttled', 'throttled', 'throttled']);
  expect([500, 502, 504, 423, null, -1].map((status) => graphErrorKind(status))).toEqual(Array(6).fill('temporary'));
  expect([401, 403].map((status) => graphErrorKind(status))).toEqual(['permission', 'permission']);
  expect([404, 410].map((status) => graphErrorKind(status))).toEqual(['not-found', 'not-found']);
  expect([400, 405, 409, 412, 422].map((status) => graphErrorKind(status))).toEqual(Array(5).fill('invalid'));
  // Exchange names a missing mailbox by code, whatever the status.
  expect(graphErrorKind(400, 'ErrorInvalidUser')).toBe('not-found');
  expect(graphErrorKind(404, 'MailboxNotEnabledForRESTAPI')).toBe('not-found');
});

test('Retry-After is read in seconds or as an HTTP date, a second when absent or unreadable', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  expect(retryAfterMs('7', now)).toBe(7000);
  expect(retryAfterMs('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
  expect(retryAfterMs('Wed, 31 Dec 2025 00:00:00 GMT', now)).toBe(0);
  expect(retryAfterMs(null, now)).toBe(1000);
  expect(retryAfterMs('soon', now)).toBe(1000);
});

test('only a throttled answer carries a wait; only an answer-less one or a 504 is uncertain', () => {
  expect(graphAnswerFailure({ status: 429, retryAfter: '3' })).toMatchObject({ retryAfterMs: 3000, uncertain: false });
  expect(graphAnswerFailure({ status: 500, retryAfter: '3' })).toMatchObject({ retryAfterMs: null, uncertain: false });
  expect(graphAnswerFailure({ status: 504 })).toMatchObject({ kind: 'temporary', uncertain: true });
  expect(graphAnswerFailure({ status: null })).toMatchObject({ kind: 'temporary', uncertain: true, status: null });
});

test('a thrown GraphError is read from its status, code, message and headers; other errors as no answer', () => {
  const thrown = Object.assign(new Error('Access is denied.\nMore.'), {
    statusCode: 403,
    code: 'ErrorAccessDenied',
    headers: new Headers()
  });
  const failure = graphFailure(thrown);
  expect(failure).toMatchObject({ kind: 'permission', status: 403, code: 'ErrorAccessDenied' });
  expect(describeGraphFailure(failure)).toBe('403 ErrorAccessDenied: Access is denied.');
  const throttled = Object.assign(new Error('Slow down'), {
    statusCode: 429,
    headers: new Headers({ 'Retry-After': '9' })
  });
  expect(graphFailure(throttled)).toMatchObject({ kind: 'throttled', retryAfterMs: 9000 });
  expect(graphFailure(Object.assign(new Error('socket hang up'), { statusCode: -1 }))).toMatchObject({
    kind: 'temporary',
    status: null,
    uncertain: true
  });
  expect(describeGraphFailure(graphFailure(new Error('ECONNRESET')))).toBe('no response: ECONNRESET');
});
