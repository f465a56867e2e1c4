/** The Microsoft Graph message properties the interaction log keeps: what every reader asks for ($select). */
export const LOGGED_MESSAGE_FIELDS = [
  'id',
  'internetMessageId',
  'conversationId',
  'subject',
  'bodyPreview',
  'webLink',
  'sentDateTime',
  'receivedDateTime',
  'isDraft',
  'from',
  'sender',
  'toRecipients',
  'ccRecipients',
  'bccRecipients'
] as const;
