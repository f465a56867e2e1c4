import { sql, type ExpressionBuilder, type Kysely, type OnConflictTables, type OnConflictUpdateDatabase } from 'kysely';
import { normalizeEmail } from '../../shared/email.js';
import { givenFields, writeAudit, type Actor } from './audit.js';
import { keysetRows, pageOf } from './cursor.js';
import { StoreNotFound } from './errors.js';
import { DAY_MS, UNMATCHED, type CaptureCount } from '../domain/capture.js';
import type { RecordedMessage } from '../domain/reconcile.js';
import type { DirectoryStore } from './directory.js';
import { newId } from './ids.js';
import type { Database, MailboxMessageTable, MailboxRunTable, MailboxSettingsTable } from './schema.js';
import { inTransaction } from './unit-of-work.js';

/*
 * Storage of the shared-mailbox processor: settings, the lease that lets one process at a time work on a
 * mailbox, the state of messages that failed, were quarantined or were not logged, and the run history.
 * Mailbox addresses are compared trimmed and lower-cased, whatever the caller passes.
 */

export interface MailboxSettings {
  enabled: boolean;
  /** The shared mailbox's address, lower case; null until an admin sets it. */
  mailboxAddress: string | null;
  archiveFolder: string;
  notLoggedFolder: string;
  quarantineFolder: string;
  intervalSeconds: number;
  batchSize: number;
  /** Lower-case domains, without a leading "@". */
  neverLogDomains: string[];
  /** Lower-case addresses. */
  neverLogAddresses: string[];
  skipInternalOnly: boolean;
  /** Business hours one direction may stay quiet while the other flows before the health view alerts; 0: never. */
  captureAlertHours: number;
  /** ISO 8601; null while the tenant has no saved settings. */
  updatedAt: string | null;
  updatedBy: string | null;
}

export type MailboxSettingsPatch = Partial<Omit<MailboxSettings, 'updatedAt' | 'updatedBy'>>;

export const DEFAULT_MAILBOX_SETTINGS: Readonly<MailboxSettings> = Object.freeze({
  enabled: false,
  mailboxAddress: null,
  archiveFolder: 'Archive',
  notLoggedFolder: 'Not logged',
  quarantineFolder: 'Quarantine',
  intervalSeconds: 300,
  batchSize: 50,
  neverLogDomains: [],
  neverLogAddresses: [],
  skipInternalOnly: true,
  captureAlertHours: 4,
  updatedAt: null,
  updatedBy: null
});

/** What the processor knows about a message when it records it. */
export interface MailboxMessageRef {
  /** Graph's immutable id. */
  messageId: string;
  internetMessageId: string | null;
  subject: string | null;
  sender: string | null;
  /** Epoch milliseconds. */
  receivedAt: number | null;
  /** What capture health counts it under (domain/capture.ts); unknown when left out. */
  direction?: 'inbound' | 'outbound' | null;
  salespersonId?: string | null;
  externalAddress?: string | null;
}

/** Not-logged messages of one outside address that a contact for it would log. */
export interface UnmatchedAddress {
  address: string;
  count: number;
  /** The newest message's received time, epoch ms. */
  lastReceivedAt: number | null;
}

export type MailboxMessageStatus = MailboxMessageTable['status'];

export interface QuarantinedMessage {
  mailboxAddress: string;
  messageId: string;
  internetMessageId: string | null;
  subject: string | null;
  sender: string | null;
  receivedAt: string | null;
  attempts: number;
  status: 'quarantined' | 'retry-requested';
  /** The last error. */
  reason: string | null;
  folderId: string | null;
  /** When it was quarantined, or when a retry was requested. */
  updatedAt: string;
}

export type RunTrigger = MailboxRunTable['trigger'];
export type RunStatus = MailboxRunTable['status'];

export interface RunCounters {
  seen: number;
  logged: number;
  failed: number;
  quarantined: number;
  /** Graph requests made. */
  requests: number;
  /** Graph responses that were 429 or 503. */
  throttled: number;
  /** Skip reason → count. */
  skipped: Record<string, number>;
}

export type RunResult = RunCounters & {
  status: Exclude<RunStatus, 'running'>;
  error?: string | null | undefined;
  /** As the processor measured it; by default, from the run's start to `now`. */
  durationMs?: number | undefined;
};

export interface MailboxRun extends RunCounters {
  id: string;
  mailboxAddress: string;
  trigger: RunTrigger;
  status: RunStatus;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  error: string | null;
}

export interface MailboxPageOptions {
  limit: number;
  cursor?: string | undefined;
}

/** Who asks for which mailbox's lease, for how long (a positive TTL) and when (epoch ms; by default now). */
type LeaseTerms = [tenantId: string, mailbox: string, holder: string, ttlMs: number, now?: number];

const QUARANTINE_STATUSES = ['quarantined', 'retry-requested'] as const;
/** Error texts are kept for people to read, not whole stack traces. */
const MAX_TEXT = 2000;

const iso = (ms: number) => new Date(ms).toISOString();
const mailboxKey = (mailbox: string) => mailbox.trim().toLowerCase();
/** An error text as kept for people to read: at most MAX_TEXT characters. */
export const clip = (text: string) => (text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text);

export class MailboxStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly directory: DirectoryStore
  ) {}

  // --- settings -------------------------------------------------------------------------------

  async getSettings(tenantId: string): Promise<MailboxSettings> {
    const row = await this.db
      .selectFrom('mailbox_settings')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst();
    return row ? toSettings(row) : defaults();
  }

  /**
   * Creates or changes the tenant's settings. Only the fields in the patch are written, in one statement,
   * so two admins saving different fields at the same time both keep their change.
   */
  async saveSettings(
    tenantId: string,
    patch: MailboxSettingsPatch,
    updatedBy: string | null,
    actor: Actor | null = null
  ): Promise<MailboxSettings> {
    const columns = settingsColumns(patch);
    const now = Date.now();
    const base = defaults();
    await this.directory.ensureTenant(tenantId);
    const save = async (trx: Kysely<Database>) => {
      await trx
        .insertInto('mailbox_settings')
        .values({
          tenant_id: tenantId,
          enabled: base.enabled ? 1 : 0,
          mailbox_address: base.mailboxAddress,
          archive_folder: base.archiveFolder,
          not_logged_folder: base.notLoggedFolder,
          quarantine_folder: base.quarantineFolder,
          interval_seconds: base.intervalSeconds,
          batch_size: base.batchSize,
          never_log_domains: JSON.stringify(base.neverLogDomains),
          never_log_addresses: JSON.stringify(base.neverLogAddresses),
          skip_internal_only: base.skipInternalOnly ? 1 : 0,
          capture_alert_hours: base.captureAlertHours,
          ...columns,
          updated_at: now,
          updated_by: updatedBy
        })
        .onConflict((oc) => oc.column('tenant_id').doUpdateSet({ ...columns, updated_at: now, updated_by: updatedBy }))
        .execute();
      await writeAudit(trx, tenantId, actor, [
        {
          action: 'mailbox-settings.updated',
          entityType: 'mailbox-settings',
          entityId: tenantId,
          changes: givenFields(patch)
        }
      ]);
    };
    // With an actor the change and its audit entry commit together; without one (the CLI, the stand-ins) the
    // save stays the single statement it was, which SQLite serializes across processes without a transaction.
    if (actor) await inTransaction(this.db, save);
    else await save(this.db);
    return this.getSettings(tenantId);
  }

  /**
   * Every tenant whose processor should run: enabled, with a mailbox address. Deliberately across tenants,
   * the one query here without a tenant filter: the scheduler has no tenant until this tells it which.
   */
  async enabledTenants(): Promise<Array<{ tenantId: string; settings: MailboxSettings }>> {
    const rows = await this.db
      .selectFrom('mailbox_settings')
      .selectAll()
      .where('enabled', '=', 1)
      .where('mailbox_address', 'is not', null)
      .orderBy('tenant_id')
      .execute();
    return rows.map((row) => ({ tenantId: row.tenant_id, settings: toSettings(row) }));
  }

  // --- leases ---------------------------------------------------------------------------------

  /**
   * True when `holder` holds the mailbox's lease afterwards, until now + ttlMs: it was free, expired (a lease
   * is valid while now < expires_at) or already the holder's. False while another holder's lease is live.
   * One INSERT … ON CONFLICT DO UPDATE … WHERE, so concurrent callers, in any number of processes, cannot
   * both win. Holders compare expiry with their own clocks: keep the TTL well above any clock skew.
   */
  async acquireLease(...[tenantId, mailbox, holder, ttlMs, now = Date.now()]: LeaseTerms): Promise<boolean> {
    assertTtl(ttlMs);
    const rows = await this.db
      .insertInto('mailbox_leases')
      .values({ tenant_id: tenantId, mailbox_address: mailboxKey(mailbox), holder, expires_at: now + ttlMs })
      .onConflict((oc) =>
        oc
          .columns(['tenant_id', 'mailbox_address'])
          .doUpdateSet((eb) => ({ holder: eb.ref('excluded.holder'), expires_at: eb.ref('excluded.expires_at') }))
          .where((eb) =>
            eb.or([
              eb('mailbox_leases.expires_at', '<=', now),
              eb('mailbox_leases.holder', '=', eb.ref('excluded.holder'))
            ])
          )
      )
      .returning('holder')
      .execute();
    return rows.length === 1;
  }

  /**
   * Extends the holder's lease to now + ttlMs. False when the lease is no longer the holder's (taken over
   * after it expired, or released): unlike acquireLease it never creates a lease, so a processor that lost
   * its lease finds out instead of silently taking it again.
   */
  async renewLease(...[tenantId, mailbox, holder, ttlMs, now = Date.now()]: LeaseTerms): Promise<boolean> {
    assertTtl(ttlMs);
    const result = await this.db
      .updateTable('mailbox_leases')
      .set({ expires_at: now + ttlMs })
      .where('tenant_id', '=', tenantId)
      .where('mailbox_address', '=', mailboxKey(mailbox))
      .where('holder', '=', holder)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Gives the lease up, only if `holder` has it; true when it did. */
  async releaseLease(tenantId: string, mailbox: string, holder: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('mailbox_leases')
      .where('tenant_id', '=', tenantId)
      .where('mailbox_address', '=', mailboxKey(mailbox))
      .where('holder', '=', holder)
      .executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  // --- messages -------------------------------------------------------------------------------

  /** Counts one more failed attempt at the message, atomically, and returns the count. */
  async recordFailure(
    tenantId: string,
    mailbox: string,
    message: MailboxMessageRef,
    error: string,
    now: number = Date.now()
  ): Promise<number> {
    const row = await this.db
      .insertInto('mailbox_messages')
      .values(messageRow(tenantId, mailbox, message, { status: 'failing', attempts: 1, reason: error }, now))
      .onConflict((oc) =>
        oc.columns(['tenant_id', 'mailbox_address', 'message_id']).doUpdateSet((eb) => ({
          ...refreshedDetails(eb),
          attempts: eb('mailbox_messages.attempts', '+', 1),
          status: 'failing',
          reason: eb.ref('excluded.reason'),
          updated_at: eb.ref('excluded.updated_at')
        }))
      )
      .returning('attempts')
      .executeTakeFirstOrThrow();
    return Number(row.attempts);
  }

  /** The message was moved to the quarantine folder `folderId`; it keeps its attempt count and last error. */
  async markQuarantined(
    tenantId: string,
    mailbox: string,
    messageId: string,
    folderId: string,
    now: number = Date.now()
  ): Promise<void> {
    await this.db
      .insertInto('mailbox_messages')
      .values(
        messageRow(
          tenantId,
          mailbox,
          { messageId, internetMessageId: null, subject: null, sender: null, receivedAt: null },
          { status: 'quarantined', folderId },
          now
        )
      )
      .onConflict((oc) =>
        oc.columns(['tenant_id', 'mailbox_address', 'message_id']).doUpdateSet((eb) => ({
          status: 'quarantined',
          folder_id: eb.ref('excluded.folder_id'),
          updated_at: eb.ref('excluded.updated_at')
        }))
      )
      .execute();
  }

  /**
   * A page was filed away, in one transaction: the filed messages' failures are forgotten (and any quarantine
   * entry), those filed in "Not logged" are recorded with their reason, and those filed in the archive (`logged`)
   * as logged, so capture health counts every message seen.
   */
  async recordFiled(
    tenantId: string,
    mailbox: string,
    page: {
      filed: string[];
      notLogged: Array<{ message: MailboxMessageRef; reason: string }>;
      logged?: MailboxMessageRef[];
    },
    now: number = Date.now()
  ): Promise<void> {
    const logged = page.logged ?? [];
    if (page.filed.length === 0 && page.notLogged.length === 0 && logged.length === 0) return;
    const rows = [
      ...page.notLogged.map(({ message, reason }) =>
        messageRow(tenantId, mailbox, message, { status: 'not-logged', reason }, now)
      ),
      ...logged.map((message) => messageRow(tenantId, mailbox, message, { status: 'logged' }, now))
    ];
    await inTransaction(this.db, async (trx) => {
      await deleteFailures(trx, tenantId, mailbox, page.filed);
      for (let start = 0; start < rows.length; start += 200) {
        await trx
          .insertInto('mailbox_messages')
          .values(rows.slice(start, start + 200))
          .onConflict((oc) =>
            oc.columns(['tenant_id', 'mailbox_address', 'message_id']).doUpdateSet((eb) => ({
              ...refreshedDetails(eb),
              attempts: 0,
              status: eb.ref('excluded.status'),
              reason: eb.ref('excluded.reason'),
              updated_at: eb.ref('excluded.updated_at')
            }))
          )
          .execute();
      }
    });
  }

  /** Forgets the failures of messages that have now been filed (and any quarantine entry). */
  async clearFailures(tenantId: string, mailbox: string, messageIds: string | string[]): Promise<void> {
    await deleteFailures(this.db, tenantId, mailbox, Array.isArray(messageIds) ? messageIds : [messageIds]);
  }

  /** Quarantined messages and those waiting for their retry, newest first, of every mailbox of the tenant. */
  async listQuarantine(
    tenantId: string,
    options: MailboxPageOptions
  ): Promise<{ items: QuarantinedMessage[]; nextCursor: string | null }> {
    const rows = await keysetRows(
      this.db
        .selectFrom('mailbox_messages')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('status', 'in', [...QUARANTINE_STATUSES]),
      { key: 'updated_at', id: 'message_id', direction: 'desc', keyType: 'number' },
      options
    );
    return pageOf(rows, options.limit, (row) => ({ key: row.updated_at, id: row.message_id }), toQuarantined);
  }

  /**
   * Asks the processor to move a quarantined message back to the Inbox and try again from zero attempts.
   * True when this call requested it, false when a retry was already requested. StoreNotFound when the
   * tenant has no such message in quarantine.
   */
  async requestRetry(
    tenantId: string,
    messageId: string,
    now: number = Date.now(),
    actor: Actor | null = null
  ): Promise<boolean> {
    const retried = await inTransaction(this.db, async (trx) => {
      const updated = await trx
        .updateTable('mailbox_messages')
        .set({ status: 'retry-requested', attempts: 0, updated_at: now })
        .where('tenant_id', '=', tenantId)
        .where('message_id', '=', messageId)
        .where('status', '=', 'quarantined')
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) === 0) return false;
      await writeAudit(
        trx,
        tenantId,
        actor,
        [{ action: 'quarantine.retry-requested', entityType: 'mailbox-message', entityId: messageId }],
        now
      );
      return true;
    });
    if (retried) return true;
    const pending = await this.db
      .selectFrom('mailbox_messages')
      .select('message_id')
      .where('tenant_id', '=', tenantId)
      .where('message_id', '=', messageId)
      .where('status', '=', 'retry-requested')
      .executeTakeFirst();
    if (pending) return false;
    throw new StoreNotFound('The quarantined message');
  }

  /** Ids of the mailbox's messages whose retry was requested, oldest request first. */
  async retryRequested(tenantId: string, mailbox: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('mailbox_messages')
      .select('message_id')
      .where('tenant_id', '=', tenantId)
      .where('status', '=', 'retry-requested')
      .where('mailbox_address', '=', mailboxKey(mailbox))
      .orderBy('updated_at')
      .orderBy('message_id')
      .execute();
    return rows.map((row) => row.message_id);
  }

  /** Messages not logged since `sinceMs` (inclusive), counted by skip reason. */
  async skippedByReason(tenantId: string, sinceMs: number): Promise<Record<string, number>> {
    const rows = await this.db
      .selectFrom('mailbox_messages')
      .select((eb) => ['reason', eb.fn.countAll<number | string>().as('count')])
      .where('tenant_id', '=', tenantId)
      .where('status', '=', 'not-logged')
      .where('updated_at', '>=', sinceMs)
      .groupBy('reason')
      .execute();
    const counts: Record<string, number> = {};
    for (const row of rows) counts[row.reason ?? 'unknown'] = Number(row.count);
    return counts;
  }

  // --- capture health ------------------------------------------------------------------------

  /**
   * The tenant's processed messages received in [fromMs, toMs), counted per UTC day, salesperson, direction,
   * state and reason. A message without a received time counts at the time it was recorded.
   */
  async captureCounts(tenantId: string, fromMs: number, toMs: number): Promise<CaptureCount[]> {
    const at = sql<number>`coalesce(received_at, updated_at)`;
    // A literal, not a parameter: PostgreSQL matches the grouped expression with the selected one by its text.
    const day = sql<number | string>`(coalesce(received_at, updated_at) / ${sql.lit(DAY_MS)})`;
    const rows = await this.db
      .selectFrom('mailbox_messages')
      .select((eb) => [
        day.as('day'),
        'salesperson_id',
        'direction',
        'status',
        'reason',
        eb.fn.countAll<number | string>().as('count')
      ])
      .where('tenant_id', '=', tenantId)
      .where(at, '>=', fromMs)
      .where(at, '<', toMs)
      .groupBy([day, 'salesperson_id', 'direction', 'status', 'reason'])
      .execute();
    return rows.map((row) => ({
      day: Number(row.day),
      salespersonId: row.salesperson_id,
      direction: row.direction,
      status: row.status,
      // A failing message's reason is its last error, not a skip reason: not for the report.
      reason: row.status === 'not-logged' ? row.reason : null,
      count: Number(row.count)
    }));
  }

  /** Messages of each direction the tenant's processor recorded as received at or after `sinceMs`. */
  async seenByDirection(tenantId: string, sinceMs: number): Promise<Record<'inbound' | 'outbound', number>> {
    const rows = await this.db
      .selectFrom('mailbox_messages')
      .select((eb) => ['direction', eb.fn.countAll<number | string>().as('count')])
      .where('tenant_id', '=', tenantId)
      .where('received_at', '>=', sinceMs)
      .where('direction', 'is not', null)
      .groupBy('direction')
      .execute();
    const seen = { inbound: 0, outbound: 0 };
    for (const row of rows) if (row.direction) seen[row.direction] = Number(row.count);
    return seen;
  }

  /** Where a not-logged message waits for a contact to be added: the unmatched queue's rule, as a filter. */
  private unmatchedRows(tenantId: string) {
    return this.db
      .selectFrom('mailbox_messages')
      .where('tenant_id', '=', tenantId)
      .where('status', '=', 'not-logged')
      .where('external_address', 'is not', null)
      .where((eb) =>
        eb.or(UNMATCHED.map((rule) => eb.and([eb('reason', '=', rule.reason), eb('direction', '=', rule.direction)])))
      );
  }

  /** The unmatched queue: per outside address, its not-logged messages a contact would log; most first. */
  async unmatched(tenantId: string, limit: number): Promise<UnmatchedAddress[]> {
    const rows = await this.unmatchedRows(tenantId)
      .select((eb) => [
        'external_address',
        eb.fn.countAll<number | string>().as('count'),
        eb.fn.max('received_at').as('last')
      ])
      .groupBy('external_address')
      .orderBy('count', 'desc')
      .orderBy('external_address')
      .limit(limit)
      .execute();
    return rows.map((row) => ({
      address: row.external_address ?? '',
      count: Number(row.count),
      lastReceivedAt: row.last === null ? null : Number(row.last)
    }));
  }

  /**
   * Sends the address's unmatched messages back to be processed again: the next run moves them from "Not logged"
   * to the Inbox. Returns how many were sent back (none when they already were: the call is idempotent).
   */
  async requestReprocess(tenantId: string, address: string, now: number = Date.now()): Promise<number> {
    const ids = await this.unmatchedRows(tenantId)
      .select('message_id')
      .where('external_address', '=', normalizeEmail(address) ?? address)
      .execute();
    let updated = 0;
    for (let start = 0; start < ids.length; start += 500) {
      const result = await this.db
        .updateTable('mailbox_messages')
        .set({ status: 'reprocess-requested', updated_at: now })
        .where('tenant_id', '=', tenantId)
        .where('status', '=', 'not-logged')
        .where(
          'message_id',
          'in',
          ids.slice(start, start + 500).map((row) => row.message_id)
        )
        .executeTakeFirst();
      updated += Number(result.numUpdatedRows);
    }
    return updated;
  }

  /** Ids of the mailbox's not-logged messages sent back for processing, oldest request first. */
  async reprocessRequested(tenantId: string, mailbox: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('mailbox_messages')
      .select('message_id')
      .where('tenant_id', '=', tenantId)
      .where('mailbox_address', '=', mailboxKey(mailbox))
      .where('status', '=', 'reprocess-requested')
      .orderBy('updated_at')
      .orderBy('message_id')
      .execute();
    return rows.map((row) => row.message_id);
  }

  /** Messages that could not be moved back (no longer in "Not logged"): they stay not logged, as they are. */
  async reprocessRefused(tenantId: string, mailbox: string, messageIds: string[], now: number = Date.now()) {
    for (let start = 0; start < messageIds.length; start += 500) {
      await this.db
        .updateTable('mailbox_messages')
        .set({ status: 'not-logged', updated_at: now })
        .where('tenant_id', '=', tenantId)
        .where('mailbox_address', '=', mailboxKey(mailbox))
        .where('status', '=', 'reprocess-requested')
        .where('message_id', 'in', messageIds.slice(start, start + 500))
        .execute();
    }
  }

  /** What the tenant's processor recorded of the mailbox's messages since `sinceMs`, for reconciliation. */
  async recordedSince(tenantId: string, mailbox: string, sinceMs: number): Promise<RecordedMessage[]> {
    const rows = await this.db
      .selectFrom('mailbox_messages')
      .select(['message_id', 'internet_message_id', 'subject', 'sender', 'received_at', 'status'])
      .where('tenant_id', '=', tenantId)
      .where('mailbox_address', '=', mailboxKey(mailbox))
      .where(sql<number>`coalesce(received_at, updated_at)`, '>=', sinceMs)
      .execute();
    return rows.map((row) => ({
      messageId: row.message_id,
      internetMessageId: row.internet_message_id,
      subject: row.subject,
      from: row.sender,
      receivedDateTime: row.received_at === null ? null : iso(Number(row.received_at)),
      status: row.status
    }));
  }

  // --- runs -----------------------------------------------------------------------------------

  async startRun(tenantId: string, mailbox: string, trigger: RunTrigger, now: number = Date.now()): Promise<string> {
    const id = newId();
    await this.db
      .insertInto('mailbox_runs')
      .values({
        tenant_id: tenantId,
        id,
        mailbox_address: mailboxKey(mailbox),
        trigger,
        started_at: now,
        finished_at: null,
        status: 'running',
        seen: 0,
        logged: 0,
        failed: 0,
        quarantined: 0,
        requests: 0,
        throttled: 0,
        skipped: '{}',
        duration_ms: null,
        error: null
      })
      .execute();
    return id;
  }

  /** Records how a run ended. StoreNotFound for an unknown run. */
  async finishRun(tenantId: string, runId: string, result: RunResult, now: number = Date.now()): Promise<void> {
    const updated = await this.db
      .updateTable('mailbox_runs')
      .set({
        finished_at: now,
        status: result.status,
        seen: result.seen,
        logged: result.logged,
        failed: result.failed,
        quarantined: result.quarantined,
        requests: result.requests,
        throttled: result.throttled,
        skipped: JSON.stringify(result.skipped),
        duration_ms: result.durationMs ?? sql<number>`${now} - started_at`,
        error: result.error ? clip(result.error) : null
      })
      .where('tenant_id', '=', tenantId)
      .where('id', '=', runId)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) throw new StoreNotFound('The mailbox run');
  }

  /**
   * Runs of the mailbox still marked running, started before `now`, are closed as abandoned: their process
   * died (killed, crashed, lease expired). Called by the run that has just taken the mailbox's lease over, so
   * the history never shows a run running forever. Returns how many were closed.
   */
  async abandonStaleRuns(tenantId: string, mailbox: string, now: number = Date.now()): Promise<number> {
    const result = await this.db
      .updateTable('mailbox_runs')
      .set({
        status: 'abandoned',
        finished_at: now,
        duration_ms: sql<number>`${now} - started_at`,
        error: 'The process running it stopped before it finished; a later run took the mailbox over.'
      })
      .where('tenant_id', '=', tenantId)
      .where('mailbox_address', '=', mailboxKey(mailbox))
      .where('status', '=', 'running')
      .where('started_at', '<=', now)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /**
   * Forgets bookkeeping older than `before` (epoch ms): messages not logged (filed in "Not logged"; the
   * message itself keeps the record) and failures of messages that have since left the Inbox without being
   * filed by the processor (moved by hand); and finished runs. Quarantined messages and retry requests stay
   * until they are dealt with; the newest run always stays. Returns the rows deleted.
   */
  async pruneBookkeeping(
    tenantId: string,
    before: { messages: number; runs: number }
  ): Promise<{ messages: number; runs: number }> {
    const messages = await this.db
      .deleteFrom('mailbox_messages')
      .where('tenant_id', '=', tenantId)
      .where('status', 'in', ['not-logged', 'failing', 'logged'])
      .where('updated_at', '<', before.messages)
      .executeTakeFirst();
    const newest = await this.lastRun(tenantId);
    let runs = this.db
      .deleteFrom('mailbox_runs')
      .where('tenant_id', '=', tenantId)
      .where('status', '!=', 'running')
      .where('started_at', '<', before.runs);
    if (newest) runs = runs.where('id', '!=', newest.id);
    const deletedRuns = await runs.executeTakeFirst();
    return { messages: Number(messages.numDeletedRows), runs: Number(deletedRuns.numDeletedRows) };
  }

  /** Runs, newest first. */
  async listRuns(
    tenantId: string,
    options: MailboxPageOptions
  ): Promise<{ items: MailboxRun[]; nextCursor: string | null }> {
    const rows = await keysetRows(
      this.db.selectFrom('mailbox_runs').selectAll().where('tenant_id', '=', tenantId),
      { key: 'started_at', id: 'id', direction: 'desc', keyType: 'number' },
      options
    );
    return pageOf(rows, options.limit, (row) => ({ key: row.started_at, id: row.id }), toRun);
  }

  /** The newest run, finished or still running; null before the first. */
  async lastRun(tenantId: string): Promise<MailboxRun | null> {
    const { items } = await this.listRuns(tenantId, { limit: 1 });
    return items[0] ?? null;
  }
}

// --- settings helpers ---------------------------------------------------------------------------

function defaults(): MailboxSettings {
  return { ...DEFAULT_MAILBOX_SETTINGS, neverLogDomains: [], neverLogAddresses: [] };
}

type SettingsColumns = Partial<Omit<MailboxSettingsTable, 'tenant_id' | 'updated_at' | 'updated_by'>>;

/**
 * The patch as columns, in the form they are stored: addresses and domains lower case, names trimmed, lists
 * without blanks or repeats. Fields left out of the patch are left out here. The values were checked before
 * they came (the API's MailboxSettingsUpdate schema); an address that is blank or no address is stored as none.
 */
function settingsColumns(patch: MailboxSettingsPatch): SettingsColumns {
  const columns: SettingsColumns = {};
  if (patch.enabled !== undefined) columns.enabled = patch.enabled ? 1 : 0;
  if (patch.skipInternalOnly !== undefined) columns.skip_internal_only = patch.skipInternalOnly ? 1 : 0;
  if (patch.mailboxAddress !== undefined) columns.mailbox_address = normalizeEmail(patch.mailboxAddress);
  if (patch.archiveFolder !== undefined) columns.archive_folder = patch.archiveFolder.trim();
  if (patch.notLoggedFolder !== undefined) columns.not_logged_folder = patch.notLoggedFolder.trim();
  if (patch.quarantineFolder !== undefined) columns.quarantine_folder = patch.quarantineFolder.trim();
  if (patch.intervalSeconds !== undefined) columns.interval_seconds = patch.intervalSeconds;
  if (patch.batchSize !== undefined) columns.batch_size = patch.batchSize;
  if (patch.captureAlertHours !== undefined) columns.capture_alert_hours = patch.captureAlertHours;
  if (patch.neverLogDomains !== undefined) {
    columns.never_log_domains = JSON.stringify(
      normalizedList(patch.neverLogDomains, (entry) => entry.replace(/^@+/, ''))
    );
  }
  if (patch.neverLogAddresses !== undefined) {
    columns.never_log_addresses = JSON.stringify(normalizedList(patch.neverLogAddresses, (entry) => entry));
  }
  return columns;
}

/** Trimmed, lower-cased, blanks dropped, each entry once, in the order first given. */
function normalizedList(entries: string[], shape: (entry: string) => string): string[] {
  const seen = new Set<string>();
  for (const entry of entries) {
    const value = shape(entry.trim().toLowerCase()).trim();
    if (value !== '') seen.add(value);
  }
  return [...seen];
}

function stringArray(json: string): string[] {
  try {
    const parsed: unknown = JSON.parse(json);
    return Array.isArray(parsed) ? parsed.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

function toSettings(row: MailboxSettingsTable): MailboxSettings {
  return {
    enabled: Number(row.enabled) === 1,
    mailboxAddress: row.mailbox_address,
    archiveFolder: row.archive_folder,
    notLoggedFolder: row.not_logged_folder,
    quarantineFolder: row.quarantine_folder,
    intervalSeconds: Number(row.interval_seconds),
    batchSize: Number(row.batch_size),
    neverLogDomains: stringArray(row.never_log_domains),
    neverLogAddresses: stringArray(row.never_log_addresses),
    skipInternalOnly: Number(row.skip_internal_only) === 1,
    captureAlertHours: Number(row.capture_alert_hours),
    updatedAt: iso(Number(row.updated_at)),
    updatedBy: row.updated_by
  };
}

// --- lease, message and run helpers -------------------------------------------------------------

async function deleteFailures(db: Kysely<Database>, tenantId: string, mailbox: string, ids: string[]): Promise<void> {
  for (let start = 0; start < ids.length; start += 500) {
    await db
      .deleteFrom('mailbox_messages')
      .where('tenant_id', '=', tenantId)
      .where('mailbox_address', '=', mailboxKey(mailbox))
      .where('message_id', 'in', ids.slice(start, start + 500))
      .where('status', '!=', 'not-logged')
      .execute();
  }
}

function assertTtl(ttlMs: number): void {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new RangeError(`A lease needs a positive TTL, not ${ttlMs}.`);
}

/** A message's row in `state`: no attempts, reason or folder unless the state says. */
function messageRow(
  tenantId: string,
  mailbox: string,
  message: MailboxMessageRef,
  state: { status: MailboxMessageStatus; attempts?: number; reason?: string; folderId?: string },
  now: number
) {
  return {
    tenant_id: tenantId,
    mailbox_address: mailboxKey(mailbox),
    message_id: message.messageId,
    internet_message_id: message.internetMessageId,
    subject: message.subject,
    sender: message.sender,
    received_at: message.receivedAt,
    direction: message.direction ?? null,
    salesperson_id: message.salespersonId ?? null,
    external_address: message.externalAddress ?? null,
    attempts: state.attempts ?? 0,
    status: state.status,
    reason: state.reason === undefined ? null : clip(state.reason),
    folder_id: state.folderId ?? null,
    updated_at: now
  };
}

/** On a repeat, what the processor knows now about the message, keeping what it knew before where it knows less. */
function refreshedDetails(
  eb: ExpressionBuilder<OnConflictUpdateDatabase<Database, 'mailbox_messages'>, OnConflictTables<'mailbox_messages'>>
) {
  return {
    internet_message_id: eb.fn.coalesce('excluded.internet_message_id', 'mailbox_messages.internet_message_id'),
    subject: eb.fn.coalesce('excluded.subject', 'mailbox_messages.subject'),
    sender: eb.fn.coalesce('excluded.sender', 'mailbox_messages.sender'),
    received_at: eb.fn.coalesce('excluded.received_at', 'mailbox_messages.received_at'),
    direction: eb.fn.coalesce('excluded.direction', 'mailbox_messages.direction'),
    salesperson_id: eb.fn.coalesce('excluded.salesperson_id', 'mailbox_messages.salesperson_id'),
    external_address: eb.fn.coalesce('excluded.external_address', 'mailbox_messages.external_address')
  };
}

function toQuarantined(row: MailboxMessageTable): QuarantinedMessage {
  return {
    mailboxAddress: row.mailbox_address,
    messageId: row.message_id,
    internetMessageId: row.internet_message_id,
    subject: row.subject,
    sender: row.sender,
    receivedAt: row.received_at === null ? null : iso(Number(row.received_at)),
    attempts: Number(row.attempts),
    status: row.status as QuarantinedMessage['status'],
    reason: row.reason,
    folderId: row.folder_id,
    updatedAt: iso(Number(row.updated_at))
  };
}

function skippedCounts(json: string): Record<string, number> {
  try {
    const parsed: unknown = JSON.parse(json);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
    return Object.fromEntries(
      Object.entries(parsed).filter((entry): entry is [string, number] => typeof entry[1] === 'number')
    );
  } catch {
    return {};
  }
}

function toRun(row: MailboxRunTable): MailboxRun {
  return {
    id: row.id,
    mailboxAddress: row.mailbox_address,
    trigger: row.trigger,
    status: row.status,
    startedAt: iso(Number(row.started_at)),
    finishedAt: row.finished_at === null ? null : iso(Number(row.finished_at)),
    durationMs: row.duration_ms === null ? null : Number(row.duration_ms),
    seen: Number(row.seen),
    logged: Number(row.logged),
    failed: Number(row.failed),
    quarantined: Number(row.quarantined),
    requests: Number(row.requests),
    throttled: Number(row.throttled),
    skipped: skippedCounts(row.skipped),
    error: row.error
  };
}
