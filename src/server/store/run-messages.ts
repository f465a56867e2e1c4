import type { Kysely } from 'kysely';
import type { RunMessage } from '../../shared/schemas/mailbox.js';
import { keysetRows, pageOf } from './cursor.js';
import { StoreNotFound } from './errors.js';
import { clip } from './mailbox.js';
import type { Database, MailboxRunMessageTable } from './schema.js';

/*
 * What each run of the shared-mailbox processor did with every message it saw (issue 20's reconciliation per run):
 * written once a page is filed, listed per run for the admin, pruned with the other message bookkeeping.
 */

/** One message as a run left it. */
export interface RunMessageRecord {
  messageId: string;
  internetMessageId: string | null;
  fate: MailboxRunMessageTable['fate'];
  reason: string | null;
  subject: string | null;
  sender: string | null;
  /** Epoch ms. */
  receivedAt: number | null;
  direction: 'inbound' | 'outbound' | null;
  entries: number;
}

/** Rows per statement: both engines cap a statement's parameters. */
const CHUNK = 200;

export class RunMessageStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** Records what the run did with these messages; a message recorded again in the same run takes its new fate. */
  async record(tenantId: string, runId: string, messages: RunMessageRecord[], now: number = Date.now()): Promise<void> {
    const rows = messages.map((message) => ({
      tenant_id: tenantId,
      run_id: runId,
      message_id: message.messageId,
      internet_message_id: message.internetMessageId,
      fate: message.fate,
      reason: message.reason === null ? null : clip(message.reason),
      subject: message.subject,
      sender: message.sender,
      received_at: message.receivedAt,
      direction: message.direction,
      entries: message.entries,
      recorded_at: now
    }));
    for (let start = 0; start < rows.length; start += CHUNK) {
      await this.db
        .insertInto('mailbox_run_messages')
        .values(rows.slice(start, start + CHUNK))
        .onConflict((oc) =>
          oc.columns(['tenant_id', 'run_id', 'message_id']).doUpdateSet((eb) => ({
            fate: eb.ref('excluded.fate'),
            reason: eb.ref('excluded.reason'),
            entries: eb('mailbox_run_messages.entries', '+', eb.ref('excluded.entries'))
          }))
        )
        .execute();
    }
  }

  /** The run's messages in the order they were filed. StoreNotFound when the tenant has no such run. */
  async list(
    tenantId: string,
    runId: string,
    page: { limit: number; cursor?: string | undefined }
  ): Promise<{ items: RunMessage[]; nextCursor: string | null }> {
    const run = await this.db
      .selectFrom('mailbox_runs')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('id', '=', runId)
      .executeTakeFirst();
    if (!run) throw new StoreNotFound('The mailbox run');
    const rows = await keysetRows(
      this.db
        .selectFrom('mailbox_run_messages')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('run_id', '=', runId),
      { key: 'recorded_at', id: 'message_id', direction: 'asc', keyType: 'number' },
      page
    );
    return pageOf(rows, page.limit, (row) => ({ key: Number(row.recorded_at), id: row.message_id }), toRunMessage);
  }

  /** Forgets what runs recorded before `before` (epoch ms); returns how many rows. */
  async prune(tenantId: string, before: number): Promise<number> {
    const result = await this.db
      .deleteFrom('mailbox_run_messages')
      .where('tenant_id', '=', tenantId)
      .where('recorded_at', '<', before)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

function toRunMessage(row: MailboxRunMessageTable): RunMessage {
  return {
    messageId: row.message_id,
    internetMessageId: row.internet_message_id,
    fate: row.fate,
    reason: row.reason,
    subject: row.subject,
    from: row.sender,
    receivedDateTime: row.received_at === null ? null : new Date(Number(row.received_at)).toISOString(),
    direction: row.direction,
    entriesCreated: Number(row.entries)
  };
}
