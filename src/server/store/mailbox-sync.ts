import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/*
 * Near real time for the shared mailbox, per mailbox: the Inbox's delta link, "dirty" (a change notification
 * asks for a run) and the Graph change-notification subscription. Mailbox addresses compare trimmed and
 * lower-cased, as in MailboxStore.
 */

export interface MailboxSync {
  deltaLink: string | null;
  /** Epoch ms of the oldest notification no run has handled yet; null when none waits. */
  dirtySince: number | null;
  subscriptionId: string | null;
  /** SHA-256 (hex) of the subscription's clientState. */
  clientStateHash: string | null;
  /** Epoch ms. */
  subscriptionExpiresAt: number | null;
}

export interface SubscriptionOwner {
  tenantId: string;
  mailboxAddress: string;
  clientStateHash: string;
  expiresAt: number;
}

const mailboxKey = (mailbox: string) => mailbox.trim().toLowerCase();

/** A mailbox's row before anything is known: no delta link, nothing asked, no subscription. */
const emptyRow = (tenantId: string, mailbox: string) => ({
  tenant_id: tenantId,
  mailbox_address: mailboxKey(mailbox),
  delta_link: null,
  dirty_since: null,
  subscription_id: null,
  client_state_hash: null,
  subscription_expires_at: null
});
const numberOrNull = (value: unknown) => (value === null || value === undefined ? null : Number(value));

export class MailboxSyncStore {
  constructor(private readonly db: Kysely<Database>) {}

  async get(tenantId: string, mailbox: string): Promise<MailboxSync> {
    const row = await this.db
      .selectFrom('mailbox_sync')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('mailbox_address', '=', mailboxKey(mailbox))
      .executeTakeFirst();
    return {
      deltaLink: row?.delta_link ?? null,
      dirtySince: numberOrNull(row?.dirty_since),
      subscriptionId: row?.subscription_id ?? null,
      clientStateHash: row?.client_state_hash ?? null,
      subscriptionExpiresAt: numberOrNull(row?.subscription_expires_at)
    };
  }

  /** Writes some columns of the mailbox's row, creating it when missing. */
  private async upsert(
    tenantId: string,
    mailbox: string,
    values: Partial<Omit<Database['mailbox_sync'], 'tenant_id' | 'mailbox_address'>>,
    now: number
  ): Promise<void> {
    await this.db
      .insertInto('mailbox_sync')
      .values({ ...emptyRow(tenantId, mailbox), ...values, updated_at: now })
      .onConflict((oc) => oc.columns(['tenant_id', 'mailbox_address']).doUpdateSet({ ...values, updated_at: now }))
      .execute();
  }

  /** The delta link to start the next catch-up from; null starts the Inbox's delta over (a full round). */
  async saveDeltaLink(tenantId: string, mailbox: string, deltaLink: string | null, now = Date.now()): Promise<void> {
    await this.upsert(tenantId, mailbox, { delta_link: deltaLink }, now);
  }

  /** A notification asks for a run; the oldest such time is kept. */
  async markDirty(tenantId: string, mailbox: string, now = Date.now()): Promise<void> {
    await this.db
      .insertInto('mailbox_sync')
      .values({ ...emptyRow(tenantId, mailbox), dirty_since: now, updated_at: now })
      .onConflict((oc) =>
        oc.columns(['tenant_id', 'mailbox_address']).doUpdateSet((eb) => ({
          dirty_since: eb.fn.coalesce('mailbox_sync.dirty_since', eb.ref('excluded.dirty_since')),
          updated_at: now
        }))
      )
      .execute();
  }

  /** A run (holding the lease) is about to read the delta: what was asked before now is handled by it. */
  async clearDirty(tenantId: string, mailbox: string): Promise<void> {
    await this.db
      .updateTable('mailbox_sync')
      .set({ dirty_since: null })
      .where('tenant_id', '=', tenantId)
      .where('mailbox_address', '=', mailboxKey(mailbox))
      .execute();
  }

  /** Mailboxes a notification asked a run for, oldest first. */
  async dirtyMailboxes(limit = 1000): Promise<Array<{ tenantId: string; mailboxAddress: string; since: number }>> {
    const rows = await this.db
      .selectFrom('mailbox_sync')
      .select(['tenant_id', 'mailbox_address', 'dirty_since'])
      .where('dirty_since', 'is not', null)
      .orderBy('dirty_since')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      tenantId: r.tenant_id,
      mailboxAddress: r.mailbox_address,
      since: Number(r.dirty_since)
    }));
  }

  async saveSubscription(
    tenantId: string,
    mailbox: string,
    subscription: { id: string; clientStateHash: string; expiresAt: number },
    now = Date.now()
  ): Promise<void> {
    await this.upsert(
      tenantId,
      mailbox,
      {
        subscription_id: subscription.id,
        client_state_hash: subscription.clientStateHash,
        subscription_expires_at: subscription.expiresAt
      },
      now
    );
  }

  async renewedSubscription(tenantId: string, mailbox: string, expiresAt: number, now = Date.now()): Promise<void> {
    await this.upsert(tenantId, mailbox, { subscription_expires_at: expiresAt }, now);
  }

  async clearSubscription(tenantId: string, mailbox: string, now = Date.now()): Promise<void> {
    await this.upsert(
      tenantId,
      mailbox,
      { subscription_id: null, client_state_hash: null, subscription_expires_at: null },
      now
    );
  }

  /** Whose subscription this is (Graph's notifications name only the subscription). */
  async subscriptionOwner(subscriptionId: string): Promise<SubscriptionOwner | null> {
    const row = await this.db
      .selectFrom('mailbox_sync')
      .select(['tenant_id', 'mailbox_address', 'client_state_hash', 'subscription_expires_at'])
      .where('subscription_id', '=', subscriptionId)
      .executeTakeFirst();
    if (!row?.client_state_hash) return null;
    return {
      tenantId: row.tenant_id,
      mailboxAddress: row.mailbox_address,
      clientStateHash: row.client_state_hash,
      expiresAt: Number(row.subscription_expires_at ?? 0)
    };
  }
}
