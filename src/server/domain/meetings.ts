import { MAX_ENTRIES_PER_CALL } from '../../shared/limits.js';
import type { GraphDateTimeTimeZone, GraphEvent } from '../../shared/schemas/event.js';
import { InvalidRequestError, LimitExceededError } from '../errors.js';
import { checkPolicy } from './governance.js';
import {
  openableLink,
  skip,
  storedPreview,
  storedSubject,
  type LoggingContext,
  type MessagePlan,
  type NewInteraction
} from './logging.js';
import { isParticipant, matchMeeting, meetingAsMessage } from './matching.js';

/*
 * What logging a meeting from the pane means, over data already loaded: the same rules as a message, in the same
 * order (the tenant's never-log rules, the participant rule, the matching rules, the caller's scope), with the
 * meeting's pairs (domain/matching.ts). usecases/log-meeting.ts loads, calls planMeeting and saves.
 */

const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?$/;

/** A wall-clock time read as if in UTC, epoch ms; null when it names no real day or time (2026-02-30, 25:00). */
function wallClockMs(dateTime: string): number | null {
  const parts = WALL_CLOCK.exec(dateTime);
  if (!parts) return null;
  const [year, month, day, hour, minute, second] = parts.slice(1, 7).map((part) => Number(part ?? 0)) as number[];
  const milliseconds = Number((parts[7] ?? '').padEnd(3, '0').slice(0, 3));
  const ms = Date.UTC(year!, month! - 1, day!, hour!, minute!, second!, milliseconds);
  const back = new Date(ms);
  const sameDay = back.getUTCFullYear() === year && back.getUTCMonth() === month! - 1 && back.getUTCDate() === day;
  return sameDay && hour! < 24 && minute! < 60 && second! < 60 ? ms : null;
}

/** Where a zone's clocks stand against UTC at an instant, in ms (ahead is positive). */
function offsetAt(instant: number, format: Intl.DateTimeFormat): number {
  const part = Object.fromEntries(format.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  const wall = Date.UTC(+part.year!, +part.month! - 1, +part.day!, +part.hour!, +part.minute!, +part.second!);
  return wall - (instant - (((instant % 1000) + 1000) % 1000));
}

function zoneFormat(timeZone: string): Intl.DateTimeFormat | null {
  try {
    return new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric'
    });
  } catch {
    return null;
  }
}

/**
 * A Graph dateTimeTimeZone as epoch ms. The zone is "UTC" (Graph's default) or an IANA name; Windows zone names
 * (what Graph sends when asked for the mailbox's own zone) are refused, naming the field, as is a time that is
 * no real time. `pointer` is the field's place in the request body.
 */
export function meetingTime(value: GraphDateTimeTimeZone, pointer: string): number {
  const wall = wallClockMs(value.dateTime);
  if (wall === null) {
    throw new InvalidRequestError('The meeting names a time that does not exist.', [
      { location: 'body', pointer: `${pointer}/dateTime`, detail: 'must be a real date and time' }
    ]);
  }
  const format = zoneFormat(value.timeZone);
  if (!format) {
    throw new InvalidRequestError('The meeting names a time zone this server does not know.', [
      {
        location: 'body',
        pointer: `${pointer}/timeZone`,
        detail: 'must be "UTC" or an IANA time zone name (ask Graph with Prefer: outlook.timezone="UTC")'
      }
    ]);
  }
  // The zone's offset at the wall-clock time read as UTC is a first guess; taken again at the guess, it is right
  // but within an hour of a change of clocks, where Graph's own answer is ambiguous too.
  const guess = wall - offsetAt(wall, format);
  return wall - offsetAt(guess, format);
}

/** When the meeting starts, epoch ms, after checking that it does not end before it starts. */
export function meetingStart(event: GraphEvent): number {
  const start = meetingTime(event.start, '/event/start');
  const end = meetingTime(event.end, '/event/end');
  if (end < start) {
    throw new InvalidRequestError('The meeting ends before it starts.', [
      { location: 'body', pointer: '/event/end', detail: 'must not be before start' }
    ]);
  }
  return start;
}

/** The rules for one meeting logged from the pane: the entries to write, or why none. */
export function planMeeting(event: GraphEvent, context: LoggingContext): MessagePlan {
  const iCalUId = event.iCalUId.trim();
  const occurredAt = meetingStart(event);
  const asMessage = meetingAsMessage(event);
  const policy = context.policy ? checkPolicy(asMessage, context.policy) : ({ allowed: true } as const);
  if (!policy.allowed) return skip(iCalUId, policy.reason, policy.detail);
  const { caller } = context;
  if (caller && !isParticipant(asMessage, caller.addresses)) {
    return skip(
      iCalUId,
      'not-a-participant',
      'You are neither its organizer nor an attendee; only they log a meeting.'
    );
  }
  const match = matchMeeting(event, context.book);
  if (match.kind === 'skip') return skip(iCalUId, match.reason, match.detail);
  const pairs = caller ? match.pairs.filter((pair) => caller.sees(pair.salesperson.id)) : match.pairs;
  if (pairs.length === 0) {
    return skip(iCalUId, 'outside-visible-history', 'Its entries belong to histories you cannot see.');
  }
  if (pairs.length > MAX_ENTRIES_PER_CALL) {
    throw new LimitExceededError(
      'too-many-entries',
      `This meeting would make ${pairs.length.toLocaleString('en-US')} entries; one call makes at most ${MAX_ENTRIES_PER_CALL.toLocaleString('en-US')}.`
    );
  }
  const entries = pairs.map((pair): NewInteraction => {
    const id = context.newId();
    return {
      id,
      kind: 'meeting',
      // The log's message key must be unique per entry and never meet a Message-ID; iCalUId is the meeting's key.
      internetMessageId: `meeting:${id}`,
      iCalUId,
      conversationId: null,
      occurredAt,
      direction: match.direction,
      subject: storedSubject(event),
      preview: storedPreview(event),
      ...pair,
      source: context.source,
      webLink: openableLink(event.webLink),
      loggedBy: context.loggedBy,
      loggedAt: context.now
    };
  });
  return { kind: 'write', internetMessageId: iCalUId, entries };
}
