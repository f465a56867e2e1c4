import { ApiError } from '../../../src/addin/api/client.js';
import { failureOf, failureText, fieldMessagesOf, fieldProblemsOf } from '../../../src/addin/api/problems.js';
import { CATALOGUES, createTranslator } from '../../../src/addin/i18n/catalogues.js';
import type { Problem } from '../../../src/shared/schemas/common.js';
import { PROBLEM_CODES } from '../../../src/shared/problem-codes.js';

/* A refusal of the API in the user's words: by its code, never by its English detail; its field errors at fields. */

const refusal = (status: number, extra: Partial<Problem> = {}) =>
  new ApiError(
    status,
    { type: 'about:blank', title: 'x', status, detail: 'The API’s own English words.', ...extra },
    'The API’s own English words.'
  );

test('the code decides; without one the status does; no answer is unreachable', () => {
  expect(failureOf(refusal(400, { code: 'too-many-entries' }))).toBe('too-many-entries');
  expect(failureOf(refusal(409))).toBe('conflict');
  expect(failureOf(refusal(503, { code: 'store-unavailable' }))).toBe('store-unavailable');
  expect(failureOf(refusal(502))).toBe('unreachable');
  expect(failureOf(new ApiError(0, null, 'Failed to fetch'))).toBe('unreachable');
  expect(failureOf(refusal(418, { code: 'a-code-of-tomorrow' }))).toBe('unknown');
  expect(failureOf(new TypeError('x is undefined'))).toBe('unknown');
});

test('every code the API sends is worded in every language, never with its detail', () => {
  for (const language of Object.keys(CATALOGUES)) {
    const i18n = createTranslator(language);
    for (const code of PROBLEM_CODES) {
      const text = failureText(refusal(400, { code }), i18n);
      expect(text).not.toMatch(/^problem[A-Z]/); // a key would show if a catalogue lacked it
      expect(text).not.toContain('English words');
    }
  }
  expect(failureText(refusal(429, { code: 'rate-limited' }), createTranslator('fi-FI'))).toBe(
    CATALOGUES.fi!.problemRateLimited
  );
});

test('field errors: the pointer names the field and the list item; each message once per field', () => {
  const error = refusal(400, {
    code: 'invalid-request',
    errors: [
      { pointer: '#/alternateEmails/2', location: 'body', detail: 'must be an email address' },
      { pointer: '/alternateEmails/3', location: 'body', detail: 'must be an email address' },
      { pointer: '#/a~1b', location: 'body', detail: 'odd' },
      { pointer: '#/', location: 'body', detail: 'the whole body' }
    ]
  });
  expect(fieldProblemsOf(error)).toEqual([
    { field: 'alternateEmails', index: 2, failure: 'invalid-request' },
    { field: 'alternateEmails', index: 3, failure: 'invalid-request' },
    { field: 'a/b', index: undefined, failure: 'invalid-request' }
  ]);
  expect(
    fieldMessagesOf(error, ({ field }) => (field === 'alternateEmails' ? 'Check the addresses.' : undefined))
  ).toEqual({ alternateEmails: 'Check the addresses.' });
  expect(fieldProblemsOf(new Error('not from the API'))).toEqual([]);
});
