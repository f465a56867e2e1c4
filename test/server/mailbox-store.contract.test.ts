import { InvalidCursor, StoreNotFound } from '../../src/server/store/errors.js';
import { encodeCursor } from '../../src/server/store/cursor.js';
import {
  DEFAULT_MAILBOX_SETTINGS,
  openStore,
  type MailboxMessageRef,
  type MailboxStore,
  type RunResult,
  type Store
} from '../../src/server/store/index.js';
import { allPages, newTenantId, rejectionOf, useStore } from '../helpers/contract.js';
import { createTestStore, ENGINES, type TestStore } from '../helpers/stores.js';

/*
 * The shared-mailbox half of the store contract: settings, leases (including races between processes),
 * per-message failure and quarantine state, and the run history. The same tests run against SQLite and
 * PostgreSQL.
 */

const T0 = Date.UTC(2030, 0, 1);
const SHARED = 'shared@northwind.example';

let messageCounter = 0;
const message = (overrides: Partial<MailboxMessageRef> = {}): MailboxMessageRef => {
  messageCounter += 1;
  return {
    messageId: `AAMk-${messageCounter}-${Math.random().toString(36).slice(2)}`,
    internetMessageId: `<m${messageCounter}@contoso.example>`,
    subject: `Subject ${messageCounter}`,
    sender: 'carl@contoso.example',
    receivedAt: T0 - 60_000,
    ...overrides
  };
};

const counters = (overrides: Partial<RunResult> = {}): RunResult => ({
  status: 'succeeded',
  seen: 0,
  logged: 0,
  failed: 0,
  quarantined: 0,
  requests: 0,
  throttled: 0,
  skipped: {},
  ...overrides
});

/** Quarantines a message after `attempts` failures; returns it. */
async function quarantine(
  mailbox: MailboxStore,
  tenant: string,
  at: number,
  options: { attempts?: number; address?: string; ref?: MailboxMessageRef } = {}
): Promise<MailboxMessageRef> {
  const ref = options.ref ?? message();
  for (let i = 0; i < (options.attempts ?? 1); i += 1) {
    await mailbox.recordFailure(tenant, options.address ?? SHARED, ref, `error ${i + 1}`, at);
  }
  await mailbox.markQuarantined(tenant, options.address ?? SHARED, ref.messageId, 'folder-quarantine', at);
  return ref;
}

describe.each(ENGINES)('store contract on %s: mailbox', (engine) => {
  const store = useStore(engine);
  const mailbox = () => store().mailbox;

  describe('settings', () => {
    test('a tenant without saved settings gets the defaults', async () => {
      const settings = await mailbox().getSettings(newTenantId());
      expect(settings).toEqual({
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
      expect(settings).toEqual(DEFAULT_MAILBOX_SETTINGS);
      // Callers may change what they got without changing the next tenant's defaults.
      settings.neverLogDomains.push('mutated.example');
      expect((await mailbox().getSettings(newTenantId())).neverLogDomains).toEqual([]);
    });

    test('save round-trips every field and normalizes addresses and domains', async () => {
      const tenant = newTenantId();
      const before = Date.now();
      const saved = await mailbox().saveSettings(
        tenant,
        {
          enabled: true,
          mailboxAddress: '  Shared@Northwind.Example ',
          archiveFolder: ' Logged ',
          notLoggedFolder: 'Skipped',
          quarantineFolder: 'Problems',
          intervalSeconds: 120,
          batchSize: 25,
          neverLogDomains: [' Contoso.COM', '@fabrikam.example', 'contoso.com', '', '  ', 'FABRIKAM.example'],
          neverLogAddresses: ['Boss@Northwind.example ', 'boss@northwind.example', 'hr@northwind.example'],
          skipInternalOnly: false,
          captureAlertHours: 6
        },
        'admin-1'
      );
      expect(saved).toEqual({
        enabled: true,
        mailboxAddress: 'shared@northwind.example',
        archiveFolder: 'Logged',
        notLoggedFolder: 'Skipped',
        quarantineFolder: 'Problems',
        intervalSeconds: 120,
        batchSize: 25,
        neverLogDomains: ['contoso.com', 'fabrikam.example'],
        neverLogAddresses: ['boss@northwind.example', 'hr@northwind.example'],
        skipInternalOnly: false,
        captureAlertHours: 6,
        updatedAt: expect.any(String),
        updatedBy: 'admin-1'
      });
      expect(Date.parse(saved.updatedAt ?? '')).toBeGreaterThanOrEqual(before);
      expect(await mailbox().getSettings(tenant)).toEqual(saved);
    });

    test('a patch changes only its fields; the rest stay as saved or default', async () => {
      const tenant = newTenantId();
      await mailbox().saveSettings(tenant, { mailboxAddress: SHARED, neverLogDomains: ['contoso.com'] }, 'admin-1');
      const first = await mailbox().getSettings(tenant);
      expect(first).toMatchObject({ enabled: false, mailboxAddress: SHARED, batchSize: 50, updatedBy: 'admin-1' });

      const second = await mailbox().saveSettings(tenant, { enabled: true, batchSize: 10 }, null);
      expect(second).toEqual({
        ...first,
        enabled: true,
        batchSize: 10,
        updatedAt: expect.any(String),
        updatedBy: null
      });

      // null and blank both clear the address; the lists can be emptied.
      expect(
        await mailbox().saveSettings(tenant, { mailboxAddress: null, neverLogDomains: [] }, 'admin-2')
      ).toMatchObject({ mailboxAddress: null, neverLogDomains: [], enabled: true, updatedBy: 'admin-2' });
      await mailbox().saveSettings(tenant, { mailboxAddress: SHARED }, 'admin-2');
      expect((await mailbox().saveSettings(tenant, { mailboxAddress: '  ' }, 'admin-2')).mailboxAddress).toBeNull();

      // An empty patch still records who saved.
      expect((await mailbox().saveSettings(tenant, {}, 'admin-3')).updatedBy).toBe('admin-3');
    });

    test('concurrent saves of different fields both take effect', async () => {
      const tenant = newTenantId();
      await Promise.all([
        mailbox().saveSettings(tenant, { enabled: true }, 'admin-1'),
        mailbox().saveSettings(tenant, { mailboxAddress: SHARED }, 'admin-2'),
        mailbox().saveSettings(tenant, { batchSize: 7 }, 'admin-3'),
        mailbox().saveSettings(tenant, { neverLogAddresses: ['x@y.example'] }, 'admin-4')
      ]);
      expect(await mailbox().getSettings(tenant)).toMatchObject({
        enabled: true,
        mailboxAddress: SHARED,
        batchSize: 7,
        neverLogAddresses: ['x@y.example']
      });
    });

    test("one tenant's settings are invisible to another", async () => {
      const tenantA = newTenantId();
      const tenantB = newTenantId();
      await mailbox().saveSettings(tenantA, { enabled: true, mailboxAddress: SHARED, batchSize: 5 }, 'admin-a');
      expect(await mailbox().getSettings(tenantB)).toEqual(DEFAULT_MAILBOX_SETTINGS);
      await mailbox().saveSettings(tenantB, { batchSize: 9 }, 'admin-b');
      expect((await mailbox().getSettings(tenantA)).batchSize).toBe(5);
      expect((await mailbox().getSettings(tenantB)).enabled).toBe(false);
    });

    test('enabledTenants lists exactly the enabled tenants with an address, across tenants', async () => {
      const ready = newTenantId();
      const noAddress = newTenantId();
      const disabled = newTenantId();
      const switchedOff = newTenantId();
      const cleared = newTenantId();
      await mailbox().saveSettings(ready, { enabled: true, mailboxAddress: 'Ready@A.example', batchSize: 3 }, null);
      await mailbox().saveSettings(noAddress, { enabled: true }, null);
      await mailbox().saveSettings(disabled, { mailboxAddress: 'x@c.example' }, null);
      await mailbox().saveSettings(switchedOff, { enabled: true, mailboxAddress: 'x@d.example' }, null);
      await mailbox().saveSettings(switchedOff, { enabled: false }, null);
      await mailbox().saveSettings(cleared, { enabled: true, mailboxAddress: 'x@e.example' }, null);
      await mailbox().saveSettings(cleared, { mailboxAddress: null }, null);

      const ours = new Set([ready, noAddress, disabled, switchedOff, cleared]);
      const listed = (await mailbox().enabledTenants()).filter((t) => ours.has(t.tenantId));
      expect(listed).toEqual([{ tenantId: ready, settings: await mailbox().getSettings(ready) }]);
      expect(listed[0]?.settings).toMatchObject({ mailboxAddress: 'ready@a.example', batchSize: 3 });
    });
  });

  describe('leases', () => {
    test('acquire, refuse while live, extend for the same holder, take over once expired', async () => {
      const m = mailbox();
      const tenant = newTenantId();
      expect(await m.acquireLease(tenant, SHARED, 'a', 1000, T0)).toBe(true);
      expect(await m.acquireLease(tenant, SHARED, 'b', 1000, T0 + 500)).toBe(false);
      // The same holder extends: from T0+900 to T0+1900.
      expect(await m.acquireLease(tenant, SHARED, 'a', 1000, T0 + 900)).toBe(true);
      expect(await m.acquireLease(tenant, SHARED, 'b', 1000, T0 + 1500)).toBe(false);
      // Valid while now < expires_at: at T0+1900 it has expired.
      expect(await m.acquireLease(tenant, SHARED, 'b', 1000, T0 + 1899)).toBe(false);
      expect(await m.acquireLease(tenant, SHARED, 'b', 1000, T0 + 1900)).toBe(true);
      // The old holder has lost it.
      expect(await m.acquireLease(tenant, SHARED, 'a', 1000, T0 + 2000)).toBe(false);
      expect(await m.renewLease(tenant, SHARED, 'a', 1000, T0 + 2000)).toBe(false);
      expect(await m.renewLease(tenant, SHARED, 'b', 1000, T0 + 2000)).toBe(true);
    });

    test('renew extends the holder’s lease and never creates one', async () => {
      const m = mailbox();
      const tenant = newTenantId();
      expect(await m.renewLease(tenant, SHARED, 'a', 1000, T0)).toBe(false);
      // The failed renewal left nothing behind.
      expect(await m.acquireLease(tenant, SHARED, 'b', 1000, T0)).toBe(true);
      expect(await m.renewLease(tenant, SHARED, 'b', 5000, T0 + 800)).toBe(true);
      expect(await m.acquireLease(tenant, SHARED, 'c', 1000, T0 + 5000)).toBe(false);
      expect(await m.acquireLease(tenant, SHARED, 'c', 1000, T0 + 5800)).toBe(true);
      expect(await m.renewLease(tenant, SHARED, 'b', 5000, T0 + 5900)).toBe(false);
    });

    test('release works only for the holder', async () => {
      const m = mailbox();
      const tenant = newTenantId();
      expect(await m.acquireLease(tenant, SHARED, 'a', 60_000, T0)).toBe(true);
      expect(await m.releaseLease(tenant, SHARED, 'b')).toBe(false);
      expect(await m.acquireLease(tenant, SHARED, 'b', 60_000, T0 + 1)).toBe(false);
      expect(await m.releaseLease(tenant, SHARED, 'a')).toBe(true);
      expect(await m.releaseLease(tenant, SHARED, 'a')).toBe(false);
      expect(await m.renewLease(tenant, SHARED, 'a', 60_000, T0 + 2)).toBe(false);
      expect(await m.acquireLease(tenant, SHARED, 'b', 60_000, T0 + 2)).toBe(true);
    });

    test('leases are per tenant and per mailbox; addresses compare case-insensitively', async () => {
      const m = mailbox();
      const tenantA = newTenantId();
      const tenantB = newTenantId();
      expect(await m.acquireLease(tenantA, 'Shared@Northwind.example', 'a', 60_000, T0)).toBe(true);
      expect(await m.acquireLease(tenantA, ' shared@northwind.EXAMPLE', 'b', 60_000, T0)).toBe(false);
      expect(await m.acquireLease(tenantA, 'other@northwind.example', 'b', 60_000, T0)).toBe(true);
      expect(await m.acquireLease(tenantB, SHARED, 'b', 60_000, T0)).toBe(true);
      // Tenant B's holder cannot release or renew tenant A's lease.
      expect(await m.releaseLease(tenantB, SHARED, 'a')).toBe(false);
      expect(await m.renewLease(tenantB, SHARED, 'a', 60_000, T0)).toBe(false);
      expect(await m.acquireLease(tenantA, SHARED, 'c', 60_000, T0 + 1)).toBe(false);
      expect(await m.releaseLease(tenantA, SHARED, 'a')).toBe(true);
      expect(await m.acquireLease(tenantB, SHARED, 'c', 60_000, T0 + 1)).toBe(false);
    });

    test('a TTL must be positive', async () => {
      const tenant = newTenantId();
      expect(await rejectionOf(mailbox().acquireLease(tenant, SHARED, 'a', 0, T0))).toBeInstanceOf(RangeError);
      expect(await rejectionOf(mailbox().renewLease(tenant, SHARED, 'a', -5, T0))).toBeInstanceOf(RangeError);
      expect(await mailbox().acquireLease(tenant, SHARED, 'b', 1000, T0)).toBe(true);
    });

    test('race: of 10 concurrent holders exactly one gets a free lease, and exactly one takes over an expired one', async () => {
      const m = mailbox();
      for (let round = 0; round < 3; round += 1) {
        const tenant = newTenantId();
        const holders = Array.from({ length: 10 }, (_, i) => `h${round}-${i}`);
        const first = await Promise.all(holders.map((h) => m.acquireLease(tenant, SHARED, h, 1000, T0)));
        expect(first.filter(Boolean)).toHaveLength(1);
        const winner = holders[first.indexOf(true)] as string;
        const renewals = await Promise.all(holders.map((h) => m.renewLease(tenant, SHARED, h, 1000, T0 + 10)));
        expect(holders.filter((_, i) => renewals[i])).toEqual([winner]);

        const late = holders.map((h) => `${h}-late`);
        const second = await Promise.all(late.map((h) => m.acquireLease(tenant, SHARED, h, 1000, T0 + 5000)));
        expect(second.filter(Boolean)).toHaveLength(1);
        expect(await m.renewLease(tenant, SHARED, winner, 1000, T0 + 5001)).toBe(false);
      }
    });
  });

  describe('message state', () => {
    test('recordFailure counts attempts and keeps the last error; the details are kept when later unknown', async () => {
      const m = mailbox();
      const tenant = newTenantId();
      const ref = message();
      expect(await m.recordFailure(tenant, SHARED, ref, 'timeout', T0)).toBe(1);
      expect(await m.recordFailure(tenant, SHARED, ref, 'throttled', T0 + 1)).toBe(2);
      expect(
        await m.recordFailure(
          tenant,
          'SHARED@northwind.example',
          { messageId: ref.messageId, internetMessageId: null, subject: null, sender: null, receivedAt: null },
          'boom',
          T0 + 2
        )
      ).toBe(3);
      // Failing messages are not in quarantine.
      expect((await m.listQuarantine(tenant, { limit: 10 })).items).toEqual([]);
      await m.markQuarantined(tenant, SHARED, ref.messageId, 'folder-q', T0 + 3);
      expect((await m.listQuarantine(tenant, { limit: 10 })).items).toEqual([
        {
          mailboxAddress: SHARED,
          messageId: ref.messageId,
          internetMessageId: ref.internetMessageId,
          subject: ref.subject,
          sender: ref.sender,
          receivedAt: new Date(ref.receivedAt as number).toISOString(),
          attempts: 3,
          status: 'quarantined',
          reason: 'boom',
          folderId: 'folder-q',
          updatedAt: new Date(T0 + 3).toISOString()
        }
      ]);
    });

    test('concurrent failures of one message are all counted', async () => {
      const m = mailbox();
      const tenant = newTenantId();
      const ref = message();
      const counts = await Promise.all([1, 2, 3].map((i) => m.recordFailure(tenant, SHARED, ref, `error ${i}`)));
      expect([...counts].sort()).toEqual([1, 2, 3]);
      expect(await m.recordFailure(tenant, SHARED, ref, 'again')).toBe(4);
    });

    test('failures are counted per tenant and per mailbox', async () => {
      const m = mailbox();
      const tenantA = newTenantId();
      const tenantB = newTenantId();
      const ref = message();
      expect(await m.recordFailure(tenantA, SHARED, ref, 'x')).toBe(1);
      expect(await m.recordFailure(tenantA, SHARED, ref, 'x')).toBe(2);
      expect(await m.recordFailure(tenantB, SHARED, ref, 'x')).toBe(1);
      expect(await m.recordFailure(tenantA, 'other@northwind.example', ref, 'x')).toBe(1);
      await m.clearFailures(tenantB, SHARED, ref.messageId);
      expect(await m.recordFailure(tenantA, SHARED, ref, 'x')).toBe(3);
    });

    test('clearFailures forgets the message: the next failure starts again from one', async () => {
      const m = mailbox();
      const tenant = newTenantId();
      const ref = await quarantine(m, tenant, T0, { attempts: 2 });
      await m.clearFailures(tenant, 'Shared@Northwind.example', ref.messageId);
      expect((await m.listQuarantine(tenant, { limit: 10 })).items).toEqual([]);
      expect(await m.recordFailure(tenant, SHARED, ref, 'x')).toBe(1);
      // Clearing what is not there is harmless.
      await m.clearFailures(tenant, SHARED, 'never-seen');
    });

    test('markQuarantined without earlier failures still lists the message', async () => {
      const m = mailbox();
      const tenant = newTenantId();
      await m.markQuarantined(tenant, SHARED, 'lonely', 'folder-q', T0);
      expect((await m.listQuarantine(tenant, { limit: 10 })).items).toEqual([
        expect.objectContaining({ messageId: 'lonely', attempts: 0, status: 'quarantined', subject: null })
      ]);
    });

    test('requestRetry resets attempts, is idempotent, and is scoped to the tenant and to quarantine', async () => {
      const m = mailbox();
      const tenant = newTenantId();
      const other = newTenantId();
      const ref = await quarantine(m, tenant, T0, { attempts: 3 });
      const otherMailbox = await quarantine(m, tenant, T0, { address: 'other@northwind.example' });

      expect(await rejectionOf(m.requestRetry(other, ref.messageId))).toBeInstanceOf(StoreNotFound);
      expect(await rejectionOf(m.requestRetry(tenant, 'no-such-message'))).toBeInstanceOf(StoreNotFound);
      expect(await m.retryRequested(tenant, SHARED)).toEqual([]);

      expect(await m.requestRetry(tenant, ref.messageId, T0 + 10)).toBe(true);
      expect(await m.requestRetry(tenant, ref.messageId, T0 + 20)).toBe(false);
      expect(await m.retryRequested(tenant, SHARED)).toEqual([ref.messageId]);
      expect(await m.retryRequested(tenant, 'SHARED@northwind.example')).toEqual([ref.messageId]);
      expect(await m.retryRequested(tenant, 'other@northwind.example')).toEqual([]);
      expect(await m.retryRequested(other, SHARED)).toEqual([]);

      // Still listed (with the new status and no attempts) until the processor is done with it.
      const listed = (await m.listQuarantine(tenant, { limit: 10 })).items;
      expect(listed.map((q) => [q.messageId, q.status, q.attempts])).toEqual([
        [ref.messageId, 'retry-requested', 0],
        [otherMailbox.messageId, 'quarantined', 1]
      ]);

      // A retried message that fails again counts from zero.
      expect(await m.recordFailure(tenant, SHARED, ref, 'still broken')).toBe(1);
      expect(await m.retryRequested(tenant, SHARED)).toEqual([]);
    });

    test('requestRetry refuses messages that are failing or not logged', async () => {
      const m = mailbox();
      const tenant = newTenantId();
      const failing = message();
      const skipped = message();
      await m.recordFailure(tenant, SHARED, failing, 'x');
      await m.recordFiled(tenant, SHARED, { filed: [], notLogged: [{ message: skipped, reason: 'no-contact' }] });
      expect(await rejectionOf(m.requestRetry(tenant, failing.messageId))).toBeInstanceOf(StoreNotFound);
      expect(await rejectionOf(m.requestRetry(tenant, skipped.messageId))).toBeInstanceOf(StoreNotFound);
      expect(await m.recordFailure(tenant, SHARED, failing, 'x')).toBe(2);
    });

    test('retryRequested lists the oldest request first', async () => {
      const m = mailbox();
      const tenant = newTenantId();
      const refs = [];
      for (let i = 0; i < 3; i += 1) refs.push(await quarantine(m, tenant, T0));
      await m.requestRetry(tenant, refs[2]!.messageId, T0 + 1);
      await m.requestRetry(tenant, refs[0]!.messageId, T0 + 2);
      expect(await m.retryRequested(tenant, SHARED)).toEqual([refs[2]!.messageId, refs[0]!.messageId]);
    });

    test('the quarantine pages newest first by keyset, without gaps or repeats, ties included', async () => {
      const m = mailbox();
      const tenant = newTenantId();
      const expected: string[] = [];
      // Seven quarantined messages, several quarantined in the same millisecond.
      const times = [T0 + 5, T0 + 1, T0 + 3, T0 + 3, T0 + 3, T0 + 2, T0 + 5];
      const entries = [];
      for (const at of times) entries.push({ at, id: (await quarantine(m, tenant, at)).messageId });
      entries.sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : -1));
      expected.push(...entries.map((e) => e.id));
      // Not in quarantine: failing, not logged, another tenant's.
      await m.recordFailure(tenant, SHARED, message(), 'x', T0 + 9);
      await m.recordFiled(
        tenant,
        SHARED,
        { filed: [], notLogged: [{ message: message(), reason: 'internal-only' }] },
        T0 + 9
      );
      await quarantine(m, newTenantId(), T0 + 9);

      const { items, pages } = await allPages((cursor) => m.listQuarantine(tenant, { limit: 3, cursor }));
      expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
      expect(items.map((q) => q.messageId)).toEqual(expected);

      const exact = await m.listQuarantine(tenant, { limit: 7 });
      expect(exact.nextCursor).toBeNull();

      expect(await rejectionOf(m.listQuarantine(tenant, { limit: 3, cursor: 'garbage' }))).toBeInstanceOf(
        InvalidCursor
      );
      expect(
        await rejectionOf(m.listQuarantine(tenant, { limit: 3, cursor: encodeCursor({ key: 'text', id: 'x' }) }))
      ).toBeInstanceOf(InvalidCursor);
    });

    test('capture: logged and not-logged rows counted per day, salesperson, direction and reason, per tenant', async () => {
      const m = mailbox();
      const tenant = newTenantId();
      const day = Math.floor(T0 / 86_400_000);
      const inbound = { direction: 'inbound' as const, salespersonId: 'ana' };
      const logged = message({ ...inbound, receivedAt: T0 + 1, externalAddress: 'lena@fabrikam.example' });
      const unknown = [1, 2].map((i) =>
        message({ ...inbound, receivedAt: T0 + i, externalAddress: 'new@elsewhere.example' })
      );
      const outbound = message({ direction: 'outbound', salespersonId: 'ana', receivedAt: T0 + 86_400_000 });
      await m.recordFiled(tenant, SHARED, {
        filed: [logged.messageId, outbound.messageId, ...unknown.map((u) => u.messageId)],
        notLogged: unknown.map((u) => ({ message: u, reason: 'sender-not-matched' })),
        logged: [logged, outbound]
      });
      // Filed again (a second pass over the same message) it is still one message.
      await m.recordFiled(tenant, SHARED, { filed: [logged.messageId], notLogged: [], logged: [logged] });
      await m.recordFailure(tenant, SHARED, message({ ...inbound, receivedAt: T0 + 3 }), 'boom');
      await m.recordFiled(newTenantId(), SHARED, { filed: [], notLogged: [], logged: [message({ receivedAt: T0 })] });

      const counts = await m.captureCounts(tenant, T0, T0 + 2 * 86_400_000);
      const sorted = counts.sort((a, b) => a.day - b.day || a.status.localeCompare(b.status));
      expect(sorted).toEqual([
        { day, salespersonId: 'ana', direction: 'inbound', status: 'failing', reason: null, count: 1 },
        { day, salespersonId: 'ana', direction: 'inbound', status: 'logged', reason: null, count: 1 },
        {
          day,
          salespersonId: 'ana',
          direction: 'inbound',
          status: 'not-logged',
          reason: 'sender-not-matched',
          count: 2
        },
        { day: day + 1, salespersonId: 'ana', direction: 'outbound', status: 'logged', reason: null, count: 1 }
      ]);
      expect(await m.captureCounts(tenant, T0 + 86_400_000, T0 + 2 * 86_400_000)).toHaveLength(1);
      expect(await m.seenByDirection(tenant, T0)).toEqual({ inbound: 4, outbound: 1 });
      expect(await m.seenByDirection(tenant, T0 + 10)).toEqual({ inbound: 0, outbound: 1 });
      // A pass that files it as logged makes a not-logged message logged (a contact was added since).
      await m.recordFiled(tenant, SHARED, { filed: [unknown[0]!.messageId], notLogged: [], logged: [unknown[0]!] });
      expect(await m.skippedByReason(tenant, 0)).toEqual({ 'sender-not-matched': 1 });
    });

    test('unmatched queue: grouped by address, sent back once, refused moves stay not logged', async () => {
      const m = mailbox();
      const tenant = newTenantId();
      const from = (address: string, receivedAt: number, direction: 'inbound' | 'outbound' = 'inbound') =>
        message({ direction, externalAddress: address, receivedAt });
      const cold = [from('cold@elsewhere.example', T0), from('cold@elsewhere.example', T0 + 5)];
      const outbound = from('new@contoso.example', T0, 'outbound');
      // Not in the queue: a reason a contact does not fix, an inbound message whose recipients matched no one.
      const internal = from('x@elsewhere.example', T0);
      const inboundNoRecipient = from('y@elsewhere.example', T0);
      await m.recordFiled(tenant, SHARED, {
        filed: [],
        notLogged: [
          ...cold.map((c) => ({ message: c, reason: 'sender-not-matched' })),
          { message: outbound, reason: 'no-matching-recipient' },
          { message: internal, reason: 'never-log' },
          { message: inboundNoRecipient, reason: 'no-matching-recipient' }
        ]
      });
      const other = newTenantId();
      await m.recordFiled(other, SHARED, {
        filed: [],
        notLogged: [{ message: from('cold@elsewhere.example', T0), reason: 'sender-not-matched' }]
      });

      expect(await m.unmatched(tenant, 10)).toEqual([
        { address: 'cold@elsewhere.example', count: 2, lastReceivedAt: T0 + 5 },
        { address: 'new@contoso.example', count: 1, lastReceivedAt: T0 }
      ]);
      expect(await m.unmatched(tenant, 1)).toHaveLength(1);

      expect(await m.requestReprocess(tenant, 'Cold@Elsewhere.example')).toBe(2);
      expect(await m.requestReprocess(tenant, 'cold@elsewhere.example')).toBe(0);
      expect((await m.reprocessRequested(tenant, SHARED)).sort()).toEqual(cold.map((c) => c.messageId).sort());
      expect(await m.reprocessRequested(other, SHARED)).toEqual([]);
      expect(await m.unmatched(tenant, 10)).toEqual([{ address: 'new@contoso.example', count: 1, lastReceivedAt: T0 }]);
      expect(await m.unmatched(other, 10)).toHaveLength(1);

      await m.reprocessRefused(tenant, SHARED, [cold[0]!.messageId]);
      expect(await m.reprocessRequested(tenant, SHARED)).toEqual([cold[1]!.messageId]);
      expect((await m.unmatched(tenant, 10))[0]).toEqual({
        address: 'cold@elsewhere.example',
        count: 1,
        lastReceivedAt: T0
      });
    });

    test('skippedByReason counts not-logged messages since a time, per tenant, each message once', async () => {
      const m = mailbox();
      const tenant = newTenantId();
      const other = newTenantId();
      const repeated = message();
      await m.recordFiled(
        tenant,
        SHARED,
        { filed: [], notLogged: [{ message: message(), reason: 'no-contact' }] },
        T0 - 1
      );
      await m.recordFiled(tenant, SHARED, { filed: [], notLogged: [{ message: message(), reason: 'no-contact' }] }, T0);
      await m.recordFiled(
        tenant,
        SHARED,
        { filed: [], notLogged: [{ message: message(), reason: 'no-contact' }] },
        T0 + 10
      );
      await m.recordFiled(
        tenant,
        'other@northwind.example',
        { filed: [], notLogged: [{ message: message(), reason: 'internal-only' }] },
        T0 + 10
      );
      await m.recordFiled(
        tenant,
        SHARED,
        { filed: [], notLogged: [{ message: repeated, reason: 'never-log' }] },
        T0 + 20
      );
      await m.recordFiled(
        tenant,
        SHARED,
        { filed: [], notLogged: [{ message: repeated, reason: 'never-log' }] },
        T0 + 30
      );
      // Not-logged, then failing on a later pass: no longer counted as skipped.
      const changed = message();
      await m.recordFiled(
        tenant,
        SHARED,
        { filed: [], notLogged: [{ message: changed, reason: 'no-contact' }] },
        T0 + 40
      );
      await m.recordFailure(tenant, SHARED, changed, 'x', T0 + 50);
      await quarantine(m, tenant, T0 + 10);
      await m.recordFiled(
        other,
        SHARED,
        { filed: [], notLogged: [{ message: message(), reason: 'no-contact' }] },
        T0 + 10
      );

      expect(await m.skippedByReason(tenant, T0)).toEqual({ 'no-contact': 2, 'internal-only': 1, 'never-log': 1 });
      expect(await m.skippedByReason(tenant, T0 + 11)).toEqual({ 'never-log': 1 });
      expect(await m.skippedByReason(tenant, T0 + 31)).toEqual({});
      expect(await m.skippedByReason(other, 0)).toEqual({ 'no-contact': 1 });
      expect(await m.skippedByReason(newTenantId(), 0)).toEqual({});
    });

    test('long error texts are shortened', async () => {
      const m = mailbox();
      const tenant = newTenantId();
      const ref = message();
      await m.recordFailure(tenant, SHARED, ref, 'e'.repeat(10_000));
      await m.markQuarantined(tenant, SHARED, ref.messageId, 'q');
      const [entry] = (await m.listQuarantine(tenant, { limit: 1 })).items;
      expect(entry?.reason?.length).toBe(2000);
    });
  });

  describe('runs', () => {
    test('start and finish a run; lastRun follows', async () => {
      const m = mailbox();
      const tenant = newTenantId();
      expect(await m.lastRun(tenant)).toBeNull();
      const id = await m.startRun(tenant, 'Shared@Northwind.example', 'manual', T0);
      expect(await m.lastRun(tenant)).toEqual({
        id,
        mailboxAddress: SHARED,
        trigger: 'manual',
        status: 'running',
        startedAt: new Date(T0).toISOString(),
        finishedAt: null,
        durationMs: null,
        seen: 0,
        logged: 0,
        failed: 0,
        quarantined: 0,
        requests: 0,
        throttled: 0,
        skipped: {},
        error: null
      });
      await m.finishRun(
        tenant,
        id,
        counters({
          seen: 12,
          logged: 7,
          failed: 2,
          quarantined: 1,
          requests: 30,
          throttled: 4,
          skipped: { 'no-contact': 2, 'internal-only': 1 }
        }),
        T0 + 2500
      );
      expect(await m.lastRun(tenant)).toEqual({
        id,
        mailboxAddress: SHARED,
        trigger: 'manual',
        status: 'succeeded',
        startedAt: new Date(T0).toISOString(),
        finishedAt: new Date(T0 + 2500).toISOString(),
        durationMs: 2500,
        seen: 12,
        logged: 7,
        failed: 2,
        quarantined: 1,
        requests: 30,
        throttled: 4,
        skipped: { 'no-contact': 2, 'internal-only': 1 },
        error: null
      });
    });

    test('a failed run keeps its error, and a measured duration is kept as given', async () => {
      const m = mailbox();
      const tenant = newTenantId();
      const id = await m.startRun(tenant, SHARED, 'schedule', T0);
      await m.finishRun(
        tenant,
        id,
        counters({ status: 'failed', error: 'Graph said 401', durationMs: 1234 }),
        T0 + 9999
      );
      expect(await m.lastRun(tenant)).toMatchObject({
        status: 'failed',
        error: 'Graph said 401',
        durationMs: 1234,
        finishedAt: new Date(T0 + 9999).toISOString()
      });
    });

    test("finishing an unknown run, or another tenant's, is StoreNotFound and changes nothing", async () => {
      const m = mailbox();
      const tenant = newTenantId();
      const other = newTenantId();
      const id = await m.startRun(tenant, SHARED, 'cli', T0);
      expect(await rejectionOf(m.finishRun(other, id, counters({ seen: 99 })))).toBeInstanceOf(StoreNotFound);
      expect(await rejectionOf(m.finishRun(tenant, 'no-such-run', counters()))).toBeInstanceOf(StoreNotFound);
      expect(await m.lastRun(tenant)).toMatchObject({ id, status: 'running', seen: 0 });
      expect(await m.lastRun(other)).toBeNull();
      expect((await m.listRuns(other, { limit: 10 })).items).toEqual([]);
    });

    test('runs page newest first by keyset, ties included, per tenant', async () => {
      const m = mailbox();
      const tenant = newTenantId();
      const starts = [T0, T0 + 3, T0 + 1, T0 + 3, T0 + 2, T0 + 3, T0 + 4];
      const runs = [];
      for (const at of starts) runs.push({ at, id: await m.startRun(tenant, SHARED, 'schedule', at) });
      await m.startRun(newTenantId(), SHARED, 'schedule', T0 + 100);
      runs.sort((a, b) => b.at - a.at || (a.id < b.id ? 1 : -1));

      const { items, pages } = await allPages((cursor) => m.listRuns(tenant, { limit: 2, cursor }));
      expect(pages.map((p) => p.length)).toEqual([2, 2, 2, 1]);
      expect(items.map((r) => r.id)).toEqual(runs.map((r) => r.id));
      expect((await m.lastRun(tenant))?.id).toBe(runs[0]?.id);
      expect(await rejectionOf(m.listRuns(tenant, { limit: 2, cursor: 'garbage' }))).toBeInstanceOf(InvalidCursor);
    });

    test('abandonStaleRuns closes the runs still marked running of that mailbox only, with their end time', async () => {
      const m = mailbox();
      const tenant = newTenantId();
      const dead = await m.startRun(tenant, SHARED, 'schedule', T0);
      const finished = await m.startRun(tenant, SHARED, 'manual', T0 + 10);
      await m.finishRun(tenant, finished, counters({ seen: 3 }), T0 + 20);
      const otherMailbox = await m.startRun(tenant, 'other@northwind.example', 'schedule', T0);
      const otherTenant = newTenantId();
      const foreign = await m.startRun(otherTenant, SHARED, 'schedule', T0);

      expect(await m.abandonStaleRuns(tenant, 'SHARED@northwind.example', T0 + 60_000)).toBe(1);
      const runs = new Map((await m.listRuns(tenant, { limit: 10 })).items.map((r) => [r.id, r]));
      expect(runs.get(dead)).toMatchObject({
        status: 'abandoned',
        finishedAt: new Date(T0 + 60_000).toISOString(),
        durationMs: 60_000
      });
      expect(runs.get(dead)?.error).toMatch(/stopped before it finished/);
      expect(runs.get(finished)).toMatchObject({ status: 'succeeded', seen: 3 });
      expect(runs.get(otherMailbox)?.status).toBe('running');
      expect((await m.lastRun(otherTenant))?.id).toBe(foreign);
      expect((await m.lastRun(otherTenant))?.status).toBe('running');
      // Nothing left to close.
      expect(await m.abandonStaleRuns(tenant, SHARED, T0 + 70_000)).toBe(0);
    });

    test('pruneBookkeeping forgets old not-logged and failing rows and old runs; quarantine and the newest run stay', async () => {
      const m = mailbox();
      const tenant = newTenantId();
      const cutoff = T0;
      const oldSkipped = message();
      const newSkipped = message();
      await m.recordFiled(
        tenant,
        SHARED,
        { filed: [], notLogged: [{ message: oldSkipped, reason: 'internal-only' }] },
        cutoff - 1
      );
      await m.recordFiled(
        tenant,
        SHARED,
        { filed: [], notLogged: [{ message: newSkipped, reason: 'internal-only' }] },
        cutoff
      );
      await m.recordFailure(tenant, SHARED, message(), 'gone from the Inbox', cutoff - 5);
      const oldQuarantined = await quarantine(m, tenant, cutoff - 10_000);
      const oldRetry = await quarantine(m, tenant, cutoff - 20_000);
      await m.requestRetry(tenant, oldRetry.messageId, cutoff - 15_000);
      const oldRun = await m.startRun(tenant, SHARED, 'schedule', cutoff - 2);
      await m.finishRun(tenant, oldRun, counters(), cutoff - 1);
      const stillRunning = await m.startRun(tenant, SHARED, 'schedule', cutoff - 3);
      const recentRun = await m.startRun(tenant, SHARED, 'schedule', cutoff + 1);
      await m.finishRun(tenant, recentRun, counters(), cutoff + 2);
      // Another tenant's old rows are not this tenant's to prune.
      const other = newTenantId();
      await m.recordFiled(
        other,
        SHARED,
        { filed: [], notLogged: [{ message: message(), reason: 'internal-only' }] },
        cutoff - 1
      );

      expect(await m.pruneBookkeeping(tenant, { messages: cutoff, runs: cutoff })).toEqual({ messages: 2, runs: 1 });
      expect(await m.skippedByReason(tenant, 0)).toEqual({ 'internal-only': 1 });
      expect((await m.listQuarantine(tenant, { limit: 10 })).items.map((q) => q.messageId).sort()).toEqual(
        [oldQuarantined.messageId, oldRetry.messageId].sort()
      );
      expect((await m.listRuns(tenant, { limit: 10 })).items.map((r) => r.id).sort()).toEqual(
        [stillRunning, recentRun].sort()
      );
      // The other tenant's old row is still there.
      expect(await m.skippedByReason(other, 0)).toEqual({ 'internal-only': 1 });

      // The newest run stays even when everything is older than the cutoff.
      const lone = newTenantId();
      const only = await m.startRun(lone, SHARED, 'schedule', cutoff - 100);
      await m.finishRun(lone, only, counters(), cutoff - 50);
      expect(await m.pruneBookkeeping(lone, { messages: cutoff, runs: cutoff })).toEqual({ messages: 0, runs: 0 });
      expect((await m.lastRun(lone))?.id).toBe(only);
    });

    test('runs started in the same millisecond come newest first', async () => {
      const m = mailbox();
      const tenant = newTenantId();
      const first = await m.startRun(tenant, SHARED, 'schedule', T0);
      const second = await m.startRun(tenant, SHARED, 'manual', T0);
      expect((await m.lastRun(tenant))?.id).toBe(second);
      expect((await m.listRuns(tenant, { limit: 5 })).items.map((r) => r.id)).toEqual([second, first]);
    });
  });
});

/*
 * Two Store instances on the same database stand for two server processes: each has its own connections
 * (on PostgreSQL, its own pool), so their statements truly interleave.
 */
describe.each(ENGINES)('store contract on %s: mailbox, two processes', (engine) => {
  let primary: TestStore | undefined;
  let secondary: Store | undefined;
  beforeAll(async () => {
    primary = await createTestStore(engine);
    secondary = await openStore(primary.url, primary.pgSchema ? { pgSchema: primary.pgSchema, pgPoolSize: 4 } : {});
  });
  afterAll(async () => {
    await secondary?.close();
    await primary?.dispose();
  });
  const both = (): [MailboxStore, MailboxStore] => {
    if (!primary || !secondary) throw new Error('the stores are not open yet');
    return [primary.store.mailbox, secondary.mailbox];
  };

  test('the second process sees the first one’s writes', async () => {
    const [a, b] = both();
    const tenant = newTenantId();
    await a.saveSettings(tenant, { enabled: true, mailboxAddress: SHARED }, null);
    expect((await b.getSettings(tenant)).mailboxAddress).toBe(SHARED);
  });

  test('race: 20 holders in two processes, one free lease, one winner; then one takes over when expired', async () => {
    const [a, b] = both();
    for (let round = 0; round < 5; round += 1) {
      const tenant = newTenantId();
      const holders = Array.from({ length: 20 }, (_, i) => ({ store: i % 2 === 0 ? a : b, name: `p${i % 2}-h${i}` }));
      const won = await Promise.all(holders.map((h) => h.store.acquireLease(tenant, SHARED, h.name, 1000, T0)));
      expect(won.filter(Boolean)).toHaveLength(1);
      const winner = holders[won.indexOf(true)]!;
      // Whichever process asks, only the winner holds it.
      expect(await a.renewLease(tenant, SHARED, winner.name, 1000, T0 + 1)).toBe(true);
      expect(await b.acquireLease(tenant, SHARED, 'intruder', 1000, T0 + 2)).toBe(false);

      const takeover = await Promise.all(
        holders.map((h) => h.store.acquireLease(tenant, SHARED, `${h.name}-late`, 1000, T0 + 10_000))
      );
      expect(takeover.filter(Boolean)).toHaveLength(1);
      expect(await b.renewLease(tenant, SHARED, winner.name, 1000, T0 + 10_001)).toBe(false);
    }
  });

  test('concurrent failures from two processes are all counted', async () => {
    const [a, b] = both();
    const tenant = newTenantId();
    const ref = message();
    const counts = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? a : b).recordFailure(tenant, SHARED, ref, `e${i}`))
    );
    expect([...counts].sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  test('concurrent settings saves from two processes keep every field', async () => {
    const [a, b] = both();
    const tenant = newTenantId();
    await Promise.all([
      a.saveSettings(tenant, { enabled: true }, 'a'),
      b.saveSettings(tenant, { mailboxAddress: SHARED }, 'b'),
      a.saveSettings(tenant, { intervalSeconds: 60 }, 'a'),
      b.saveSettings(tenant, { batchSize: 5 }, 'b')
    ]);
    expect(await a.getSettings(tenant)).toMatchObject({
      enabled: true,
      mailboxAddress: SHARED,
      intervalSeconds: 60,
      batchSize: 5
    });
  });
});
