import { ApiError } from '../../api/client.js';

/*
 * A rejected request's problem document, turned into messages per form field: each error's JSON pointer
 * names the field (its first segment) and, for lists, the item (its second). Whatever names no field is the
 * form's own message.
 */

export interface FieldErrors {
  fields: Record<string, string[]>;
  /** The problem's detail, or the error's message. */
  summary: string | null;
}

export const NO_ERRORS: FieldErrors = { fields: {}, summary: null };

const unescapePointer = (segment: string) => segment.replace(/~1/g, '/').replace(/~0/g, '~');

/** `describeItem` words an error about the n-th item of a list field (e.g. "Line 3: …"). */
export function fieldErrorsOf(error: unknown, describeItem: (index: number, detail: string) => string): FieldErrors {
  if (!(error instanceof ApiError))
    return { fields: {}, summary: error instanceof Error ? error.message : String(error) };
  const fields: Record<string, string[]> = {};
  for (const item of error.problem?.errors ?? []) {
    const [field = '', index] = item.pointer.split('/').slice(1).map(unescapePointer);
    if (!field) continue;
    const detail = index !== undefined && /^\d+$/.test(index) ? describeItem(Number(index), item.detail) : item.detail;
    (fields[field] ??= []).push(detail);
  }
  return { fields, summary: error.problem?.detail ?? error.message };
}

/** The messages for one field, or undefined (Fluent's Field shows nothing then). */
export const messageFor = (errors: FieldErrors, field: string): string | undefined => errors.fields[field]?.join(' ');
