import { Type, type Static } from 'typebox';
import { Changes, EmailAddress, IsoDateTime, ListQuery, Page } from './common.js';

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
  skipInternalOnly: Type.Boolean()
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
  })
});
