import { Type, type Static } from 'typebox';
import { MAX_GRAPH_ID_LENGTH } from '../limits.js';
import { GraphEmailAddress, GraphRecipient } from './message.js';

/*
 * Meetings travel in Microsoft Graph's event shape (the event resource of Graph v1.0), so the pane hands over what
 * Graph or Outlook gave it. As for messages, Graph's other properties (`id`, `body`, `location`, ...) are accepted
 * and ignored; only the fields below are read. `iCalUId` names the meeting across calendars (each occurrence of a
 * series has its own), so every attendee who logs it names the same one.
 */

const NullableString = (maxLength: number) => Type.Union([Type.String({ maxLength }), Type.Null()]);

/**
 * Graph's dateTimeTimeZone: a wall-clock time (no offset, up to seven fractional digits) and the zone it is read
 * in. Graph answers in UTC unless asked otherwise (Prefer: outlook.timezone); an IANA zone name is read too.
 */
export const GraphDateTimeTimeZone = Type.Object({
  dateTime: Type.String({
    pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,7})?)?$',
    description: 'Wall-clock time without offset, e.g. 2026-12-06T10:00:00.0000000'
  }),
  timeZone: Type.String({ minLength: 1, maxLength: 100, description: '"UTC" or an IANA time zone name' })
});
export type GraphDateTimeTimeZone = Static<typeof GraphDateTimeTimeZone>;

export const GraphAttendee = Type.Object({
  type: Type.Optional(
    Type.Union([Type.Literal('required'), Type.Literal('optional'), Type.Literal('resource'), Type.Null()])
  ),
  // Graph's responseStatus; accepted, never read: an attendee who has not answered was still invited.
  status: Type.Optional(Type.Union([Type.Object({}), Type.Null()])),
  emailAddress: Type.Optional(Type.Union([GraphEmailAddress, Type.Null()]))
});
export type GraphAttendee = Static<typeof GraphAttendee>;

export const GraphEvent = Type.Object({
  iCalUId: Type.String({ minLength: 1, maxLength: MAX_GRAPH_ID_LENGTH }),
  subject: Type.Optional(NullableString(10_000)),
  bodyPreview: Type.Optional(NullableString(10_000)),
  webLink: Type.Optional(NullableString(4000)),
  start: GraphDateTimeTimeZone,
  end: GraphDateTimeTimeZone,
  organizer: Type.Optional(Type.Union([GraphRecipient, Type.Null()])),
  attendees: Type.Optional(Type.Union([Type.Array(GraphAttendee, { maxItems: 1000 }), Type.Null()]))
});
export type GraphEvent = Static<typeof GraphEvent>;
