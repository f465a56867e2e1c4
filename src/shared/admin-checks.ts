/*
 * The admin pane's fixed vocabulary, shared by the server and the pane at run time. Kept apart from the
 * schemas (like limits.ts) so the pane can use it without bundling the schema library. The pane words every
 * check, fix and action by these ids in its own catalogues; the server only adds facts (numbers, names).
 */

/** The checks of "Validate configuration", in the order the pane lists them. */
export const VALIDATION_CHECK_IDS = [
  'token',
  'mailbox',
  'inbox',
  'folders',
  'recent-mail',
  'archive-limits',
  'directory'
] as const;
export type ValidationCheckId = (typeof VALIDATION_CHECK_IDS)[number];

export const VALIDATION_STATUSES = ['pass', 'warning', 'fail'] as const;
export type ValidationStatus = (typeof VALIDATION_STATUSES)[number];

/** Which of the six setup steps (setup-commands.ts) each check watches; the pane shows the status there. */
export const CHECK_STEP: Record<ValidationCheckId, number | null> = {
  token: 5,
  mailbox: 2,
  inbox: 2,
  folders: 2,
  'recent-mail': 4,
  'archive-limits': 1,
  directory: null
};

/** Things the server can do for the admin when a check fails; each is one POST. */
export const SERVER_ACTIONS = ['create-folders'] as const;
export type ServerAction = (typeof SERVER_ACTIONS)[number];
export const SERVER_ACTION_PATHS: Record<ServerAction, string> = {
  'create-folders': '/api/v1/admin/mailbox/folders'
};

/**
 * Fixes that are words, not commands: the pane words them by code; `text` carries the server's English
 * with the facts filled in, for logs and for a pane that lacks the code.
 */
export const TEXT_FIX_CODES = [
  'set-app-credentials',
  'set-mailbox-address',
  'check-app-credentials',
  'grant-admin-consent',
  'check-tenant',
  'scope-app-to-mailbox',
  'create-shared-mailbox',
  'check-mail-flow-rules',
  'start-new-mailbox',
  'fix-directory',
  'try-again-later'
] as const;
export type TextFixCode = (typeof TEXT_FIX_CODES)[number];

/**
 * Exchange Online's limits the archive check compares against (Microsoft's published limits: an unlicensed
 * shared mailbox holds 50 GB; a folder should stay well under a million items, past which Exchange slows
 * and may split folders, which breaks the links to logged messages).
 */
export const ARCHIVE_LIMITS = {
  mailboxBytes: 50 * 1024 ** 3,
  folderItems: 1_000_000,
  /** From this share of a limit on, the check warns: time to plan a new shared mailbox. */
  warnAt: 0.8
} as const;

/** No message in the Inbox or the Archive for this long: the mail-flow rules are likely not working. */
export const RECENT_MAIL_DAYS = 7;

/** CSV import: the largest body and the most rows one request takes. */
export const IMPORT_MAX_BYTES = 2 * 1024 * 1024;
export const IMPORT_MAX_ROWS = 5000;

/** The CSV header each kind of import expects (order free; name and email required). */
export const IMPORT_COLUMNS = {
  contacts: ['name', 'email', 'alternateEmails', 'company', 'phone'],
  salespeople: ['name', 'email', 'alternateEmails', 'team']
} as const;
export type ImportKind = keyof typeof IMPORT_COLUMNS;
