import { normalizeEmail } from '../../shared/email.js';
import type { MailItem, Participant } from '../office/types.js';

/*
 * Who is "on the other side" of the open message. In read mode: the sender when external, otherwise the
 * first external To/Cc recipient. In compose mode: the first external recipient. External means another
 * domain than our side's. The user can switch to any other participant.
 * Our side is the signed-in user, or on a message in a shared folder or shared mailbox (sales@) its owner: there the
 * owner is the one written to, and the user only works the mailbox (issue 21).
 */

const domainOf = (email: string) => normalizeEmail(email)?.split('@')[1] ?? null;

/** Whose side the open item is on: the shared mailbox's owner for an item in one, else the user. */
export function ourSide(item: MailItem, user: Participant): Participant {
  return item.sharedOwner ? { name: item.sharedOwner, email: item.sharedOwner } : user;
}

/** Everyone on the message except the user and the shared mailbox it is in, once each, sender first. */
export function participantsOf(item: MailItem, user: Participant): Participant[] {
  const seen = new Set([user.email, ourSide(item, user).email].map(normalizeEmail));
  const result: Participant[] = [];
  for (const person of [...(item.from ? [item.from] : []), ...item.to, ...item.cc]) {
    const key = normalizeEmail(person.email);
    if (key === null || seen.has(key)) continue;
    seen.add(key);
    result.push({ name: person.name || person.email, email: person.email.trim() });
  }
  return result;
}

export function isExternal(person: Participant, user: Participant): boolean {
  const ours = domainOf(user.email);
  const theirs = domainOf(person.email);
  return theirs !== null && theirs !== ours;
}

export function pickCorrespondent(item: MailItem, user: Participant): Participant | null {
  const side = ourSide(item, user);
  return participantsOf(item, user).find((person) => isExternal(person, side)) ?? null;
}
