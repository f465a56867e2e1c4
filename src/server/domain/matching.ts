import { normalizeEmail } from '../../shared/email.js';
import type { PersonRef } from '../../shared/schemas/common.js';
import type { GraphEvent } from '../../shared/schemas/event.js';
import type { Direction, SkipReason } from '../../shared/schemas/interaction.js';
import type { GraphMessage, GraphRecipient } from '../../shared/schemas/message.js';

/*
 * The matching rules, the one place that decides what a message means for the interaction log. The pane's
 * "Log this thread" and the shared-mailbox processor both come through here.
 *
 * - The sender is `from`, else `sender`. A salesperson sender makes the message outbound, and each To/Cc
 *   address that belongs to a contact (primary or alternate address) gives one entry.
 * - A contact sender makes it inbound, and each To/Cc address of a salesperson gives one entry.
 * - Addresses compare trimmed and case-insensitively; display names are ignored.
 * - One entry per (message, contact, salesperson); the store's unique key enforces it across calls.
 *
 * A meeting (Graph's event) is read as a message from its organizer to its attendees (rooms and other resources
 * left out), so the same addresses match the same people and the same never-log and participant rules apply. But
 * everyone at a meeting meets everyone: each contact there pairs with each salesperson there, whoever organized it
 * (outbound when a salesperson did, else inbound). One entry per (meeting's iCalUId, contact, salesperson).
 */

export interface AddressBook {
  salespeople: ReadonlyMap<string, PersonRef>;
  contacts: ReadonlyMap<string, PersonRef>;
}

export interface MatchedPair {
  contact: PersonRef;
  salesperson: PersonRef;
}

export type MatchResult =
  | { kind: 'log'; internetMessageId: string; direction: Direction; occurredAt: number; pairs: MatchedPair[] }
  | { kind: 'skip'; reason: SkipReason; detail: string };

const addressOf = (recipient: GraphRecipient | null | undefined) => normalizeEmail(recipient?.emailAddress?.address);

export function senderAddress(message: GraphMessage): string | null {
  return addressOf(message.from) ?? addressOf(message.sender);
}

function recipientAddresses(message: GraphMessage): string[] {
  const all = [...(message.toRecipients ?? []), ...(message.ccRecipients ?? [])].map(addressOf);
  return [...new Set(all.filter((a): a is string => a !== null))];
}

/**
 * Everyone on the message: `from` and `sender` (a delegate sends for someone else), To, Cc and Bcc. Who may log a
 * message from the pane is decided on these; the matching rules themselves use only the sender and To/Cc.
 */
function everyParticipant(message: GraphMessage): Set<string> {
  const all = [
    message.from,
    message.sender,
    ...(message.toRecipients ?? []),
    ...(message.ccRecipients ?? []),
    ...(message.bccRecipients ?? [])
  ].map(addressOf);
  return new Set(all.filter((a): a is string => a !== null));
}

/** Whether one of `addresses` (the caller's own) is among the message's participants: who may log it. */
export function isParticipant(message: GraphMessage, addresses: ReadonlySet<string>): boolean {
  for (const address of everyParticipant(message)) if (addresses.has(address)) return true;
  return false;
}

/** Every address the rules may look up for this message, so a batch resolves them in one query. */
export function participantAddresses(message: GraphMessage): string[] {
  const sender = senderAddress(message);
  return sender === null ? recipientAddresses(message) : [sender, ...recipientAddresses(message)];
}

function timeOf(value: string | null | undefined): number | null {
  if (!value) return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : ms;
}

export function matchMessage(message: GraphMessage, book: AddressBook): MatchResult {
  const internetMessageId = message.internetMessageId?.trim();
  if (!internetMessageId) {
    return { kind: 'skip', reason: 'no-internet-message-id', detail: 'The message has no Internet message ID.' };
  }
  if (message.isDraft === true) {
    return { kind: 'skip', reason: 'draft', detail: 'Drafts are not logged until they are sent.' };
  }
  const sender = senderAddress(message);
  if (sender === null) {
    return { kind: 'skip', reason: 'no-sender', detail: 'The message has no sender address.' };
  }

  const fromSalesperson = book.salespeople.get(sender);
  const fromContact = fromSalesperson ? undefined : book.contacts.get(sender);
  if (!fromSalesperson && !fromContact) {
    return {
      kind: 'skip',
      reason: 'sender-not-matched',
      detail: `The sender ${sender} is neither a salesperson nor a contact.`
    };
  }

  const direction: Direction = fromSalesperson ? 'outbound' : 'inbound';
  const sent = timeOf(message.sentDateTime);
  const received = timeOf(message.receivedDateTime);
  const occurredAt = direction === 'outbound' ? (sent ?? received) : (received ?? sent);
  if (occurredAt === null) {
    return { kind: 'skip', reason: 'no-date', detail: 'The message has neither a sent nor a received time.' };
  }

  const pairs = new Map<string, MatchedPair>();
  for (const address of recipientAddresses(message)) {
    if (fromSalesperson) {
      const contact = book.contacts.get(address);
      if (contact) pairs.set(`${contact.id}|${fromSalesperson.id}`, { contact, salesperson: fromSalesperson });
    } else if (fromContact) {
      const salesperson = book.salespeople.get(address);
      if (salesperson) pairs.set(`${fromContact.id}|${salesperson.id}`, { contact: fromContact, salesperson });
    }
  }
  if (pairs.size === 0) {
    return {
      kind: 'skip',
      reason: 'no-matching-recipient',
      detail: fromSalesperson
        ? 'Sent by a salesperson, but no To or Cc recipient is a contact.'
        : 'Sent by a contact, but no To or Cc recipient is a salesperson.'
    };
  }
  return { kind: 'log', internetMessageId, direction, occurredAt, pairs: [...pairs.values()] };
}

/** A meeting as the message rules see its people: sent by its organizer to its attendees but resources. */
export function meetingAsMessage(event: GraphEvent): GraphMessage {
  const people = (event.attendees ?? []).filter((attendee) => attendee.type !== 'resource');
  return {
    from: event.organizer ?? null,
    toRecipients: people.map((attendee) => ({ emailAddress: attendee.emailAddress ?? null }))
  };
}

export type MeetingMatch =
  { kind: 'log'; direction: Direction; pairs: MatchedPair[] } | { kind: 'skip'; reason: SkipReason; detail: string };

/** Who met whom at a meeting: each contact there with each salesperson there. */
export function matchMeeting(event: GraphEvent, book: AddressBook): MeetingMatch {
  const salespeople = new Map<string, PersonRef>();
  const contacts = new Map<string, PersonRef>();
  for (const address of participantAddresses(meetingAsMessage(event))) {
    const salesperson = book.salespeople.get(address);
    const contact = salesperson ? undefined : book.contacts.get(address);
    if (salesperson) salespeople.set(salesperson.id, salesperson);
    else if (contact) contacts.set(contact.id, contact);
  }
  if (salespeople.size === 0 || contacts.size === 0) {
    return {
      kind: 'skip',
      reason: 'no-matching-recipient',
      detail: salespeople.size === 0 ? 'No one at the meeting is a salesperson.' : 'No one at the meeting is a contact.'
    };
  }
  const organizer = addressOf(event.organizer);
  const direction: Direction = organizer !== null && book.salespeople.has(organizer) ? 'outbound' : 'inbound';
  const pairs = [...contacts.values()].flatMap((contact) =>
    [...salespeople.values()].map((salesperson) => ({ contact, salesperson }))
  );
  return { kind: 'log', direction, pairs };
}
