import type { FoldersResult } from '../../shared/schemas/admin.js';
import { actorOf } from '../auth/authenticate.js';
import type { Principal } from '../domain/principal.js';
import { ConflictError } from '../errors.js';
import { describeGraphFailure, graphFailure, type GraphFailure } from '../mailbox/graph-errors.js';
import type { MailboxService } from '../mailbox/service.js';
import type { Store } from '../store/index.js';

/* What an admin does to the shared mailbox's setup and its quarantine, audited under their name. */

/** The shared mailbox the server can reach for this tenant, or a 409 that says what is missing first. */
export async function reachableMailbox(store: Store, mailbox: MailboxService, tenantId: string) {
  if (!mailbox.configured) throw new ConflictError('Automatic logging has no app credentials on this server.');
  const settings = await store.mailbox.getSettings(tenantId);
  if (!settings.mailboxAddress) throw new ConflictError('Set the shared mailbox address first.');
  return { settings, address: settings.mailboxAddress };
}

/** What the admin is told when Graph would not create the folders: what to do depends on the kind of failure. */
function foldersRefused(address: string, failure: GraphFailure): ConflictError {
  const next = {
    throttled: `try again in ${Math.ceil((failure.retryAfterMs ?? 0) / 1000)} s`,
    temporary: 'try again in a few minutes',
    permission: 'run Validate configuration to see which setup step to fix',
    'not-found': 'run Validate configuration to see which setup step to fix',
    invalid: 'run Validate configuration to see which setup step to fix'
  }[failure.kind];
  return new ConflictError(
    `Microsoft Graph refused to create the folders in ${address} (${describeGraphFailure(failure)}): ${next}.`
  );
}

/** Creates whichever of the three folders the mailbox lacks; the ones it created are audited. */
export async function createMailboxFolders(
  store: Store,
  mailbox: MailboxService,
  principal: Principal
): Promise<FoldersResult> {
  const { tenantId } = principal;
  const { settings, address } = await reachableMailbox(store, mailbox, tenantId);
  const graph = mailbox.graphFor(tenantId, address);
  const wanted = [
    { role: 'archive' as const, displayName: settings.archiveFolder },
    { role: 'notLogged' as const, displayName: settings.notLoggedFolder },
    { role: 'quarantine' as const, displayName: settings.quarantineFolder }
  ];
  const folders: FoldersResult['folders'] = [];
  try {
    for (const folder of wanted) {
      const { created } = await graph.ensureFolder(folder.displayName);
      folders.push({ ...folder, created });
    }
  } catch (error) {
    throw foldersRefused(address, graphFailure(error));
  } finally {
    const created = folders.filter((f) => f.created).map((f) => f.displayName);
    if (created.length > 0) {
      await store.directory.ensureTenant(tenantId);
      await store.audit.record(tenantId, actorOf(principal), [
        { action: 'mailbox.folders-created', entityType: 'mailbox', entityId: address, changes: { created } }
      ]);
    }
  }
  return { mailboxAddress: address, folders };
}

/** Puts a quarantined message back in line for the next run; false when it was not in quarantine. */
export const retryQuarantined = (
  store: Store,
  principal: Principal,
  messageId: string,
  now: number
): Promise<boolean> => store.mailbox.requestRetry(principal.tenantId, messageId, now, actorOf(principal));
