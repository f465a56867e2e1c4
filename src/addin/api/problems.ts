import { PROBLEM_CODES, type ProblemCode } from '../../shared/problem-codes.js';
import type { MessageKey } from '../i18n/index.js';
import type { Translator } from '../i18n/index.js';
import { ApiError } from './client.js';

/*
 * What a refusal of the API means to the user, in one place: the problem document's `code` in the pane's
 * language (the API's `detail` is English and speaks of its own field names), and its field errors at the
 * form's fields (each error's JSON pointer names the field, its first segment, and for lists the item).
 */

/** A code the API sent; 'unreachable' when no answer came (or only a gateway's); 'unknown' for anything else. */
export type Failure = ProblemCode | 'unreachable' | 'unknown';

/** For an answer without a code of ours (an older server, a proxy): the server's own code for that status. */
const CODE_BY_STATUS: Partial<Record<number, ProblemCode>> = {
  400: 'invalid-request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  409: 'conflict',
  413: 'body-too-large',
  429: 'rate-limited',
  500: 'internal-error'
};

const isProblemCode = (code: unknown): code is ProblemCode => (PROBLEM_CODES as readonly unknown[]).includes(code);

export function failureOf(error: unknown): Failure {
  if (!(error instanceof ApiError)) return 'unknown';
  const code = error.problem?.code;
  if (isProblemCode(code)) return code;
  if (error.unreachable) return 'unreachable';
  return CODE_BY_STATUS[error.status] ?? 'unknown';
}

/**
 * The sentence for each failure (a record, so a new code fails the type check until it is worded). Codes a
 * pane's request cannot meet unless the pane itself is wrong share the general sentence.
 */
const FAILURE_TEXT: Record<Failure, MessageKey> = {
  'invalid-request': 'problemInvalidRequest',
  unauthorized: 'problemUnauthorized',
  forbidden: 'problemForbidden',
  'not-found': 'problemNotFound',
  conflict: 'problemConflict',
  'too-many-entries': 'problemTooManyEntries',
  'rate-limited': 'problemRateLimited',
  'store-unavailable': 'problemUnavailable',
  'shutting-down': 'problemUnavailable',
  'internal-error': 'problemInternal',
  'body-too-large': 'problemTooLarge',
  'unsupported-media-type': 'problemUnknown',
  'path-too-long': 'problemUnknown',
  'method-not-allowed': 'problemUnknown',
  'not-acceptable': 'problemUnknown',
  'request-timeout': 'problemUnknown',
  'no-such-route': 'problemUnknown',
  'notifications-off': 'problemUnknown',
  'import-rejected': 'problemInvalidRequest',
  unreachable: 'unreachableText',
  unknown: 'problemUnknown'
};

/** One translated sentence for a failed request. */
export const failureText = (error: unknown, i18n: Pick<Translator, 't'>): string =>
  i18n.t(FAILURE_TEXT[failureOf(error)]);

/** One error the API reported at a field: the field its pointer names, the list item if any, and the code. */
export interface FieldProblem {
  field: string;
  index: number | undefined;
  failure: Failure;
}

const unescapePointer = (segment: string) => segment.replace(/~1/g, '/').replace(/~0/g, '~');

export function fieldProblemsOf(error: unknown): FieldProblem[] {
  if (!(error instanceof ApiError)) return [];
  const failure = failureOf(error);
  return (error.problem?.errors ?? []).flatMap((item) => {
    // Pointers are sent as URI fragments ("#/field/2") or plain ("/field/2").
    const [field = '', index] = item.pointer.replace(/^#/, '').split('/').slice(1).map(unescapePointer);
    if (!field) return [];
    return [{ field, index: index !== undefined && /^\d+$/.test(index) ? Number(index) : undefined, failure }];
  });
}

/** Messages by field name (several at one field joined, each once). */
export type FieldMessages = Partial<Record<string, string>>;

/**
 * The messages a form shows at its fields: `word` words one of the API's field errors as the form's field
 * appears to the user, or gives undefined for a field the form does not show.
 */
export function fieldMessagesOf(error: unknown, word: (problem: FieldProblem) => string | undefined): FieldMessages {
  const found: Record<string, string[]> = {};
  for (const problem of fieldProblemsOf(error)) {
    const message = word(problem);
    if (message === undefined) continue;
    const messages = (found[problem.field] ??= []);
    if (!messages.includes(message)) messages.push(message);
  }
  return Object.fromEntries(Object.entries(found).map(([field, messages]) => [field, messages.join(' ')]));
}

/** A Fluent Field's props for a message: marked as an error when there is one, nothing otherwise. */
export const fieldValidation = (message: string | undefined) =>
  message ? { validationState: 'error' as const, validationMessage: message } : {};

/** A refused form: the messages at its fields and one sentence for the whole (null until a refusal). */
export interface FormErrors {
  fields: FieldMessages;
  message: string | null;
}

export const NO_FORM_ERRORS: FormErrors = { fields: {}, message: null };
