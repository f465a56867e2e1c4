import { normalizeEmail } from '../../shared/email.js';
import type { Direction, SkipReason } from '../../shared/schemas/interaction.js';
import type { GraphMessage } from '../../shared/schemas/message.js';
import { senderAddress, type AddressBook } from './matching.js';

/*
 * Capture health, as pure rules: what the processor notes of each message it files (direction, salesperson,
 * the outside party), which not-logged messages a new contact would log (the unmatched queue), and when one
 * direction of mail has gone quiet while the other still flows (a broken mail-flow rule).
 *
 * Business hours are Monday to Friday, 08:00 to 18:00 UTC: the tenant has no time zone setting, and a few
 * hours' offset only moves the alert by as much.
 */

export interface CaptureFacts {
  direction: Direction | null;
  salespersonId: string | null;
  externalAddress: string | null;
}

const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1);

function toAndCc(message: GraphMessage): string[] {
  const all = [...(message.toRecipients ?? []), ...(message.ccRecipients ?? [])].map((r) =>
    normalizeEmail(r.emailAddress?.address)
  );
  return [...new Set(all.filter((a): a is string => a !== null))];
}

/**
 * Which way a message went, the mail-flow rules' way: sent from inside the organization (a salesperson, or an
 * address at one of its domains) is outbound, anything else inbound. The salesperson is the sender of an outbound
 * message, the first salesperson among an inbound one's To and Cc; the outside party is the inbound sender, or
 * the first To or Cc outside the organization.
 */
export function captureFacts(message: GraphMessage, book: AddressBook, organizationDomains: string[]): CaptureFacts {
  const sender = senderAddress(message);
  const internal = new Set(organizationDomains.map((d) => d.toLowerCase()));
  const isInside = (address: string) => internal.has(domainOf(address)) || book.salespeople.has(address);
  const recipients = toAndCc(message);
  if (sender === null) return { direction: null, salespersonId: null, externalAddress: null };
  if (isInside(sender)) {
    return {
      direction: 'outbound',
      salespersonId: book.salespeople.get(sender)?.id ?? null,
      externalAddress: recipients.find((address) => !isInside(address)) ?? null
    };
  }
  const salesperson = recipients.map((address) => book.salespeople.get(address)).find(Boolean);
  return { direction: 'inbound', salespersonId: salesperson?.id ?? null, externalAddress: sender };
}

/**
 * Not logged because no contact matched the outside party, in the one case where adding that contact logs it: an
 * inbound message from an unknown sender, or an outbound one to no known contact.
 */
export const UNMATCHED: ReadonlyArray<{ reason: SkipReason; direction: Direction }> = [
  { reason: 'sender-not-matched', direction: 'inbound' },
  { reason: 'no-matching-recipient', direction: 'outbound' }
];

/** One group of a tenant's processed messages, as the store counts them. */
export interface CaptureCount {
  /** Days since the epoch, UTC, of the message's received time. */
  day: number;
  salespersonId: string | null;
  direction: Direction | null;
  /** 'logged', 'not-logged', or a failing, quarantined or returned state. */
  status: string;
  reason: string | null;
  count: number;
}

export interface CaptureRow {
  day: string;
  salespersonId: string | null;
  direction: Direction | null;
  seen: number;
  logged: number;
  notLogged: Record<string, number>;
  /** Seen but neither logged nor filed as not logged yet: failing, in quarantine, or sent back to the Inbox. */
  pending: number;
}

export const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** The report's rows, per day × salesperson × direction, oldest day first, then by salesperson id and direction. */
export function captureRows(counts: readonly CaptureCount[]): CaptureRow[] {
  const rows = new Map<string, CaptureRow>();
  for (const count of counts) {
    const key = `${count.day}|${count.salespersonId ?? ''}|${count.direction ?? ''}`;
    let row = rows.get(key);
    if (!row) {
      const day = new Date(count.day * DAY_MS).toISOString().slice(0, 10);
      row = {
        day,
        salespersonId: count.salespersonId,
        direction: count.direction,
        seen: 0,
        logged: 0,
        notLogged: {},
        pending: 0
      };
      rows.set(key, row);
    }
    row.seen += count.count;
    if (count.status === 'logged') row.logged += count.count;
    else if (count.status === 'not-logged') {
      const reason = count.reason ?? 'unknown';
      row.notLogged[reason] = (row.notLogged[reason] ?? 0) + count.count;
    } else row.pending += count.count;
  }
  const order = (row: CaptureRow) => `${row.day}|${row.salespersonId ?? '~'}|${row.direction ?? '~'}`;
  return [...rows.values()].sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
}

/** The instant `hours` business hours before `now` (Mon–Fri 08:00–18:00 UTC). */
export function businessHoursBefore(now: number, hours: number): number {
  let remaining = hours * HOUR_MS;
  let t = now;
  // Each pass steps back one day; a week holds 50 business hours, so 168 hours take at most 25 days.
  for (let pass = 0; remaining > 0 && pass < 400; pass += 1) {
    const dayStart = Math.floor((t - 1) / DAY_MS) * DAY_MS;
    const weekday = new Date(dayStart).getUTCDay();
    if (weekday !== 0 && weekday !== 6) {
      const open = dayStart + 8 * HOUR_MS;
      const end = Math.min(t, dayStart + 18 * HOUR_MS);
      if (end > open) {
        const taken = Math.min(remaining, end - open);
        remaining -= taken;
        if (remaining === 0) return end - taken;
      }
    }
    t = dayStart;
  }
  return t;
}

/**
 * The direction that saw nothing since `since` while the other saw mail — what a broken or disabled mail-flow rule
 * looks like; null when both flow, or both are quiet (no mail, or the processor is behind).
 */
export function quietDirection(seenSince: Readonly<Record<Direction, number>>): Direction | null {
  if (seenSince.inbound === 0 && seenSince.outbound > 0) return 'inbound';
  if (seenSince.outbound === 0 && seenSince.inbound > 0) return 'outbound';
  return null;
}
