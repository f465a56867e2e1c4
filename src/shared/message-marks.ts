import type { GraphMessage } from './schemas/message.js';

/*
 * Marks a salesperson sets on a message in compose. They travel with the message as internet headers (Office.js
 * `item.internetHeaders.setAsync`, Mailbox 1.8), so the shared mailbox's BCC copy carries them to the processor,
 * and Graph gives them back as `internetMessageHeaders` ($select only). Header names compare case-insensitively
 * (RFC 5322 section 1.2.2); Outlook requires custom headers to start with "X-".
 */

/** `X-Interaction-Log: private`: the message is never logged (skip reason `marked-private`). */
export const PRIVATE_HEADER = 'X-Interaction-Log';
export const PRIVATE_VALUE = 'private';
/** `X-Interaction-Log-Opportunity: <opportunity id>`: its entries are linked to that opportunity. */
export const OPPORTUNITY_HEADER = 'X-Interaction-Log-Opportunity';

export interface MessageMarks {
  private: boolean;
  opportunityId: string | null;
}

type HeaderList = GraphMessage['internetMessageHeaders'];

function headerValue(headers: HeaderList, name: string): string | null {
  const wanted = name.toLowerCase();
  for (const header of headers ?? []) {
    if (header.name?.trim().toLowerCase() === wanted) {
      const value = header.value?.trim();
      if (value) return value;
    }
  }
  return null;
}

/** The marks a message carries in its internet headers; none when Graph gave no headers. */
export function marksOf(message: Pick<GraphMessage, 'internetMessageHeaders'>): MessageMarks {
  const headers = message.internetMessageHeaders;
  return {
    private: headerValue(headers, PRIVATE_HEADER)?.toLowerCase() === PRIVATE_VALUE,
    opportunityId: headerValue(headers, OPPORTUNITY_HEADER)
  };
}

export const NO_MARKS: MessageMarks = { private: false, opportunityId: null };

/** Marks from a header dictionary, as Office.js `internetHeaders.getAsync` answers. */
export const marksOfHeaderRecord = (headers: Readonly<Record<string, string>>): MessageMarks =>
  marksOf({ internetMessageHeaders: Object.entries(headers).map(([name, value]) => ({ name, value })) });

/** What to stamp for `marks`: the headers to set and those to remove (a mark taken back). */
export function headersFor(marks: MessageMarks): { set: Record<string, string>; remove: string[] } {
  const set: Record<string, string> = {};
  const remove: string[] = [];
  if (marks.private) set[PRIVATE_HEADER] = PRIVATE_VALUE;
  else remove.push(PRIVATE_HEADER);
  if (marks.opportunityId) set[OPPORTUNITY_HEADER] = marks.opportunityId;
  else remove.push(OPPORTUNITY_HEADER);
  return { set, remove };
}
