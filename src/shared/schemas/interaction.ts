import { Type, type Static } from 'typebox';
import {
  MAX_ADDRESS_LENGTH,
  MAX_GRAPH_ID_LENGTH,
  MAX_NOTE_BODY_LENGTH,
  MAX_NOTE_SUBJECT_LENGTH,
  MAX_SEARCH_LENGTH,
  MAX_STATUS_IDS
} from '../limits.js';
import {
  AddressQuery,
  Closed,
  Id,
  IsoDateTime,
  ListQuery,
  PersonRef,
  RangeFrom,
  RangeTo,
  RepeatedParameter
} from './common.js';
import { GraphEvent } from './event.js';
import { GraphMessage, MAX_MESSAGES_PER_CALL } from './message.js';

export const Direction = Type.Union([Type.Literal('inbound'), Type.Literal('outbound')]);
export type Direction = Static<typeof Direction>;

export const InteractionSource = Type.Union([Type.Literal('addin'), Type.Literal('mailbox')]);
export type InteractionSource = Static<typeof InteractionSource>;

export const InteractionKind = Type.Union([Type.Literal('email'), Type.Literal('note'), Type.Literal('meeting')]);
export type InteractionKind = Static<typeof InteractionKind>;

/** [start, end) offsets, in UTF-16 code units as JavaScript counts them, of the words a search matched. */
// A pair as a two-item array, not a tuple: TypeBox writes tuples in the draft-07 form (items as an array), which
// OpenAPI 3.1 does not accept.
const Ranges = Type.Array(Type.Array(Type.Integer({ minimum: 0 }), { minItems: 2, maxItems: 2 }));

export const Highlights = Type.Object(
  { subject: Ranges, preview: Ranges, body: Type.Optional(Ranges) },
  { description: 'Where the searched words are, when the list was searched (q)' }
);
export type Highlights = Static<typeof Highlights>;

export const Interaction = Type.Object({
  id: Id,
  kind: InteractionKind,
  occurredAt: IsoDateTime,
  direction: Direction,
  subject: Type.String(),
  preview: Type.String(),
  contact: PersonRef,
  salesperson: PersonRef,
  source: InteractionSource,
  internetMessageId: Type.Union([Type.String(), Type.Null()], { description: 'null for a note or a meeting' }),
  conversationId: Type.Union([Type.String(), Type.Null()]),
  webLink: Type.Union([Type.String(), Type.Null()]),
  loggedBy: Type.Union([PersonRef, Type.Null()], { description: 'Who logged it; null when the shared mailbox did' }),
  loggedAt: IsoDateTime,
  opportunityId: Type.Union([Id, Type.Null()]),
  body: Type.Optional(Type.String({ description: "A note's whole text (its preview is the start of it)" })),
  highlights: Type.Optional(Highlights)
});
export type Interaction = Static<typeof Interaction>;

/**
 * How many of the newest matches a search ranks (issue 19): exact ranking scores every match, and a common word
 * matches a sixth of the log (seconds at a million entries). A product choice: a search finds the best of the
 * newest 2,000 matches within what it asks about (the caller's scope, contact, salesperson, dates); older ones
 * need more words or a date range. A page says `searchCapped` when the cap was reached.
 */
export const SEARCH_CANDIDATES = 2_000;

/** A page of the log; a search's pages also say whether only the newest matches were ranked. */
export const InteractionPage = Type.Object({
  items: Type.Array(Interaction),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
  searchCapped: Type.Optional(
    Type.Boolean({
      description:
        `With q: true when the words matched more than the newest ${SEARCH_CANDIDATES} entries within the ` +
        "caller's scope, the contact or salesperson and the dates asked about; the best of those newest come " +
        'first, and older matches need more words or a date range'
    })
  )
});
export type InteractionPage = Static<typeof InteractionPage>;

export const InteractionListQuery = ListQuery({
  correspondent: Type.Optional(AddressQuery('Any address of the contact')),
  contactId: Type.Optional(Id),
  salespersonId: Type.Optional(Id),
  opportunityId: Type.Optional(Id),
  conversationId: Type.Optional(
    Type.String({ minLength: 1, maxLength: MAX_GRAPH_ID_LENGTH, description: "Graph's conversation id" })
  ),
  from: Type.Optional(RangeFrom),
  to: Type.Optional(RangeTo),
  direction: Type.Optional(Direction),
  q: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: MAX_SEARCH_LENGTH,
      description:
        'Words to search for in the subject, preview, note text, contact (name, address, company) and salesperson; ' +
        'every word must match. Results come best match first, then newest, among the newest ' +
        `${SEARCH_CANDIDATES} matches within the caller's scope, the contact or salesperson and the dates asked ` +
        'about (the other filters apply to those); the page says searchCapped when there were more.'
    })
  )
});
export type InteractionListQuery = Static<typeof InteractionListQuery>;

/** Why a message was not logged; the pane turns each code into words. */
export const SkipReason = Type.Union([
  Type.Literal('no-internet-message-id'),
  Type.Literal('draft'),
  Type.Literal('no-sender'),
  Type.Literal('no-date'),
  Type.Literal('sender-not-matched'),
  Type.Literal('no-matching-recipient'),
  Type.Literal('already-logged'),
  Type.Literal('duplicate-in-request'),
  Type.Literal('never-log'),
  Type.Literal('internal-only'),
  // Logged from the pane by someone who is not on the message.
  Type.Literal('not-a-participant'),
  // Logged from the pane, but every entry would land in a history the caller cannot see.
  Type.Literal('outside-visible-history'),
  // Marked "Private — never log" in compose (the X-Interaction-Log: private header).
  Type.Literal('marked-private')
]);
export type SkipReason = Static<typeof SkipReason>;

export const LogThreadBody = Closed({
  messages: Type.Array(GraphMessage, { minItems: 1, maxItems: MAX_MESSAGES_PER_CALL }),
  sharedMailbox: Type.Optional(
    Type.String({
      format: 'email',
      maxLength: MAX_ADDRESS_LENGTH,
      description:
        "The owner of the shared or delegated mailbox the messages were read from (Office's shared properties): " +
        "an address of the organization, not a contact; a salesperson's own mailbox only if the caller sees their " +
        'history. Messages then need that owner, or the caller, among their participants.'
    })
  )
});
export type LogThreadBody = Static<typeof LogThreadBody>;

export const SkippedMessage = Type.Object({
  internetMessageId: Type.Union([Type.String(), Type.Null()]),
  reason: SkipReason,
  detail: Type.String()
});
export type SkippedMessage = Static<typeof SkippedMessage>;

/** Why a message marked with an opportunity (X-Interaction-Log-Opportunity) was logged without the link. */
export const NotLinkedReason = Type.Union([
  Type.Literal('opportunity-not-found'),
  Type.Literal('opportunity-closed'),
  Type.Literal('sender-may-not-link'),
  Type.Literal('other-contact')
]);
export type NotLinkedReason = Static<typeof NotLinkedReason>;

export const NotLinkedMessage = Type.Object({
  internetMessageId: Type.String(),
  opportunityId: Type.String(),
  reason: NotLinkedReason,
  detail: Type.String()
});
export type NotLinkedMessage = Static<typeof NotLinkedMessage>;

export const LogThreadResult = Type.Object({
  logged: Type.Array(Interaction),
  skipped: Type.Array(SkippedMessage),
  /** Messages marked with an opportunity whose entries (some or all) were logged without the link, and why. */
  notLinked: Type.Optional(Type.Array(NotLinkedMessage))
});
export type LogThreadResult = Static<typeof LogThreadResult>;

export const LogMeetingBody = Type.Object({ event: GraphEvent }, { additionalProperties: false });
export type LogMeetingBody = Static<typeof LogMeetingBody>;

export { MAX_STATUS_IDS };

export const StatusQuery = Closed({
  internetMessageId: RepeatedParameter(MAX_GRAPH_ID_LENGTH, MAX_STATUS_IDS, 'Repeat the parameter for several messages')
});
export type StatusQuery = Static<typeof StatusQuery>;

export const MessageStatus = Type.Object({
  internetMessageId: Type.String(),
  logged: Type.Boolean(),
  loggedBy: Type.Union([PersonRef, Type.Null()]),
  loggedAt: Type.Union([IsoDateTime, Type.Null()])
});
export type MessageStatus = Static<typeof MessageStatus>;

export const StatusResult = Type.Object({ items: Type.Array(MessageStatus) });
export type StatusResult = Static<typeof StatusResult>;

export const NoteBody = Closed({
  contactId: Id,
  subject: Type.String({ minLength: 1, maxLength: MAX_NOTE_SUBJECT_LENGTH }),
  body: Type.String({ maxLength: MAX_NOTE_BODY_LENGTH }),
  occurredAt: Type.Optional(IsoDateTime)
});
export type NoteBody = Static<typeof NoteBody>;
