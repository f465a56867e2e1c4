import { Type, type Static } from 'typebox';

/*
 * Messages travel in Microsoft Graph's message shape, so the pane and the mailbox processor hand over
 * exactly what Graph gave them. Graph objects carry many more properties (`id`, `@odata.etag`, `body`,
 * ...): those are accepted and ignored, because only the fields below are ever read. Fields Graph may
 * leave null (drafts, system messages) are nullable here; the matching rules decide what to skip.
 */

const NullableString = (maxLength: number) => Type.Union([Type.String({ maxLength }), Type.Null()]);

export const GraphEmailAddress = Type.Object({
  name: Type.Optional(NullableString(1000)),
  address: Type.Optional(NullableString(1000))
});

export const GraphRecipient = Type.Object({
  emailAddress: Type.Optional(Type.Union([GraphEmailAddress, Type.Null()]))
});
export type GraphRecipient = Static<typeof GraphRecipient>;

const Recipients = Type.Optional(Type.Union([Type.Array(GraphRecipient, { maxItems: 1000 }), Type.Null()]));

export const GraphMessage = Type.Object({
  internetMessageId: Type.Optional(NullableString(1000)),
  conversationId: Type.Optional(NullableString(1000)),
  subject: Type.Optional(NullableString(10_000)),
  bodyPreview: Type.Optional(NullableString(10_000)),
  webLink: Type.Optional(NullableString(4000)),
  sentDateTime: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
  receivedDateTime: Type.Optional(Type.Union([Type.String({ format: 'date-time' }), Type.Null()])),
  isDraft: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
  from: Type.Optional(Type.Union([GraphRecipient, Type.Null()])),
  sender: Type.Optional(Type.Union([GraphRecipient, Type.Null()])),
  toRecipients: Recipients,
  ccRecipients: Recipients,
  // Graph gives Bcc recipients on the sender's own copy; they count as participants, never for matching.
  bccRecipients: Recipients
});
export type GraphMessage = Static<typeof GraphMessage>;

export { MAX_MESSAGES_PER_CALL } from '../limits.js';
