import { NOTE_MAX_AGE_DAYS, NOTE_MAX_AHEAD_DAYS } from '../../shared/limits.js';
import type { PersonRef } from '../../shared/schemas/common.js';
import type { NoteBody } from '../../shared/schemas/interaction.js';
import { InvalidRequestError } from '../errors.js';
import type { NewInteraction } from './logging.js';

/*
 * A note: something that happened with a contact outside logged mail (a call, a meeting held elsewhere). It is
 * an entry of the log of its own kind, written by the caller as its salesperson, from the pane.
 */

const DAY_MS = 86_400_000;
/** As long as Graph's bodyPreview, which an email's preview is. */
export const NOTE_PREVIEW_LENGTH = 255;

/** The note's text as its preview: the start of it, on one line. */
export function notePreview(body: string): string {
  const line = body.replace(/\s+/g, ' ').trim();
  return line.length <= NOTE_PREVIEW_LENGTH ? line : `${line.slice(0, NOTE_PREVIEW_LENGTH - 1)}…`;
}

/** When the note says it happened, epoch ms: now unless given, and then within the bounds. */
function occurredAtOf(input: NoteBody, now: number): number {
  if (input.occurredAt === undefined) return now;
  const at = Date.parse(input.occurredAt);
  const earliest = now - NOTE_MAX_AGE_DAYS * DAY_MS;
  const latest = now + NOTE_MAX_AHEAD_DAYS * DAY_MS;
  if (!(at >= earliest && at <= latest)) {
    throw new InvalidRequestError('A note must be dated within the last ten years, and not later than tomorrow.', [
      {
        location: 'body',
        pointer: '/occurredAt',
        detail: `must be between ${new Date(earliest).toISOString()} and ${new Date(latest).toISOString()}`
      }
    ]);
  }
  return at;
}

/** What a note says once checked: a subject that is more than blanks, a date within the bounds. */
export interface CheckedNote {
  subject: string;
  body: string;
  occurredAt: number;
}

export function checkNote(input: NoteBody, now: number): CheckedNote {
  const subject = input.subject.trim();
  if (subject === '') {
    throw new InvalidRequestError('A note needs a subject.', [
      { location: 'body', pointer: '/subject', detail: 'must not be blank' }
    ]);
  }
  return { subject, body: input.body.trim(), occurredAt: occurredAtOf(input, now) };
}

/** The entry a note makes: the caller's own, about the contact, written now. */
export function noteEntry(
  note: CheckedNote,
  contact: PersonRef,
  me: PersonRef,
  made: { id: string; now: number }
): NewInteraction {
  return {
    id: made.id,
    kind: 'note',
    internetMessageId: `note:${made.id}`,
    conversationId: null,
    occurredAt: note.occurredAt,
    direction: 'outbound',
    subject: note.subject,
    preview: notePreview(note.body),
    body: note.body,
    contact,
    salesperson: me,
    source: 'addin',
    webLink: null,
    loggedBy: me,
    loggedAt: made.now
  };
}
