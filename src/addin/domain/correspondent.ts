import { normalizeEmail } from '../../shared/email.js';
import type { MailItem, Participant } from '../office/types.js';

/*
 * Who is "on the other side" of the open message. In read mode: the sender when external, otherwise the
 * first external To/Cc recipient. In compose mode: the first external recipient. External means another
 * domain than the signed-in user's. The user can switch to any other participant.
 */

const domainOf = (email: string) => normalizeEmail(email)?.split('@')[1] ?? null;

/** Everyone on the message except the user, once each, sender first. */
export function participantsOf(item: MailItem, user: Participant): Participant[] {
  const me = normalizeEmail(user.email);
  const seen = new Set<string>();
  const result: Participant[] = [];
  for (const person of [...(item.from ? [item.from] : []), ...item.to, ...item.cc]) {
    const key = normalizeEmail(person.email);
    if (key === null || key === me || seen.has(key)) continue;
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
  const people = participantsOf(item, user);
  const external = people.filter((person) => isExternal(person, user));
  return external[0] ?? null;
}
