import {
  ARCHIVE_LIMITS,
  CHECK_STEP,
  RECENT_MAIL_DAYS,
  SERVER_ACTION_PATHS,
  VALIDATION_CHECK_IDS,
  type TextFixCode,
  type ValidationCheckId,
  type ValidationStatus
} from '../../shared/admin-checks.js';
import type {
  DirectoryProblems,
  ValidationCheck,
  ValidationFix,
  ValidationReport
} from '../../shared/schemas/admin.js';
import type { MailboxSettings } from '../../shared/schemas/mailbox.js';
import { buildSetupSteps, type SetupValues } from '../../shared/setup-commands.js';
import { describeGraphFailure, graphFailure } from './graph-errors.js';
import type { MailboxGraph } from './graph.js';

/*
 * "Validate configuration": every check of the admin pane's checklist, run live against Microsoft Graph with
 * the processor's own app-only client. Each check stands alone — one failing does not stop the others —
 * except that without a token (or without a mailbox) the Graph checks are reported as skipped, with why.
 * Nothing here throws for a misconfiguration: the report says what is wrong and how to fix it.
 */

export interface ValidationInput {
  configured: boolean;
  settings: MailboxSettings;
  /** Acquires an app-only token for the tenant (the processor's token source). */
  token(): Promise<string>;
  graph(mailbox: string): MailboxGraph;
  directoryProblems(): Promise<DirectoryProblems>;
  /** Values the fix commands are filled in with. */
  setupValues: SetupValues;
  now?: number;
}

type Facts = ValidationCheck['facts'];
type Outcome = Omit<ValidationCheck, 'id' | 'step'>;

const DAY_MS = 86_400_000;
const RANK: Record<ValidationStatus, number> = { pass: 0, warning: 1, fail: 2 };

const pass = (detail: string, facts: Facts = {}): Outcome => ({ status: 'pass', detail, fix: null, facts });
const outcome = (status: ValidationStatus, detail: string, fix: ValidationFix | null, facts: Facts = {}): Outcome => ({
  status,
  detail,
  fix,
  facts
});
const textFix = (code: TextFixCode, text: string, step: number | null = null): ValidationFix => ({
  kind: 'text',
  code,
  step,
  text
});
const createFolders: ValidationFix = {
  kind: 'action',
  action: 'create-folders',
  method: 'POST',
  path: SERVER_ACTION_PATHS['create-folders']
};

/** A step's command, with the tenant's values, as a fix; text when the values cannot be used. */
function commandFix(values: SetupValues, step: number, commandId: string, fallback: ValidationFix): ValidationFix {
  try {
    const command = buildSetupSteps(values)
      .find((s) => s.step === step)
      ?.commands.find((c) => c.id === commandId);
    return command ? { kind: 'command', step, commandId, command: command.text } : fallback;
  } catch {
    return fallback;
  }
}

/** What a sign-in (MSAL) or store error says: Entra's AADSTS code if any, and its first line. Graph's are graph-errors.ts's. */
function describeError(error: unknown): { aadsts: string | null; message: string } {
  const e = (error ?? {}) as { message?: unknown; errorMessage?: unknown };
  const message = String(e.errorMessage ?? e.message ?? error ?? 'unknown error');
  return { aadsts: /AADSTS\d+/.exec(message)?.[0] ?? null, message: message.split('\n')[0]!.slice(0, 300) };
}

/** Entra's sign-in errors the admin can fix, by AADSTS code. */
function tokenFix(aadsts: string | null): ValidationFix {
  switch (aadsts) {
    case 'AADSTS7000215':
    case 'AADSTS7000222':
    case 'AADSTS700027':
      return textFix(
        'check-app-credentials',
        'The client secret or certificate is wrong or expired: create a new one in the app registration and update MAILBOX_CLIENT_SECRET (or the certificate settings).',
        5
      );
    case 'AADSTS700016':
    case 'AADSTS650057':
      return textFix(
        'grant-admin-consent',
        "The processor's app is not known in this tenant: grant admin consent for it (step 5), then validate again.",
        5
      );
    case 'AADSTS90002':
      return textFix('check-tenant', 'The tenant was not found: check the tenant id the add-in signs in with.', 5);
    case 'AADSTS90033':
      return textFix('try-again-later', 'Microsoft Entra ID had a passing failure: validate again in a minute.', null);
    default:
      return textFix(
        'check-app-credentials',
        'Check MAILBOX_CLIENT_ID and its secret or certificate, and that the app has admin consent (step 5).',
        5
      );
  }
}

export async function validateMailboxSetup(input: ValidationInput): Promise<ValidationReport> {
  const now = input.now ?? Date.now();
  const { settings, setupValues } = input;
  const address = settings.mailboxAddress;
  const results = new Map<ValidationCheckId, Outcome>();
  const skipAll = (why: string, fix: ValidationFix) => {
    for (const id of ['mailbox', 'inbox', 'folders', 'recent-mail', 'archive-limits'] as const) {
      results.set(id, outcome('fail', `Skipped because ${why}.`, fix, { needs: 'token' }));
    }
  };

  const directory = input
    .directoryProblems()
    .then((problems) => results.set('directory', directoryOutcome(problems)))
    .catch((error: unknown) =>
      results.set(
        'directory',
        outcome(
          'fail',
          `The directory could not be read: ${describeError(error).message}`,
          textFix('try-again-later', 'Try again.')
        )
      )
    );

  // 1. Credentials and a token.
  let tokenOk = false;
  if (!input.configured) {
    const fix = textFix(
      'set-app-credentials',
      'Set MAILBOX_CLIENT_ID and MAILBOX_CLIENT_SECRET (or MAILBOX_CERTIFICATE_KEY_FILE and MAILBOX_CERTIFICATE_THUMBPRINT) on the server and restart it.',
      5
    );
    results.set('token', outcome('fail', 'The server has no app credentials for automatic logging.', fix));
    skipAll('the server has no app credentials', fix);
  } else {
    try {
      await input.token();
      tokenOk = true;
      results.set('token', pass('An app-only token for Microsoft Graph was acquired.'));
    } catch (error) {
      const e = describeError(error);
      const fix = tokenFix(e.aadsts);
      results.set(
        'token',
        outcome('fail', `No token: ${e.aadsts ? `${e.aadsts}: ` : ''}${e.message}`, fix, { aadsts: e.aadsts })
      );
      skipAll('no token could be acquired', fix);
    }
  }

  if (tokenOk && !address) {
    const fix = textFix(
      'set-mailbox-address',
      'Enter the shared mailbox address in the automatic logging settings.',
      1
    );
    results.set('mailbox', outcome('fail', 'No shared mailbox address is set.', fix));
    for (const id of ['inbox', 'folders', 'recent-mail', 'archive-limits'] as const) {
      results.set(id, outcome('fail', 'Skipped because no shared mailbox address is set.', fix, { needs: 'mailbox' }));
    }
  }

  if (tokenOk && address)
    await graphChecks({ graph: input.graph(address), address, settings, values: setupValues, now, results });
  await directory;

  const items: ValidationCheck[] = VALIDATION_CHECK_IDS.map((id) => ({
    id,
    step: CHECK_STEP[id],
    ...(results.get(id) ?? outcome('fail', 'Not checked.', null))
  }));
  const status = items.reduce<ValidationStatus>(
    (worst, item) => (RANK[item.status] > RANK[worst] ? item.status : worst),
    'pass'
  );
  return { checkedAt: new Date(now).toISOString(), mailboxAddress: address, status, items };
}

/** What every Graph check works with; each writes its outcome into `results`. */
interface GraphCheck {
  graph: MailboxGraph;
  address: string;
  settings: MailboxSettings;
  values: SetupValues;
  now: number;
  results: Map<ValidationCheckId, Outcome>;
}

/** The checks that ask Graph, in order: each later one uses what the earlier ones found. */
async function graphChecks(check: GraphCheck): Promise<void> {
  const inboxItems = await mailboxCheck(check);
  if (inboxItems === null) return;
  const newestInbox = await inboxCheck(check, inboxItems);
  const archiveId = await foldersCheck(check);
  await recentMailCheck(check, archiveId, newestInbox);
  await archiveCheck(check, archiveId);
}

/** The mailbox: reachable, and the app is allowed in. Its Inbox's item count, or null when it cannot be opened. */
async function mailboxCheck({ graph, address, values, results }: GraphCheck): Promise<number | null> {
  try {
    const inboxItems = (await graph.folderFigures('inbox')).totalItemCount;
    results.set('mailbox', pass(`${address} exists and the app may open it.`, { inboxItems }));
    return inboxItems;
  } catch (error) {
    const failure = graphFailure(error);
    const fix =
      failure.kind === 'not-found'
        ? commandFix(
            values,
            1,
            'new-mailbox',
            textFix('create-shared-mailbox', `Create the shared mailbox ${address}.`, 1)
          )
        : failure.kind === 'permission'
          ? scopeAppFix(values, `Give the app access to ${address} (step 2).`)
          : textFix('try-again-later', 'Microsoft Graph did not answer as expected; try again in a few minutes.', null);
    const why =
      failure.kind === 'not-found'
        ? `${address} was not found (${failure.code || failure.status}): it does not exist, or it is not an Exchange Online mailbox.`
        : `Microsoft Graph refused to open ${address}: ${describeGraphFailure(failure)}`;
    results.set('mailbox', outcome('fail', why, fix));
    for (const id of ['inbox', 'folders', 'recent-mail', 'archive-limits'] as const) {
      results.set(id, outcome('fail', 'Skipped because the mailbox could not be opened.', fix, { needs: 'mailbox' }));
    }
    return null;
  }
}

const scopeAppFix = (values: SetupValues, text: string) =>
  commandFix(values, 2, 'new-role-assignment', textFix('scope-app-to-mailbox', text, 2));

/** The Inbox: its messages can be read (the processor reads only the Inbox). When its newest message came. */
async function inboxCheck({ graph, values, results }: GraphCheck, inboxItems: number): Promise<string | null> {
  try {
    const newestInbox = await graph.newestReceived('inbox');
    results.set('inbox', pass(`The Inbox can be read; it holds ${inboxItems} messages.`, { inboxItems, newestInbox }));
    return newestInbox;
  } catch (error) {
    const why = `The Inbox's messages could not be read: ${describeGraphFailure(graphFailure(error))}`;
    results.set('inbox', outcome('fail', why, scopeAppFix(values, 'Give the app Mail.ReadWrite on the mailbox.')));
    return null;
  }
}

/** The processor's folders exist. The Archive's id, or null when it is missing. */
async function foldersCheck({ graph, settings, results }: GraphCheck): Promise<string | null> {
  const names = [settings.archiveFolder, settings.notLoggedFolder, settings.quarantineFolder];
  const ids = new Map<string, string | null>();
  try {
    for (const name of names) ids.set(name, await graph.findFolderId(name));
    const missing = names.filter((name) => !ids.get(name));
    results.set(
      'folders',
      missing.length === 0
        ? pass(`The folders ${names.map((n) => `"${n}"`).join(', ')} exist.`)
        : outcome('fail', `Missing folders: ${missing.map((n) => `"${n}"`).join(', ')}.`, createFolders, {
            missing: missing.join(', ')
          })
    );
  } catch (error) {
    const why = `The folders could not be listed: ${graphFailure(error).message}`;
    results.set('folders', outcome('fail', why, createFolders));
  }
  return ids.get(settings.archiveFolder) ?? null;
}

/** Recent mail: the rules copy mail in; the processor files it in the Archive. */
async function recentMailCheck(
  { graph, values, now, results }: GraphCheck,
  archiveId: string | null,
  newestInbox: string | null
): Promise<void> {
  try {
    const newestArchive = archiveId ? await graph.newestReceived(archiveId) : null;
    const newest = [newestInbox, newestArchive]
      .filter((d): d is string => d !== null && !Number.isNaN(Date.parse(d)))
      .sort()
      .at(-1);
    results.set('recent-mail', recentMailOutcome(newest ?? null, values, now));
  } catch (error) {
    results.set('recent-mail', outcome('fail', `Recent mail could not be read: ${graphFailure(error).message}`, null));
  }
}

function recentMailOutcome(newest: string | null, values: SetupValues, now: number): Outcome {
  const facts = { newestMessageAt: newest, days: RECENT_MAIL_DAYS };
  const fix = commandFix(
    values,
    4,
    'inbound-rule',
    textFix('check-mail-flow-rules', 'Check the two mail-flow rules (step 4).', 4)
  );
  if (!newest) {
    return outcome('warning', 'No message has arrived yet: the mail-flow rules are likely not working.', fix, facts);
  }
  if (now - Date.parse(newest) > RECENT_MAIL_DAYS * DAY_MS) {
    const days = Math.floor((now - Date.parse(newest)) / DAY_MS);
    const why = `The newest message arrived ${days} days ago (${newest}): the mail-flow rules are likely not working.`;
    return outcome('warning', why, fix, facts);
  }
  return pass(`The newest message arrived at ${newest}.`, facts);
}

/** The Archive against Exchange's limits. */
async function archiveCheck({ graph, settings, results }: GraphCheck, archiveId: string | null): Promise<void> {
  const { archiveFolder } = settings;
  if (!archiveId) {
    results.set(
      'archive-limits',
      outcome('fail', `Skipped because the folder "${archiveFolder}" does not exist.`, createFolders, {
        needs: 'folders'
      })
    );
    return;
  }
  try {
    results.set('archive-limits', archiveOutcome(archiveFolder, await graph.folderFigures(archiveId)));
  } catch (error) {
    const why = `The Archive could not be measured: ${graphFailure(error).message}`;
    results.set('archive-limits', outcome('fail', why, null));
  }
}

const gb = (bytes: number) => `${(bytes / 1024 ** 3).toFixed(1)} GB`;

export function archiveOutcome(
  folder: string,
  figures: { totalItemCount: number; sizeInBytes: number | null }
): Outcome {
  const { totalItemCount: itemCount, sizeInBytes: sizeBytes } = figures;
  const facts = {
    itemCount,
    sizeBytes,
    itemLimit: ARCHIVE_LIMITS.folderItems,
    sizeLimitBytes: ARCHIVE_LIMITS.mailboxBytes
  };
  const itemShare = itemCount / ARCHIVE_LIMITS.folderItems;
  const sizeShare = sizeBytes === null ? 0 : sizeBytes / ARCHIVE_LIMITS.mailboxBytes;
  const measured =
    `"${folder}" holds ${itemCount.toLocaleString('en-US')} messages` +
    (sizeBytes === null ? ' (Graph did not tell its size)' : ` in ${gb(sizeBytes)}`) +
    ` of about ${ARCHIVE_LIMITS.folderItems.toLocaleString('en-US')} messages and ${gb(ARCHIVE_LIMITS.mailboxBytes)}`;
  const fix = textFix(
    'start-new-mailbox',
    'Plan a new shared mailbox: create it, point both mail-flow rules at it, then change the mailbox address in the settings. Do not move logged messages: their links would break.',
    1
  );
  if (itemShare >= 1 || sizeShare >= 1) return outcome('fail', `${measured}: the limit is reached.`, fix, facts);
  if (itemShare >= ARCHIVE_LIMITS.warnAt || sizeShare >= ARCHIVE_LIMITS.warnAt) {
    return outcome(
      'warning',
      `${measured}: ${Math.round(Math.max(itemShare, sizeShare) * 100)}% of a limit.`,
      fix,
      facts
    );
  }
  return pass(`${measured}.`, facts);
}

function directoryOutcome(problems: DirectoryProblems): Outcome {
  const { missing, invalid, duplicates } = problems.counts;
  const facts = { missing, invalid, duplicates };
  if (missing + invalid + duplicates === 0) {
    return pass('Every salesperson and contact has one valid address of their own.', facts);
  }
  return outcome(
    'warning',
    `${missing} without an address, ${invalid} invalid addresses, ${duplicates} addresses held by more than one person: their mail cannot be matched reliably.`,
    textFix('fix-directory', 'Correct them in the directory (the problems list names each person).'),
    facts
  );
}
