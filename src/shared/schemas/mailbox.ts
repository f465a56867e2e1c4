import { Type, type Static } from 'typebox';
import { MAX_NAME_LENGTH } from '../limits.js';
import {
  Changes,
  Closed,
  EmailAddress,
  IsoDate,
  IsoDateTime,
  ListQuery,
  Name,
  Page,
  RangeFrom,
  RangeTo
} from './common.js';
import { Contact } from './directory.js';
import { Direction } from './interaction.js';

/* The admin API of automatic logging: settings, runs, quarantine. */

/** Not blank: a folder needs a name. */
const FolderName = Type.String({ minLength: 1, maxLength: 255, pattern: '\\S' });
const Domain = Type.String({ minLength: 1, maxLength: 253, pattern: '^@?[A-Za-z0-9.-]+$' });

export const MailboxSettings = Type.Object({
  enabled: Type.Boolean(),
  mailboxAddress: Type.Union([Type.String(), Type.Null()]),
  archiveFolder: Type.String(),
  notLoggedFolder: Type.String(),
  quarantineFolder: Type.String(),
  intervalSeconds: Type.Integer(),
  batchSize: Type.Integer(),
  neverLogDomains: Type.Array(Type.String()),
  neverLogAddresses: Type.Array(Type.String()),
  skipInternalOnly: Type.Boolean(),
  captureAlertHours: Type.Integer({
    description:
      'Business hours (Mon–Fri 08:00–18:00 UTC) one direction of mail may stay quiet while the other flows before ' +
      'the health view alerts; 0: never'
  }),
  updatedAt: Type.Union([IsoDateTime, Type.Null()]),
  updatedBy: Type.Union([Type.String(), Type.Null()])
});
export type MailboxSettings = Static<typeof MailboxSettings>;

export const MailboxSettingsUpdate = Changes({
  enabled: Type.Boolean(),
  mailboxAddress: Type.Union([EmailAddress, Type.Null()]),
  archiveFolder: FolderName,
  notLoggedFolder: FolderName,
  quarantineFolder: FolderName,
  intervalSeconds: Type.Integer({ minimum: 60, maximum: 86_400 }),
  batchSize: Type.Integer({ minimum: 1, maximum: 500 }),
  neverLogDomains: Type.Array(Domain, { maxItems: 500 }),
  neverLogAddresses: Type.Array(EmailAddress, { maxItems: 1000 }),
  skipInternalOnly: Type.Boolean(),
  captureAlertHours: Type.Integer({ minimum: 0, maximum: 168 })
});
export type MailboxSettingsUpdate = Static<typeof MailboxSettingsUpdate>;

const Counts = Type.Record(Type.String(), Type.Integer());

export const MailboxRun = Type.Object({
  id: Type.String(),
  mailboxAddress: Type.String(),
  trigger: Type.Union([
    Type.Literal('schedule'),
    Type.Literal('manual'),
    Type.Literal('cli'),
    Type.Literal('notification')
  ]),
  status: Type.Union([
    Type.Literal('running'),
    Type.Literal('succeeded'),
    Type.Literal('failed'),
    // The process running it stopped (killed, crashed) and a later run took the mailbox over.
    Type.Literal('abandoned')
  ]),
  startedAt: IsoDateTime,
  finishedAt: Type.Union([IsoDateTime, Type.Null()]),
  durationMs: Type.Union([Type.Integer(), Type.Null()]),
  seen: Type.Integer(),
  logged: Type.Integer(),
  skipped: Counts,
  failed: Type.Integer(),
  quarantined: Type.Integer(),
  requests: Type.Integer(),
  throttled: Type.Integer(),
  error: Type.Union([Type.String(), Type.Null()])
});
export type MailboxRun = Static<typeof MailboxRun>;
export const MailboxRunPage = Page(MailboxRun);

/** What a run did with a message it saw. */
export const RunMessageFate = Type.Union([
  Type.Literal('logged'),
  // Logged before (by the pane, or an earlier run), or a second copy of a message logged in the same page.
  Type.Literal('already-logged'),
  // Filed in "Not logged"; `reason` says why (a skip reason).
  Type.Literal('not-logged'),
  // Could not be recorded or moved; stays in the Inbox for the next run; `reason` is the error.
  Type.Literal('failed'),
  // Failed for the third time and moved to the quarantine folder.
  Type.Literal('quarantined'),
  // Graph kept throttling its move: stays in the Inbox for the next run, not held against it.
  Type.Literal('deferred')
]);
export type RunMessageFate = Static<typeof RunMessageFate>;

export const RunMessage = Type.Object({
  /** Graph's immutable id. */
  messageId: Type.String(),
  internetMessageId: Type.Union([Type.String(), Type.Null()]),
  fate: RunMessageFate,
  reason: Type.Union([Type.String(), Type.Null()]),
  subject: Type.Union([Type.String(), Type.Null()]),
  /** The sender's address. */
  from: Type.Union([Type.String(), Type.Null()]),
  receivedDateTime: Type.Union([IsoDateTime, Type.Null()]),
  direction: Type.Union([Direction, Type.Null()]),
  entriesCreated: Type.Integer({ description: 'Entries this run created for the message' })
});
export type RunMessage = Static<typeof RunMessage>;
export const RunMessagePage = Page(RunMessage);
export const RunMessagesParams = Closed({ runId: Type.String({ minLength: 1, maxLength: 64 }) });

export const QuarantinedMessage = Type.Object({
  mailboxAddress: Type.String(),
  messageId: Type.String(),
  internetMessageId: Type.Union([Type.String(), Type.Null()]),
  subject: Type.Union([Type.String(), Type.Null()]),
  sender: Type.Union([Type.String(), Type.Null()]),
  receivedAt: Type.Union([IsoDateTime, Type.Null()]),
  attempts: Type.Integer(),
  status: Type.Union([Type.Literal('quarantined'), Type.Literal('retry-requested')]),
  reason: Type.Union([Type.String(), Type.Null()]),
  folderId: Type.Union([Type.String(), Type.Null()]),
  updatedAt: IsoDateTime
});
export const QuarantinePage = Page(QuarantinedMessage);

export const AdminPageQuery = ListQuery({});

/** A direction of mail that went quiet while the other flowed: the mail-flow rule to check. */
export const CaptureAlert = Type.Object({
  direction: Direction,
  /** The window that saw no message of this direction: `businessHours` business hours back from now. */
  quietSince: IsoDateTime,
  businessHours: Type.Integer(),
  rule: Type.Object({
    name: Type.String({ description: 'The mail-flow rule of the setup guide that copies this direction in' }),
    command: Type.String({ description: "The setup guide's PowerShell that creates it (Exchange Online PowerShell)" })
  })
});
export type CaptureAlert = Static<typeof CaptureAlert>;

export const MailboxHealth = Type.Object({
  configured: Type.Boolean({ description: 'The server has app credentials for Graph' }),
  lastRun: Type.Union([MailboxRun, Type.Null()]),
  backlog: Type.Union([Type.Integer(), Type.Null()], {
    description: 'Messages waiting in the Inbox, when Graph answered'
  }),
  skippedLast7Days: Counts,
  mode: Type.Union([Type.Literal('notifications'), Type.Literal('polling')], {
    description:
      'notifications: Graph change notifications and delta catch-up (PUBLIC_URL is set), with the interval poll as a ' +
      'backstop; polling: the interval poll only'
  }),
  notificationsDropped: Type.Integer({
    minimum: 0,
    description: 'Notifications this instance dropped since it started (unknown subscription or clientState mismatch)'
  }),
  captureAlerts: Type.Array(CaptureAlert)
});

export const CaptureQuery = Type.Object(
  { from: Type.Optional(RangeFrom), to: Type.Optional(RangeTo) },
  { additionalProperties: false }
);
export type CaptureQuery = Static<typeof CaptureQuery>;

export const CaptureRow = Type.Object({
  day: IsoDate,
  salesperson: Type.Union([
    Type.Object({ id: Type.String(), name: Type.Union([Type.String(), Type.Null()]) }),
    Type.Null()
  ]),
  direction: Type.Union([Direction, Type.Null()], { description: 'Null for messages recorded before capture health' }),
  seen: Type.Integer(),
  logged: Type.Integer(),
  notLogged: Counts,
  pending: Type.Integer({ description: 'Failing, in quarantine, or sent back to the Inbox' })
});
export type CaptureRow = Static<typeof CaptureRow>;

export const CaptureReport = Type.Object({
  from: IsoDateTime,
  to: IsoDateTime,
  rows: Type.Array(CaptureRow)
});
export type CaptureReport = Static<typeof CaptureReport>;

export const UnmatchedAddress = Type.Object({
  address: Type.String(),
  domain: Type.String(),
  count: Type.Integer(),
  lastReceivedAt: Type.Union([IsoDateTime, Type.Null()]),
  proposedCompany: Type.Union([Type.String(), Type.Null()], { description: 'From the domain; null for public mail' })
});
export type UnmatchedAddress = Static<typeof UnmatchedAddress>;

export const UnmatchedQueue = Type.Object({
  addresses: Type.Array(UnmatchedAddress),
  domains: Type.Array(Type.Object({ domain: Type.String(), count: Type.Integer(), addresses: Type.Integer() }))
});
export type UnmatchedQueue = Static<typeof UnmatchedQueue>;

export const AddUnmatchedContact = Type.Object(
  {
    address: EmailAddress,
    name: Name,
    company: Type.Optional(Type.Union([Type.String({ maxLength: MAX_NAME_LENGTH }), Type.Null()]))
  },
  { additionalProperties: false }
);
export type AddUnmatchedContact = Static<typeof AddUnmatchedContact>;

export const AddUnmatchedContactResult = Type.Object({
  contact: Contact,
  /** False when a contact with the address existed already. */
  created: Type.Boolean(),
  /** Messages sent back to the Inbox to be logged by the next run (started now). */
  requeued: Type.Integer()
});
export type AddUnmatchedContactResult = Static<typeof AddUnmatchedContactResult>;

export const ReconcileQuery = Type.Object(
  { days: Type.Optional(Type.Integer({ minimum: 1, maximum: 29, description: 'How many days back; 7 by default' })) },
  { additionalProperties: false }
);
export type ReconcileQuery = Static<typeof ReconcileQuery>;

const FolderRole = Type.Union([
  Type.Literal('inbox'),
  Type.Literal('archive'),
  Type.Literal('notLogged'),
  Type.Literal('quarantine')
]);

export const ReconcileReport = Type.Object({
  mailboxAddress: Type.String(),
  /** Messages received from then on were compared. */
  since: IsoDateTime,
  checkedAt: IsoDateTime,
  complete: Type.Boolean({ description: 'Every folder was listed whole (false past 10,000 messages in a folder)' }),
  folders: Type.Array(Type.Object({ role: FolderRole, displayName: Type.String(), listed: Type.Integer() })),
  waiting: Type.Integer({ description: 'In the Inbox, not filed yet' }),
  accounted: Type.Integer({ description: 'In the folder their record says' }),
  unaccounted: Type.Array(
    Type.Object({
      messageId: Type.String(),
      internetMessageId: Type.Union([Type.String(), Type.Null()]),
      subject: Type.Union([Type.String(), Type.Null()]),
      /** The sender's address (Graph's `from`), so the admin can find the message. */
      from: Type.Union([Type.String(), Type.Null()]),
      receivedDateTime: Type.Union([IsoDateTime, Type.Null()]),
      folder: Type.Union([FolderRole, Type.Null()]),
      recorded: Type.Union([Type.String(), Type.Null()]),
      problem: Type.Union([Type.Literal('not-recorded'), Type.Literal('recorded-elsewhere'), Type.Literal('missing')])
    })
  )
});
export type ReconcileReport = Static<typeof ReconcileReport>;
