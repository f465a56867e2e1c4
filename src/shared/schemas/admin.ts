import { Type, type Static } from 'typebox';
import { SERVER_ACTIONS, TEXT_FIX_CODES, VALIDATION_CHECK_IDS, VALIDATION_STATUSES } from '../admin-checks.js';
import { Closed, Id, IsoDateTime, Problem } from './common.js';

/*
 * The admin pane's API: "Validate configuration" (a checklist of live checks with a fix for each), creating
 * the mailbox folders, the directory's CSV import and its address problems, and the values the setup steps
 * are filled in with. Check ids, statuses, actions and fix codes are listed in ../admin-checks.ts.
 */

/** One of the strings of a const list, typed as that list's members (an enum: a list of one stays valid OpenAPI). */
const literals = <T extends readonly string[]>(values: T) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values] });

export const ValidationCheckId = literals(VALIDATION_CHECK_IDS);
export const ValidationStatus = literals(VALIDATION_STATUSES);

/** A command to run (PowerShell) from one of the six setup steps, with this tenant's values filled in. */
export const CommandFix = Type.Object({
  kind: Type.Literal('command'),
  step: Type.Integer({ minimum: 1, maximum: 6, description: 'The setup step the command belongs to' }),
  commandId: Type.String({ description: 'The command id within the step (setup-commands.ts)' }),
  command: Type.String({ description: 'The command text, ready to copy' })
});

/** Something the server can do itself: the pane offers a button that POSTs to `path`. */
export const ActionFix = Type.Object({
  kind: Type.Literal('action'),
  action: literals(SERVER_ACTIONS),
  method: Type.Literal('POST'),
  path: Type.String({ description: 'e.g. /api/v1/admin/mailbox/folders' })
});

/** A fix in words: the pane words it by `code`; `text` is the server's English with the facts in it. */
export const TextFix = Type.Object({
  kind: Type.Literal('text'),
  code: literals(TEXT_FIX_CODES),
  step: Type.Union([Type.Integer({ minimum: 1, maximum: 6 }), Type.Null()]),
  text: Type.String()
});

export const ValidationFix = Type.Union([CommandFix, ActionFix, TextFix]);
export type ValidationFix = Static<typeof ValidationFix>;

export const ValidationCheck = Type.Object({
  id: ValidationCheckId,
  status: ValidationStatus,
  /** What was found, in English, with the numbers (for the pane to show under its own title). */
  detail: Type.String(),
  /** Null when the check passed. */
  fix: Type.Union([ValidationFix, Type.Null()]),
  /** The setup step the check watches (1-6), or null. */
  step: Type.Union([Type.Integer({ minimum: 1, maximum: 6 }), Type.Null()]),
  /**
   * The numbers behind the status, by name (e.g. itemCount, sizeBytes, itemLimit, newestMessageAt). A check
   * that did not run because another failed has `needs`: the id of that check.
   */
  facts: Type.Record(Type.String(), Type.Union([Type.Number(), Type.String(), Type.Boolean(), Type.Null()]))
});
export type ValidationCheck = Static<typeof ValidationCheck>;

export const ValidationReport = Type.Object({
  checkedAt: IsoDateTime,
  mailboxAddress: Type.Union([Type.String(), Type.Null()]),
  /** The worst status of all checks. */
  status: ValidationStatus,
  /** Every check, always all of them, in the order of VALIDATION_CHECK_IDS. */
  items: Type.Array(ValidationCheck)
});
export type ValidationReport = Static<typeof ValidationReport>;

/** POST /api/v1/admin/mailbox/folders: the processor's folders, each found or created. */
export const FolderStatus = Type.Object({
  role: Type.Union([Type.Literal('archive'), Type.Literal('notLogged'), Type.Literal('quarantine')]),
  displayName: Type.String(),
  created: Type.Boolean({ description: 'True when this call created it; false when it was already there' })
});
export const FoldersResult = Type.Object({ mailboxAddress: Type.String(), folders: Type.Array(FolderStatus) });
export type FoldersResult = Static<typeof FoldersResult>;

/* --- Directory: CSV import --- */

export const ImportKindSchema = Type.Union([Type.Literal('contacts'), Type.Literal('salespeople')]);

export const DirectoryImportQuery = Closed({
  kind: ImportKindSchema,
  dryRun: Type.Optional(Type.Boolean({ default: false, description: 'Validate and report; write nothing' }))
});
export type DirectoryImportQuery = Static<typeof DirectoryImportQuery>;

export const ImportRowReason = Type.Object({
  /** The CSV column the reason is about (name, email, alternateEmails, company, phone, team), or 'row'. */
  field: Type.String(),
  detail: Type.String()
});

export const ImportRowResult = Type.Object({
  /** Line of the CSV file the row came from (the header is line 1). */
  row: Type.Integer({ minimum: 2 }),
  status: Type.Union([Type.Literal('created'), Type.Literal('updated'), Type.Literal('rejected')]),
  /** The row's primary address as written, when it had one. */
  email: Type.Union([Type.String(), Type.Null()]),
  /** The person created or updated (a dry run names the existing person for updates, null for creations). */
  id: Type.Union([Id, Type.Null()]),
  reasons: Type.Array(ImportRowReason)
});
export type ImportRowResult = Static<typeof ImportRowResult>;

export const DirectoryImportReport = Type.Object({
  kind: ImportKindSchema,
  dryRun: Type.Boolean(),
  /** True only when every row was accepted and this was not a dry run: then every row was written at once. */
  committed: Type.Boolean(),
  counts: Type.Object({
    rows: Type.Integer(),
    created: Type.Integer(),
    updated: Type.Integer(),
    rejected: Type.Integer()
  }),
  rows: Type.Array(ImportRowResult)
});
export type DirectoryImportReport = Static<typeof DirectoryImportReport>;

/**
 * 422 when any row is rejected (dry run or not): nothing is written, and the problem document carries the
 * whole per-row report as the `report` extension member.
 */
export const DirectoryImportProblem = Type.Object({ ...Problem.properties, report: DirectoryImportReport });
export type DirectoryImportProblem = Static<typeof DirectoryImportProblem>;

/* --- Directory: address problems --- */

export const DirectoryPersonKind = Type.Union([Type.Literal('contact'), Type.Literal('salesperson')]);

export const DirectoryPerson = Type.Object({
  kind: DirectoryPersonKind,
  id: Id,
  name: Type.String(),
  email: Type.String(),
  active: Type.Boolean()
});
export type DirectoryPerson = Static<typeof DirectoryPerson>;

export const DirectoryProblems = Type.Object({
  /** People without a primary address: the processor can never match them. */
  missing: Type.Array(DirectoryPerson),
  /** Addresses that are not usable Internet addresses. */
  invalid: Type.Array(
    Type.Object({
      person: DirectoryPerson,
      field: Type.Union([Type.Literal('email'), Type.Literal('alternateEmails')]),
      address: Type.String(),
      detail: Type.String()
    })
  ),
  /** One address held by more than one person (a contact and a salesperson, say): matching is ambiguous. */
  duplicates: Type.Array(Type.Object({ address: Type.String(), people: Type.Array(DirectoryPerson) })),
  counts: Type.Object({ missing: Type.Integer(), invalid: Type.Integer(), duplicates: Type.Integer() })
});
export type DirectoryProblems = Static<typeof DirectoryProblems>;

/* --- Setup: the values the six steps' commands are filled in with --- */

/**
 * GET /api/v1/admin/setup: what the server knows of this tenant's values (null when it does not); the pane
 * lets the admin fill in the rest and builds the commands with buildSetupSteps (../setup-commands.ts).
 */
export const SetupDefaults = Type.Object({
  tenantId: Type.String(),
  mailboxAddress: Type.Union([Type.String(), Type.Null()]),
  archiveFolder: Type.String(),
  /** MAILBOX_CLIENT_ID: the processor's app registration. */
  processorAppId: Type.Union([Type.String(), Type.Null()]),
  /** The add-in's and the API's app registrations (entra mode). */
  addinClientId: Type.Union([Type.String(), Type.Null()]),
  apiClientId: Type.Union([Type.String(), Type.Null()]),
  /** Domains the salespeople's addresses use: a guess at the organization's accepted domains. */
  acceptedDomains: Type.Array(Type.String())
});
export type SetupDefaults = Static<typeof SetupDefaults>;
