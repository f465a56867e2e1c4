import { ApiError } from '../../api/client.js';

/*
 * A rejected request's problem document, turned into messages per form field: each error's JSON pointer
 * names the field (its first segment) and, for lists, the item (its second). Each form words the messages
 * itself, as its fields appear to the user (the API's details are English and speak of its own names).
 */

export interface FieldErrors {
  fields: Record<string, string[]>;
  /** The problem's detail, or the error's message. */
  summary: string | null;
}

export const NO_ERRORS: FieldErrors = { fields: {}, summary: null };

const unescapePointer = (segment: string) => segment.replace(/~1/g, '/').replace(/~0/g, '~');

/** One error the API reported: the field its pointer names, the list item if any, the API's own words. */
export interface FieldProblem {
  field: string;
  index: number | undefined;
  detail: string;
}

/** `word` gives the message shown at the field for one of the API's errors. */
export function fieldErrorsOf(error: unknown, word: (problem: FieldProblem) => string): FieldErrors {
  if (!(error instanceof ApiError))
    return { fields: {}, summary: error instanceof Error ? error.message : String(error) };
  const fields: Record<string, string[]> = {};
  for (const item of error.problem?.errors ?? []) {
    // Pointers are sent as URI fragments ("#/field/2") or plain ("/field/2").
    const [field = '', index] = item.pointer.replace(/^#/, '').split('/').slice(1).map(unescapePointer);
    if (!field) continue;
    const message = word({
      field,
      index: index !== undefined && /^\d+$/.test(index) ? Number(index) : undefined,
      detail: item.detail
    });
    if (!(fields[field] ??= []).includes(message)) fields[field].push(message);
  }
  return { fields, summary: error.problem?.detail ?? error.message };
}

/** The messages for one field, or undefined (Fluent's Field shows nothing then). */
export const messageFor = (errors: FieldErrors, field: string): string | undefined => errors.fields[field]?.join(' ');
