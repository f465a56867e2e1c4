/*
 * Reconciliation, as a pure rule: what Graph lists in the shared mailbox's Inbox and the processor's three folders,
 * against what the processor recorded of each message (by Graph's immutable id) and what the log holds (by
 * Internet message ID). Every message listed or recorded is accounted for, or reported with why not.
 */

export type FolderRole = 'inbox' | 'archive' | 'notLogged' | 'quarantine';

/** Who sent a message and when (Graph's `from` address and `receivedDateTime`), so an admin can find it. */
export interface MessageOrigin {
  from: string | null;
  /** ISO 8601. */
  receivedDateTime: string | null;
}

export interface ListedMessage extends MessageOrigin {
  messageId: string;
  internetMessageId: string | null;
  subject: string | null;
  folder: FolderRole;
}

export interface RecordedMessage extends MessageOrigin {
  messageId: string;
  internetMessageId: string | null;
  subject: string | null;
  /** mailbox_messages' status: logged, not-logged, failing, quarantined, retry-requested, reprocess-requested. */
  status: string;
}

/**
 * - not-recorded: in a processor's folder, but the processor recorded nothing of it (and the log does not hold it);
 * - recorded-elsewhere: recorded as filed in another folder than the one it is in;
 * - missing: recorded, but in none of the folders any more (moved by hand, or deleted).
 */
export type ReconcileProblem = 'not-recorded' | 'recorded-elsewhere' | 'missing';

export interface UnaccountedMessage extends MessageOrigin {
  messageId: string;
  internetMessageId: string | null;
  subject: string | null;
  /** Where it is; null when it is in none of the folders. */
  folder: FolderRole | null;
  /** What the processor recorded of it; null when nothing. */
  recorded: string | null;
  problem: ReconcileProblem;
}

export interface Reconciliation {
  /** In the Inbox, not filed yet: the backlog, failing messages, and those sent back to be processed again. */
  waiting: number;
  /** In the folder their record says. */
  accounted: number;
  unaccounted: UnaccountedMessage[];
}

/** The records that account for a message in each folder. */
const EXPECTED: Record<FolderRole, readonly string[]> = {
  inbox: ['failing', 'retry-requested', 'reprocess-requested'],
  archive: ['logged'],
  notLogged: ['not-logged', 'reprocess-requested'],
  quarantine: ['quarantined', 'retry-requested']
};

/**
 * `logged`: Internet message IDs the log holds, which account for a message in the archive recorded before the
 * processor kept a record of logged messages. `complete`: every folder was listed whole, so a record whose
 * message was not listed is missing (otherwise nothing is said of such records).
 */
export function reconcile(
  listed: readonly ListedMessage[],
  recorded: readonly RecordedMessage[],
  logged: ReadonlySet<string>,
  complete: boolean
): Reconciliation {
  const records = new Map(recorded.map((record) => [record.messageId, record]));
  const result: Reconciliation = { waiting: 0, accounted: 0, unaccounted: [] };
  const seen = new Set<string>();
  for (const message of listed) {
    seen.add(message.messageId);
    const record = records.get(message.messageId);
    const expected = record !== undefined && EXPECTED[message.folder].includes(record.status);
    if (message.folder === 'inbox' && (record === undefined || expected)) result.waiting += 1;
    else if (expected) result.accounted += 1;
    else if (message.folder === 'archive' && message.internetMessageId && logged.has(message.internetMessageId)) {
      result.accounted += 1;
    } else {
      result.unaccounted.push({
        ...message,
        recorded: record?.status ?? null,
        problem: record ? 'recorded-elsewhere' : 'not-recorded'
      });
    }
  }
  if (!complete) return result;
  for (const record of recorded) {
    if (seen.has(record.messageId)) continue;
    result.unaccounted.push({
      messageId: record.messageId,
      internetMessageId: record.internetMessageId,
      subject: record.subject,
      from: record.from,
      receivedDateTime: record.receivedDateTime,
      folder: null,
      recorded: record.status,
      problem: 'missing'
    });
  }
  return result;
}
