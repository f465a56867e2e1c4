import type { GraphEvent } from '../../shared/schemas/event.js';
import type { MailItem, Participant } from '../office/types.js';

/*
 * The open calendar item as Graph's event shape, which log-meeting takes: the times in UTC, the organizer (the user
 * on their own form when Outlook cannot say, before Mailbox 1.7) and the required and optional attendees.
 */

/** An ISO 8601 UTC time as Graph's dateTimeTimeZone. */
const inUtc = (iso: string) => ({ dateTime: iso.replace(/Z$/, ''), timeZone: 'UTC' });

const person = (participant: Participant) => ({
  emailAddress: { name: participant.name, address: participant.email }
});

export function meetingEvent(item: MailItem, iCalUId: string, user: Participant): GraphEvent | null {
  if (!item.meeting) return null;
  const organizer = item.from ?? (item.mode === 'compose' ? user : null);
  return {
    iCalUId,
    subject: item.subject,
    start: inUtc(item.meeting.start),
    end: inUtc(item.meeting.end),
    organizer: organizer && person(organizer),
    attendees: [
      ...item.to.map((p) => ({ type: 'required' as const, ...person(p) })),
      ...item.cc.map((p) => ({ type: 'optional' as const, ...person(p) }))
    ]
  };
}
