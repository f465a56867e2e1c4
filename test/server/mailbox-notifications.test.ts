import { createMailboxService } from '../../src/server/mailbox/service.js';
import type { RunningServer } from '../../src/server/server.js';
import { startGraphMailbox, type GraphMailbox } from '../../src/stand-ins/graph/stand-in.js';
import { startTestApi, type TestApi } from '../helpers/api.js';
import { graphStandInEnv, testConfig } from '../helpers/config.js';
import { addAnaAndLena } from '../helpers/messages.js';
import { ENGINES, type EngineName } from '../helpers/stores.js';
import { freePort, until } from '../helpers/wait.js';

/*
 * Near real time, end to end on both engines: the API with PUBLIC_URL subscribes to the stand-in's Inbox
 * (passing Graph's validation handshake), and a message dropped into the Inbox reaches the history through
 * the notification and a delta round, with no Inbox scan; a dropped notification is caught up by delta (after
 * a `missed` lifecycle event, or with the next notification); lifecycle events renew and recreate the
 * subscription; a notification with a wrong clientState is answered like any other and dropped, and counted.
 */

const TENANT = 'tenant-realtime';
const SHARED = 'log@northwind.example';

const fromLena = (subject: string) => ({
  from: 'Lena <lena@fabrikam.example>',
  to: ['ana@northwind.example'],
  subject
});

/** Requests that scanned the Inbox by time (the poll), as opposed to delta rounds. */
const inboxScans = (standIn: GraphMailbox) =>
  standIn
    .mailbox(SHARED)
    .requests()
    .filter((r) => /\/mailFolders\/inbox\/messages$/i.test(r.path) && /orderby/i.test(decodeURIComponent(r.query)));

describe.each(ENGINES)('Graph change notifications (%s)', (engine: EngineName) => {
  let api: TestApi;
  let standIn: GraphMailbox;
  let server: RunningServer;
  let token: string;
  let publicUrl: string;

  const subjects = async (): Promise<string[]> => {
    const response = await api.call('GET', '/api/v1/interactions?limit=100', { as: token });
    const body = response.body as { items?: Array<{ subject: string }> };
    if (!body.items) throw new Error(`history: ${response.status} ${JSON.stringify(body)}`);
    return body.items.map((item) => item.subject);
  };
  const health = async () => {
    const admin = await api.token({ email: 'admin@northwind.example', roles: ['Admin'], tenantId: TENANT });
    const response = await api.call('GET', '/api/v1/admin/mailbox/health', { as: admin });
    return response.body as { mode: string; notificationsDropped: number };
  };

  beforeEach(async () => {
    standIn = await startGraphMailbox({ mailboxes: [SHARED] });
    const port = await freePort();
    publicUrl = `http://127.0.0.1:${port}`;
    api = await startTestApi(engine, {
      graph: standIn,
      env: { PORT: String(port), PUBLIC_URL: publicUrl },
      mailbox: { tickMs: 50 },
      async seed(store) {
        await addAnaAndLena(store, TENANT);
        // An hour between polls: within a test, only notifications (and the start's catch-up) run the mailbox.
        await store.mailbox.saveSettings(
          TENANT,
          { enabled: true, mailboxAddress: SHARED, intervalSeconds: 3600 },
          null
        );
      }
    });
    ({ server } = api);
    token = await api.token({ email: 'ana@northwind.example', tenantId: TENANT });
    // Subscribed (the handshake passed), and the start's delta round is done: the mailbox is in step.
    await until('the subscription', () => standIn.subscriptions().length === 1);
    await until(
      'the first delta round',
      async () => (await server.store.mailboxSync.get(TENANT, SHARED)).deltaLink !== null
    );
  });

  afterEach(async () => {
    await api?.close();
    await standIn?.close();
  });

  test('subscribes as Graph requires: Inbox created messages, within the maximum, with a lifecycle URL', async () => {
    const [subscription] = standIn.subscriptions();
    expect(subscription).toMatchObject({
      resource: `users/${SHARED}/mailFolders('inbox')/messages`,
      changeType: 'created',
      notificationUrl: `${server.url}/api/v1/graph/notifications`,
      lifecycleNotificationUrl: `${server.url}/api/v1/graph/lifecycle`
    });
    const lifetime = Date.parse(subscription?.expirationDateTime ?? '') - Date.now();
    expect(lifetime).toBeGreaterThan(6 * 86_400_000);
    expect(lifetime).toBeLessThanOrEqual(10_080 * 60_000);
    expect(standIn.subscriptionStats()).toMatchObject({ handshakes: 2, handshakesFailed: 0 });
    // The secret is stored only hashed.
    const sync = await server.store.mailboxSync.get(TENANT, SHARED);
    expect(sync.clientStateHash).toMatch(/^[0-9a-f]{64}$/);
    expect(sync.clientStateHash).not.toBe(subscription?.clientState);
    expect((await health()).mode).toBe('notifications');
  });

  test('a message dropped into the Inbox reaches the history by notification and delta, without a scan', async () => {
    const scansBefore = inboxScans(standIn).length;
    standIn.seed(SHARED, [fromLena('Quote, at once')]);
    await until('the entry in the history', async () => (await subjects()).includes('Quote, at once'));
    expect(inboxScans(standIn)).toHaveLength(scansBefore);
    expect(standIn.folderContents(SHARED, 'inbox')).toEqual([]);
    expect(standIn.folderContents(SHARED, 'Archive').map((m) => m.subject)).toEqual(['Quote, at once']);
    expect(standIn.subscriptionStats().notificationsSent).toBeGreaterThanOrEqual(1);
  });

  test('repeated notifications log a message once', async () => {
    standIn.setNotifications({ repeatRate: 1, seed: 7 });
    standIn.seed(SHARED, [fromLena('Twice notified')]);
    await until('the entry', async () => (await subjects()).includes('Twice notified'));
    await until('both deliveries', () => standIn.subscriptionStats().notificationsSent >= 2);
    await until('no run under way', async () => (await server.store.mailbox.lastRun(TENANT))?.status !== 'running');
    expect((await subjects()).filter((s) => s === 'Twice notified')).toHaveLength(1);
  });

  test('a dropped notification is caught up by delta: after a missed event, and with the next notification', async () => {
    standIn.setNotifications({ dropRate: 1 });
    standIn.seed(SHARED, [fromLena('Lost notification A')]);
    expect(standIn.subscriptionStats().notificationsDropped).toBe(1);
    const [subscription] = standIn.subscriptions();
    expect(await standIn.sendLifecycleEvent(subscription?.id ?? '', 'missed')).toBe(202);
    await until('A caught up', async () => (await subjects()).includes('Lost notification A'));

    standIn.seed(SHARED, [fromLena('Lost notification B')]);
    standIn.setNotifications({ dropRate: 0 });
    standIn.seed(SHARED, [fromLena('Delivered C')]);
    await until('B and C', async () => {
      const seen = await subjects();
      return seen.includes('Lost notification B') && seen.includes('Delivered C');
    });
    expect(inboxScans(standIn)).toHaveLength(0);
  });

  test('lifecycle: reauthorizationRequired renews, subscriptionRemoved recreates', async () => {
    const [first] = standIn.subscriptions();
    expect(await standIn.sendLifecycleEvent(first?.id ?? '', 'reauthorizationRequired')).toBe(202);
    await until('the renewal', () => standIn.subscriptionStats().renewed === 1);
    expect(await standIn.sendLifecycleEvent(first?.id ?? '', 'subscriptionRemoved')).toBe(202);
    await until('a new subscription', () => standIn.subscriptions().some((s) => s.id !== first?.id));
    await until(
      'the new one kept',
      async () => (await server.store.mailboxSync.get(TENANT, SHARED)).subscriptionId === standIn.subscriptions()[0]?.id
    );
    // Notifications reach the new subscription's owner.
    standIn.seed(SHARED, [fromLena('After the recreation')]);
    await until('the entry', async () => (await subjects()).includes('After the recreation'));
  });

  test('an instance that found no subscription, then waited for the upkeep lease, does not create a second', async () => {
    const [kept] = standIn.subscriptions();
    // Another instance on the same data, whose first look came before this one saved the subscription: that read
    // answers as the store did then. It then takes the upkeep lease, which this instance no longer holds.
    const { store } = server;
    const mailboxSync: typeof store.mailboxSync = Object.create(store.mailboxSync);
    let looked = false;
    mailboxSync.get = async (tenantId, mailbox) => {
      const now = await store.mailboxSync.get(tenantId, mailbox);
      if (looked) return now;
      looked = true;
      return { ...now, subscriptionId: null, subscriptionExpiresAt: null };
    };
    const other = createMailboxService({
      store: { ...store, mailboxSync },
      access: testConfig(graphStandInEnv(standIn)).mailbox,
      publicUrl,
      holder: 'another-instance',
      msalConfigurationFor: () => standIn.msalConfiguration(),
      log: { info: () => undefined, error: () => undefined }
    });
    await other.keepSubscription(TENANT);
    expect(looked).toBe(true);
    expect(standIn.subscriptions().map((subscription) => subscription.id)).toEqual([kept?.id]);
  });

  test('a wrong clientState or an unknown subscription is answered 202, dropped and counted', async () => {
    const [subscription] = standIn.subscriptions();
    const post = (body: unknown) =>
      fetch(`${server.url}/api/v1/graph/notifications`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body)
      });
    const forged = await post({
      value: [{ subscriptionId: subscription?.id, clientState: 'guessed', changeType: 'created' }]
    });
    const unknown = await post({ value: [{ subscriptionId: 'nope', clientState: 'x', changeType: 'created' }] });
    expect([forged.status, unknown.status]).toEqual([202, 202]);
    expect(await forged.text()).not.toMatch(/clientState|subscription/i);
    await until('both counted', async () => (await health()).notificationsDropped === 2);
    expect(server.mailbox.notificationCounters).toMatchObject({ dropped: 2 });
  });

  test('the handshake echoes the token as text/plain; bad bodies are 4xx problems', async () => {
    const token = 'Validation: Testing client application reachability <b>&</b>';
    const handshake = await fetch(`${server.url}/api/v1/graph/lifecycle?validationToken=${encodeURIComponent(token)}`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' }
    });
    expect(handshake.status).toBe(200);
    expect(handshake.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(handshake.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await handshake.text()).toBe(token);

    const bad = await fetch(`${server.url}/api/v1/graph/notifications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ value: [{ clientState: 'x' }] })
    });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const huge = await fetch(`${server.url}/api/v1/graph/notifications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ value: [{ subscriptionId: 'x', pad: 'x'.repeat(300 * 1024) }] })
    });
    expect(huge.status).toBe(413);
  });
});

test('without PUBLIC_URL the processor polls: health says so, and the notification routes are off', async () => {
  const standIn = await startGraphMailbox({ mailboxes: [SHARED] });
  const api = await startTestApi('sqlite', { graph: standIn });
  const { server } = api;
  try {
    expect(server.mailbox.mode).toBe('polling');
    const response = await fetch(`${server.url}/api/v1/graph/notifications?validationToken=abc`, { method: 'POST' });
    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(standIn.subscriptions()).toEqual([]);
  } finally {
    await api.close();
    await standIn.close();
  }
});
