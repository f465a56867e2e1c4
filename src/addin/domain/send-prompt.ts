import { normalizeEmail } from '../../shared/email.js';
import type { MessageMarks } from '../../shared/message-marks.js';
import type { SendCheck } from '../../shared/schemas/compose.js';
import type { Participant } from '../office/types.js';

/*
 * The send-time prompt (Outlook Smart Alerts, OnMessageSend, "prompt user" send mode): when a message goes to
 * someone with an open opportunity and carries no mark yet, ask once whether to link it. Outlook gives a send
 * handler about 5 seconds
 * (https://learn.microsoft.com/office/dev/add-ins/outlook/onmessagesend-onappointmentsend-events); this one makes
 * at most one network call (the cached send-check lookup, bounded by LOOKUP_BUDGET_MS) and lets the message go
 * unchanged on any error.
 *
 * Smart Alerts' prompt has two buttons, "Send Anyway" and "Don't Send". So the handler stamps the link first and
 * says so: "Send Anyway" sends it linked (yes); "Don't Send" goes back to the message, where the pane's compose
 * choices show the link to keep or clear. The next Send finds the mark and does not ask again.
 */

// Well within Outlook's budget, and short enough that a slow lookup never holds a Send for a second.
export const LOOKUP_BUDGET_MS = 800;

export interface SendMessage {
  recipients(): Promise<Participant[]>;
  marks(): Promise<MessageMarks>;
  stamp(marks: MessageMarks): Promise<void>;
}

export type SendOutcome = { allow: true } | { allow: false; prompt: string };

export type SendLookup = (recipients: string[]) => Promise<SendCheck>;

/** The lookup, remembered per set of recipients for `ttlMs`: a second Send of the same message costs nothing. */
export function cachedLookup(lookup: SendLookup, ttlMs = 5 * 60_000, now = Date.now): SendLookup {
  const cache = new Map<string, { at: number; answer: Promise<SendCheck> }>();
  return (recipients) => {
    const key = [...recipients].sort().join('\n');
    const hit = cache.get(key);
    if (hit && now() - hit.at < ttlMs) return hit.answer;
    const answer = lookup(recipients);
    cache.set(key, { at: now(), answer });
    answer.catch(() => cache.delete(key)); // a failure is not remembered
    return answer;
  };
}

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`No answer within ${ms} ms.`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    );
  });
}

/**
 * What to do with a Send. `promptText` words the question for one opportunity; `user` is the sender, whose
 * own organization's addresses are not looked up.
 */
export async function decideAtSend(
  message: SendMessage,
  lookup: SendLookup,
  user: Participant,
  promptText: (opportunity: { company: string; description: string }) => string,
  budgetMs = LOOKUP_BUDGET_MS
): Promise<SendOutcome> {
  try {
    const marks = await message.marks();
    if (marks.private || marks.opportunityId) return { allow: true }; // already decided in compose
    const ownDomain = normalizeEmail(user.email)?.split('@')[1];
    const outside = [
      ...new Set(
        (await message.recipients())
          .map((p) => normalizeEmail(p.email))
          .filter((address): address is string => address !== null && address.split('@')[1] !== ownDomain)
      )
    ];
    if (outside.length === 0) return { allow: true };
    const answer = await within(lookup(outside), budgetMs);
    const [first] = answer.opportunities;
    if (!answer.prompt || !first) return { allow: true };
    await message.stamp({ private: false, opportunityId: first.id });
    return {
      allow: false,
      prompt: promptText({ company: first.company ?? first.contactName, description: first.description })
    };
  } catch {
    return { allow: true }; // never hold a message back because of the log
  }
}
