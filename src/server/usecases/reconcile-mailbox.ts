import type { ReconcileReport } from '../../shared/schemas/mailbox.js';
import { WHOLE_TENANT } from '../domain/visibility.js';
import { senderAddress } from '../domain/matching.js';
import { reconcile, type FolderRole, type ListedMessage } from '../domain/reconcile.js';
import type { MailboxMessage } from '../mailbox/graph.js';
import type { MailboxService } from '../mailbox/service.js';
import type { Store } from '../store/index.js';
import { reachableMailbox } from './mailbox-admin.js';
import { folderPager } from './run-mailbox.js';

/*
 * Reconciliation on an admin's request: the shared mailbox's Inbox and the processor's three folders, as Graph
 * lists them for the last days, against what the processor recorded and what the log holds. It reads only; what it
 * reports unaccounted for is for the admin to look at.
 */

/** More than this in one folder and the report says it is incomplete rather than reading on. */
const MAX_LISTED = 10_000;
const PAGE = 200;
/** Log lookups per query (both engines cap a statement's parameters). */
const LOOKUP_CHUNK = 500;

async function listFolder(
  next: (since: string | null) => Promise<{ fresh: MailboxMessage[]; more: boolean } | null>,
  role: FolderRole,
  since: string
): Promise<{ messages: ListedMessage[]; complete: boolean }> {
  const messages: ListedMessage[] = [];
  let from: string | null = since;
  for (;;) {
    const page = await next(from);
    if (!page) return { messages, complete: true };
    for (const message of page.fresh) {
      messages.push({
        messageId: message.id,
        internetMessageId: message.internetMessageId?.trim() || null,
        subject: typeof message.subject === 'string' ? message.subject : null,
        from: senderAddress(message),
        receivedDateTime: typeof message.receivedDateTime === 'string' ? message.receivedDateTime : null,
        folder: role
      });
    }
    if (messages.length >= MAX_LISTED) return { messages, complete: false };
    if (!page.more) return { messages, complete: true };
    from = page.fresh[page.fresh.length - 1]?.receivedDateTime ?? from;
  }
}

export async function reconcileMailbox(
  store: Store,
  mailbox: MailboxService,
  tenantId: string,
  days: number,
  now: number
): Promise<ReconcileReport> {
  const { settings, address } = await reachableMailbox(store, mailbox, tenantId);
  const graph = mailbox.graphFor(tenantId, address);
  const sinceMs = now - days * 86_400_000;
  const since = new Date(sinceMs).toISOString();
  const folders: Array<{ role: FolderRole; displayName: string; id: string | null }> = [
    { role: 'inbox', displayName: 'Inbox', id: 'inbox' },
    { role: 'archive', displayName: settings.archiveFolder, id: await graph.findFolderId(settings.archiveFolder) },
    {
      role: 'notLogged',
      displayName: settings.notLoggedFolder,
      id: await graph.findFolderId(settings.notLoggedFolder)
    },
    {
      role: 'quarantine',
      displayName: settings.quarantineFolder,
      id: await graph.findFolderId(settings.quarantineFolder)
    }
  ];
  const listed: ListedMessage[] = [];
  const listedFolders: ReconcileReport['folders'] = [];
  let complete = true;
  for (const folder of folders) {
    // A folder the processor has not created yet holds nothing.
    if (folder.id === null) continue;
    const found = await listFolder(folderPager(graph, folder.id, PAGE), folder.role, since);
    listed.push(...found.messages);
    listedFolders.push({ role: folder.role, displayName: folder.displayName, listed: found.messages.length });
    complete &&= found.complete;
  }
  const recorded = await store.mailbox.recordedSince(tenantId, address, sinceMs);
  const logged = await loggedIds(store, tenantId, listed);
  const result = reconcile(listed, recorded, logged, complete);
  return {
    mailboxAddress: address,
    since,
    checkedAt: new Date(now).toISOString(),
    complete,
    folders: listedFolders,
    ...result
  };
}

/** The Internet message IDs of archived messages that the log holds. */
async function loggedIds(store: Store, tenantId: string, listed: ListedMessage[]): Promise<Set<string>> {
  const ids = [
    ...new Set(listed.flatMap((m) => (m.folder === 'archive' && m.internetMessageId ? [m.internetMessageId] : [])))
  ];
  const logged = new Set<string>();
  for (let start = 0; start < ids.length; start += LOOKUP_CHUNK) {
    const statuses = await store.interactions.status(tenantId, ids.slice(start, start + LOOKUP_CHUNK), WHOLE_TENANT);
    for (const status of statuses) if (status.logged) logged.add(status.internetMessageId);
  }
  return logged;
}
