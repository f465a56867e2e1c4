import { createMailboxService } from '../../src/server/mailbox/service.js';
import { createRunPool } from '../../src/server/mailbox/run-pool.js';
import type { Store } from '../../src/server/store/index.js';
import { startGraphMailbox, type GraphMailbox } from '../../src/stand-ins/graph/stand-in.js';
import { addAnaAndLena, fromLenaToAna } from '../helpers/messages.js';
import { standInAccess } from '../helpers/stand-in-graph.js';
import { createTestStore, ENGINES, type TestStore } from '../helpers/stores.js';
import { until } from '../helpers/wait.js';

/*
 * Issue 20: mailbox runs at once in one process are bounded (MAILBOX_CONCURRENCY), first come first served, so a
 * start-up with every tenant due, or a burst of notifications, neither starts every run at once nor starves one.
 */

test('the run pool lets at most its size work at once, and hands places on in the order asked', async () => {
  const pool = createRunPool(3);
  const started: Array<number | string> = [];
  const finish = new Map<number, () => void>();
  let active = 0;
  let most = 0;
  const runs = Array.from({ length: 10 }, (_, i) =>
    pool.run(
      () =>
        new Promise<number>((resolve) => {
          started.push(i);
          active += 1;
          most = Math.max(most, active);
          finish.set(i, () => {
            active -= 1;
            resolve(i);
          });
        })
    )
  );
  await Promise.resolve();
  expect([started, pool.active, pool.waiting]).toEqual([[0, 1, 2], 3, 7]);
  // Whichever finishes, the next in line starts; a newcomer waits behind all those already waiting.
  finish.get(1)?.();
  await until('the fourth to start', () => started.length === 4);
  const late = pool.run(async () => started.push('late'));
  for (const i of [0, 2, 3, 4, 5, 6, 7, 8, 9]) {
    await until(`run ${i} to start`, () => started.includes(i));
    finish.get(i)?.();
  }
  expect(await Promise.all(runs)).toEqual([...Array(10).keys()]);
  await late;
  expect(started).toEqual([...Array(10).keys(), 'late']);
  expect([most, pool.active, pool.waiting]).toEqual([3, 0, 0]);
  expect(() => createRunPool(0)).toThrow(RangeError);
});

describe.each(ENGINES)('50 tenants due at once on %s', (engine) => {
  const TENANTS = 50;
  const CONCURRENCY = 4;
  const tenant = (i: number) => `tenant-pool-${engine}-${i}`;
  const mailbox = (i: number) => `log-${i}@pool.example`;
  let testStore: TestStore;
  let standIn: GraphMailbox;

  beforeAll(async () => {
    testStore = await createTestStore(engine);
    standIn = await startGraphMailbox({ mailboxes: Array.from({ length: TENANTS }, (_, i) => mailbox(i)) });
    for (let i = 0; i < TENANTS; i++) {
      await addAnaAndLena(testStore.store, tenant(i));
      await testStore.store.mailbox.saveSettings(
        tenant(i),
        { enabled: true, mailboxAddress: mailbox(i), batchSize: 2, intervalSeconds: 3600 },
        null
      );
      standIn.seed(
        mailbox(i),
        fromLenaToAna(4, (m) => `Message ${m}`)
      );
      // Slow enough that runs overlap: without the bound, all 50 would be working together.
      standIn.mailbox(mailbox(i)).setLatency(5);
    }
  });
  afterAll(async () => {
    await standIn?.close();
    await testStore?.dispose();
  });

  test(`no more than ${CONCURRENCY} runs work at once, every mailbox is drained, each within 4 requests at once`, async () => {
    // Runs under way, seen from the store: a run starts with startRun and ends with finishRun.
    let running = 0;
    let most = 0;
    const runs = Object.create(testStore.store.mailbox) as Store['mailbox'];
    runs.startRun = async (...args) => {
      running += 1;
      most = Math.max(most, running);
      return testStore.store.mailbox.startRun(...args);
    };
    runs.finishRun = async (...args) => {
      running -= 1;
      return testStore.store.mailbox.finishRun(...args);
    };
    const service = createMailboxService({
      store: { ...testStore.store, mailbox: runs },
      holder: 'pool-test',
      access: standInAccess(standIn, { schedule: true, concurrency: CONCURRENCY }),
      msalConfigurationFor: () => standIn.msalConfiguration(),
      log: { info: () => undefined, error: () => undefined },
      tickMs: 1000
    });
    service.start();
    try {
      await until(
        'every mailbox to be drained',
        () =>
          Array.from({ length: TENANTS }, (_, i) => i).every(
            (i) => standIn.folderContents(mailbox(i), 'inbox').length === 0
          ),
        170_000
      );
    } finally {
      await service.stop();
    }
    expect(most).toBe(CONCURRENCY);
    expect(running).toBe(0);
    for (let i = 0; i < TENANTS; i++) {
      expect(standIn.folderContents(mailbox(i), 'Archive')).toHaveLength(4);
      expect(await testStore.store.mailbox.lastRun(tenant(i))).toMatchObject({ status: 'succeeded', logged: 4 });
      const stats = standIn.mailbox(mailbox(i)).stats();
      expect([stats.maxConcurrency <= 4, stats.throttledByConcurrency]).toEqual([true, 0]);
    }
    // Fifty runs on a machine other test runs share: the default 30 s is not always enough.
  }, 180_000);
});
