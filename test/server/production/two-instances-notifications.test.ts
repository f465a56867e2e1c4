import type { RunningServer } from '../../../src/server/server.js';
import { startGraphMailbox, type GraphMailbox } from '../../../src/stand-ins/graph/stand-in.js';
import { WHOLE_TENANT } from '../../../src/server/store/index.js';
import { startTestServer } from '../../helpers/api.js';
import { startBalancer, type Balancer } from '../../helpers/balancer.js';
import { addAnaAndLena } from '../../helpers/messages.js';
import { createTestStore, type TestStore } from '../../helpers/stores.js';
import { until as waitUntil } from '../../helpers/wait.js';

/*
 * Near real time, scaled out: two API instances on one PostgreSQL schema behind a round-robin balancer, which is
 * the PUBLIC_URL Graph (the stand-in) delivers to. A notification may reach either instance; each mailbox is
 * worked by one at a time (the lease), and a notification that finds the lease held leaves the mailbox dirty,
 * so the holder (or the next tick) runs again: every message is logged exactly once, without any poll, while
 * notifications come late, twice or not at all.
 */

jest.setTimeout(120_000);

const TENANT = 'tenant-scale-out-realtime';
const SHARED = 'interaction-log@northwind.example';

let pg: TestStore;
let standIn: GraphMailbox;
let balancer: Balancer;
let instances: RunningServer[] = [];

/** Two instances and a balancer between Graph and them: more patience than one server needs. */
const until = (what: string, check: () => Promise<boolean> | boolean) => waitUntil(what, check, 60_000);

const start = (): Promise<RunningServer> =>
  startTestServer(pg, { graph: standIn, env: { PUBLIC_URL: balancer.url }, mailbox: { tickMs: 50 } });

beforeAll(async () => {
  pg = await createTestStore('postgres');
  standIn = await startGraphMailbox({ mailboxes: [SHARED] });
  await addAnaAndLena(pg.store, TENANT);
  // An hour between polls: only notifications (and each start's catch-up) run the mailbox here.
  await pg.store.mailbox.saveSettings(TENANT, { enabled: true, mailboxAddress: SHARED, intervalSeconds: 3600 }, null);
  balancer = await startBalancer(() => instances);
  instances = [await start(), await start()];
  await until('one subscription', () => standIn.subscriptions().length >= 1);
  await until('the first delta round', async () => (await pg.store.mailboxSync.get(TENANT, SHARED)).deltaLink !== null);
});

afterAll(async () => {
  await Promise.all(instances.map((instance) => instance.close()));
  await balancer?.close();
  await standIn?.close();
  await pg?.dispose();
});

const loggedSubjects = async () =>
  (await pg.store.interactions.list(TENANT, { limit: 500, scope: WHOLE_TENANT })).items.map((entry) => entry.subject);

test('two instances share one subscription; late, repeated and lost notifications log each message once', async () => {
  expect(standIn.subscriptions()).toHaveLength(1);
  standIn.setNotifications({
    delayMs: (random) => Math.floor(random() * 200),
    repeatRate: 0.3,
    dropRate: 0.1,
    seed: 20
  });
  const subjects = Array.from({ length: 40 }, (_, i) => `Burst ${i}`);
  for (const subject of subjects) {
    standIn.seed(SHARED, [{ from: 'lena@fabrikam.example', to: ['ana@northwind.example'], subject }]);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  // A last message whose notification arrives: its delta round also brings any whose notification was lost.
  standIn.setNotifications({ dropRate: 0, repeatRate: 0, delayMs: 0 });
  standIn.seed(SHARED, [{ from: 'lena@fabrikam.example', to: ['ana@northwind.example'], subject: 'Last' }]);
  await until('every message logged', async () => (await loggedSubjects()).length === subjects.length + 1);
  await until('the Inbox empty', () => standIn.folderContents(SHARED, 'inbox').length === 0);
  const logged = await loggedSubjects();
  expect(new Set(logged).size).toBe(logged.length);
  expect(standIn.folderContents(SHARED, 'Archive')).toHaveLength(subjects.length + 1);
  expect(standIn.subscriptionStats()).toMatchObject({ notificationsDropped: expect.any(Number) });
  expect(standIn.subscriptionStats().notificationsDropped).toBeGreaterThan(0);
  // Both instances received notifications.
  expect(instances.map((instance) => instance.mailbox.notificationCounters.accepted > 0)).toEqual([true, true]);
});

test('a notification that finds the mailbox held by another leaves it dirty; it is run once the lease is free', async () => {
  const foreign = 'a third instance';
  // Taken as soon as the instances' last runs let go of it.
  await until('the lease', () => pg.store.mailbox.acquireLease(TENANT, SHARED, foreign, 60_000));
  try {
    standIn.seed(SHARED, [{ from: 'lena@fabrikam.example', to: ['ana@northwind.example'], subject: 'While held' }]);
    await until(
      'the mailbox marked dirty',
      async () => (await pg.store.mailboxSync.get(TENANT, SHARED)).dirtySince !== null
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await loggedSubjects()).not.toContain('While held');
  } finally {
    // The third instance ends its run without looking at "dirty" (as one that died would): the tick picks it up.
    await pg.store.mailbox.releaseLease(TENANT, SHARED, foreign);
  }
  await until('logged after the lease was freed', async () => (await loggedSubjects()).includes('While held'));
  expect((await pg.store.mailboxSync.get(TENANT, SHARED)).dirtySince).toBeNull();
});
