import { runMailboxOnce, type ProcessorDeps } from '../../src/server/usecases/run-mailbox.js';
import { openStore, WHOLE_TENANT, type Store } from '../../src/server/store/index.js';
import { isMove, startGraphMailbox, TEST_LIMITS, type GraphMailbox } from '../../src/stand-ins/graph/stand-in.js';
import { GraphMetadata } from '../helpers/graph-metadata.js';
import { fromLenaToAna } from '../helpers/messages.js';
import { standInProcessorDeps } from '../helpers/stand-in-graph.js';
import { createTestStore, type TestStore } from '../helpers/stores.js';

/*
 * The shared-mailbox processor end to end: the real Graph client and MSAL against the Graph stand-in on
 * loopback, the real store. Only the Inbox is read; every message ends in Archive, "Not logged" or, after
 * three failures, the quarantine folder; nothing is lost or logged twice.
 */

const SHARED = 'interaction-log@northwind.example';
const graphMetadata = GraphMetadata.load();
const TENANT = 'tenant-mailbox';

let testStore: TestStore;
let store: Store;
let standIn: GraphMailbox;

/** Graph's waits are cut to `maxSleepMs` to keep the tests quick, except where a test honours them in full. */
const deps = (holder = 'instance-a', maxSleepMs = 50): ProcessorDeps =>
  standInProcessorDeps(store, standIn, { holder, maxSleepMs });

beforeAll(async () => {
  testStore = await createTestStore('sqlite');
  store = testStore.store;
  await store.directory.createSalesperson(TENANT, { name: 'Ana López', email: 'ana@northwind.example' });
  await store.directory.createSalesperson(TENANT, { name: 'Mikko Virtanen', email: 'mikko@northwind.example' });
  await store.directory.createContact(TENANT, { name: 'Lena Berg', email: 'lena@fabrikam.example' }, null);
  await store.directory.createContact(TENANT, { name: 'Tomás Ortega', email: 'tomas@fabrikam.example' }, null);
  await store.directory.createContact(TENANT, { name: 'Bank', email: 'advisor@bank.example' }, null);
  await store.mailbox.saveSettings(
    TENANT,
    { enabled: true, mailboxAddress: SHARED, archiveFolder: 'Logged mail', neverLogDomains: ['bank.example'] },
    null
  );
});

beforeEach(async () => {
  standIn = await startGraphMailbox({ mailboxes: [SHARED], limits: TEST_LIMITS });
});
afterEach(async () => {
  // Whatever a test did, every request the processor sent is one Graph's v1.0 metadata defines.
  const requests = standIn.mailbox(SHARED).requests();
  await standIn.close();
  expect(requests.flatMap((request) => graphMetadata.problemsOf(request))).toEqual([]);
});
afterAll(async () => testStore.dispose());

const subjects = (folder: string) =>
  standIn
    .folderContents(SHARED, folder)
    .map((m) => m.subject)
    .sort();

test('logs what matches, files every Inbox message, leaves Junk alone, and records the run', async () => {
  standIn.seed(SHARED, [
    { from: 'Lena Berg <lena@fabrikam.example>', to: ['ana@northwind.example'], subject: 'Inbound quote' },
    {
      from: 'ana@northwind.example',
      to: ['tomas@fabrikam.example'],
      cc: ['lena@fabrikam.example'],
      subject: 'Outbound offer'
    },
    { from: 'stranger@elsewhere.example', to: ['ana@northwind.example'], subject: 'Cold email' },
    { from: 'ana@northwind.example', to: ['mikko@northwind.example'], subject: 'Internal note' },
    { from: 'advisor@bank.example', to: ['ana@northwind.example'], subject: 'Private banking' },
    { folder: 'junkemail', from: 'lena@fabrikam.example', to: ['ana@northwind.example'], subject: 'Junk' }
  ]);
  const summary = await runMailboxOnce(deps(), TENANT, 'manual');
  expect(summary).toMatchObject({ status: 'succeeded', seen: 5, logged: 3, failed: 0, quarantined: 0 });
  expect(summary.skipped).toEqual({ 'sender-not-matched': 1, 'internal-only': 1, 'never-log': 1 });
  expect(subjects('inbox')).toEqual([]);
  expect(subjects('Logged mail')).toEqual(['Inbound quote', 'Outbound offer']);
  expect(subjects('Not logged')).toEqual(['Cold email', 'Internal note', 'Private banking']);
  expect(subjects('junkemail')).toEqual(['Junk']);

  const entries = await store.interactions.list(TENANT, {
    scope: WHOLE_TENANT,
    correspondent: 'lena@fabrikam.example',
    limit: 10
  });
  expect(entries.items.map((e) => [e.subject, e.direction, e.source])).toEqual([
    ['Outbound offer', 'outbound', 'mailbox'],
    ['Inbound quote', 'inbound', 'mailbox']
  ]);
  // Each entry links to the archived copy.
  const archived = standIn.folderContents(SHARED, 'Logged mail');
  for (const entry of entries.items) {
    expect(archived.map((m) => m.graph.webLink)).toContain(entry.webLink);
  }
  const last = await store.mailbox.lastRun(TENANT);
  expect(last).toMatchObject({ status: 'succeeded', seen: 5, logged: 3, trigger: 'manual' });
  expect(last?.requests).toBeGreaterThan(0);
});

test('a second run, or one after the pane logged the same message, writes nothing twice', async () => {
  const [seeded] = standIn.seed(SHARED, [
    { from: 'lena@fabrikam.example', to: ['mikko@northwind.example'], subject: 'Logged twice?' }
  ]);
  const first = await runMailboxOnce(deps(), TENANT, 'manual');
  expect(first.logged).toBe(1);
  // The same message arrives again (a second BCC copy): archived, not logged again.
  standIn.seed(SHARED, [
    {
      from: 'lena@fabrikam.example',
      to: ['mikko@northwind.example'],
      subject: 'Logged twice?',
      internetMessageId: seeded?.internetMessageId
    }
  ]);
  const second = await runMailboxOnce(deps(), TENANT, 'manual');
  expect(second).toMatchObject({ logged: 0, seen: 1 });
  expect(subjects('Logged mail')).toEqual(['Logged twice?', 'Logged twice?']);
  const status = await store.interactions.status(TENANT, [seeded?.internetMessageId ?? ''], WHOLE_TENANT);
  expect(status[0]?.logged).toBe(true);
});

test('two copies of one message in a page: logged once, both archived, the entries point at a filed copy', async () => {
  const [first] = standIn.seed(SHARED, [
    { from: 'lena@fabrikam.example', to: ['ana@northwind.example'], subject: 'Two copies' }
  ]);
  const internetMessageId = first?.internetMessageId;
  standIn.seed(SHARED, [
    { from: 'lena@fabrikam.example', to: ['ana@northwind.example'], subject: 'Two copies', internetMessageId }
  ]);
  const summary = await runMailboxOnce(deps(), TENANT, 'manual');
  expect(summary).toMatchObject({ status: 'succeeded', seen: 2, logged: 1, skipped: {} });
  expect(subjects('Logged mail')).toEqual(['Two copies', 'Two copies']);
  expect(subjects('Not logged')).toEqual([]);
  const archived = standIn.folderContents(SHARED, 'Logged mail').map((message) => message.graph.webLink);
  const entries = await store.interactions.list(TENANT, {
    scope: WHOLE_TENANT,
    correspondent: 'lena@fabrikam.example',
    limit: 50
  });
  const copies = entries.items.filter((item) => item.internetMessageId === internetMessageId);
  expect(copies).toHaveLength(1);
  expect(archived).toContain(copies[0]?.webLink);
});

test('a move answered 504 that happened is not repeated, and the message is filed once', async () => {
  standIn.seed(SHARED, [{ from: 'lena@fabrikam.example', to: ['ana@northwind.example'], subject: 'Gateway' }]);
  standIn.mailbox(SHARED).moveAnswers504(1);
  const summary = await runMailboxOnce(deps(), TENANT, 'manual');
  expect(summary).toMatchObject({ status: 'succeeded', failed: 0 });
  expect(subjects('Logged mail')).toContain('Gateway');
  expect(subjects('inbox')).toEqual([]);
});

test('a move failing in the middle of a chained $batch holds back only that message', async () => {
  const seeded = standIn.seed(
    SHARED,
    fromLenaToAna(25, (i) => `Chain ${String(i).padStart(2, '0')}`)
  );
  const unlucky = seeded[3]?.immutableId ?? '';
  standIn.mailbox(SHARED).failRequests(1, {
    status: 500,
    code: 'ErrorInternalServerError',
    match: (r) => isMove(r) && r.path.includes(unlucky)
  });
  const summary = await runMailboxOnce(deps(), TENANT, 'manual');
  expect(summary).toMatchObject({ status: 'succeeded', seen: 25, logged: 25, failed: 1 });
  // The moves after it in its chain were answered 424 unexecuted and sent again in a third batch.
  expect(standIn.stats().batches).toBe(3);
  expect(subjects('inbox')).toEqual(['Chain 03']);
  expect(subjects('Logged mail').filter((s) => s?.startsWith('Chain'))).toHaveLength(24);
  expect(standIn.mailbox(SHARED).stats().moves).toBe(24);

  const next = await runMailboxOnce(deps(), TENANT, 'manual');
  expect(next).toMatchObject({ status: 'succeeded', seen: 1, logged: 0, failed: 0 });
  expect(subjects('inbox')).toEqual([]);
});

test('another instance holding the mailbox makes this run stand aside', async () => {
  expect(await store.mailbox.acquireLease(TENANT, SHARED, 'instance-b', 60_000)).toBe(true);
  try {
    standIn.seed(SHARED, [{ from: 'lena@fabrikam.example', to: ['ana@northwind.example'], subject: 'Locked' }]);
    const summary = await runMailboxOnce(deps('instance-a'), TENANT, 'schedule');
    expect(summary.status).toBe('locked');
    expect(subjects('inbox')).toEqual(['Locked']);
  } finally {
    await store.mailbox.releaseLease(TENANT, SHARED, 'instance-b');
  }
});

test('a page that takes longer than the lease keeps the mailbox: the lease is renewed while it is filed', async () => {
  standIn.seed(SHARED, [{ from: 'lena@fabrikam.example', to: ['ana@northwind.example'], subject: 'Slow page' }]);
  const hold = standIn.mailbox(SHARED).holdRequests({ after: 0 });
  const run = runMailboxOnce({ ...deps(), leaseTtlMs: 300 }, TENANT, 'manual');
  await hold.reached;
  // The moves hang for more than three lease lengths; another instance must still find the mailbox taken.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const takenOver = await store.mailbox.acquireLease(TENANT, SHARED, 'instance-b', 60_000);
  if (takenOver) await store.mailbox.releaseLease(TENANT, SHARED, 'instance-b');
  hold.release({ execute: true });
  const summary = await run;
  expect(takenOver).toBe(false);
  expect(summary).toMatchObject({ status: 'succeeded', seen: 1, logged: 1, failed: 0 });
  expect(subjects('Logged mail')).toContain('Slow page');
});

/** Runs `work` with the tenant's pages of `batchSize` messages, then back to the default. */
async function withPagesOf(batchSize: number, work: () => Promise<void>): Promise<void> {
  await store.mailbox.saveSettings(TENANT, { batchSize }, null);
  try {
    await work();
  } finally {
    await store.mailbox.saveSettings(TENANT, { batchSize: 50 }, null);
  }
}

test('between pages the lease is renewed only once a third of its term has passed', () =>
  withPagesOf(5, async () => {
    standIn.seed(
      SHARED,
      fromLenaToAna(12, (i) => `Paged ${i}`)
    );
    const renewLease = jest.spyOn(store.mailbox, 'renewLease');
    try {
      // Three pages in well under a third of a minute: the lease acquired for the run still has its term.
      const summary = await runMailboxOnce({ ...deps(), leaseTtlMs: 60_000 }, TENANT, 'manual');
      expect(summary).toMatchObject({ status: 'succeeded', seen: 12, logged: 12 });
      expect(renewLease).not.toHaveBeenCalled();
    } finally {
      renewLease.mockRestore();
    }
  }));

test('a lease lost while a page is filed stops the run before the next page is filed', () =>
  withPagesOf(5, async () => {
    standIn.seed(
      SHARED,
      fromLenaToAna(8, (i) => `Lost ${i}`)
    );
    let clock = Date.now();
    const hold = standIn.mailbox(SHARED).holdRequests({ after: 0 });
    const run = runMailboxOnce({ ...deps(), leaseTtlMs: 60_000, now: () => clock }, TENANT, 'manual');
    await hold.reached;
    // The first page's moves hang past the lease's term, and another instance takes the mailbox over.
    clock += 61_000;
    expect(await store.mailbox.acquireLease(TENANT, SHARED, 'instance-b', 60_000, clock)).toBe(true);
    try {
      hold.release({ execute: true });
      const summary = await run;
      expect(summary.status).toBe('failed');
      expect(summary.error).toMatch(/lease was lost/);
      // The first page was filed; the second, read and recorded meanwhile, was not.
      expect(subjects('Logged mail').filter((s) => s?.startsWith('Lost'))).toHaveLength(5);
      expect(subjects('inbox')).toHaveLength(3);
    } finally {
      await store.mailbox.releaseLease(TENANT, SHARED, 'instance-b');
    }
    const next = await runMailboxOnce(deps(), TENANT, 'manual');
    expect(next).toMatchObject({ status: 'succeeded', seen: 3, logged: 0, failed: 0 });
    expect(subjects('inbox')).toEqual([]);
  }));

test('moves Graph keeps throttling are left for the next run and never send a message to quarantine', async () => {
  standIn.seed(SHARED, [{ from: 'lena@fabrikam.example', to: ['ana@northwind.example'], subject: 'Busy Graph' }]);
  // Each run's move is throttled for an hour, three runs in a row: longer than any run waits.
  standIn.mailbox(SHARED).failRequests(3, { status: 429, match: isMove, retryAfterSeconds: 3600 });
  for (let run = 0; run < 3; run++) {
    const summary = await runMailboxOnce(deps(), TENANT, 'manual');
    expect(summary).toMatchObject({ status: 'succeeded', failed: 1, quarantined: 0 });
    expect(subjects('inbox')).toEqual(['Busy Graph']);
  }
  const after = await runMailboxOnce(deps(), TENANT, 'manual');
  expect(after).toMatchObject({ status: 'succeeded', failed: 0, quarantined: 0 });
  expect(subjects('Logged mail')).toContain('Busy Graph');
  expect(subjects('Quarantine')).toEqual([]);
});

test('a message that keeps failing is quarantined on its third failure; the others are not held back', async () => {
  standIn.seed(SHARED, [
    { from: 'lena@fabrikam.example', to: ['ana@northwind.example'], subject: 'Fine' },
    { from: 'tomas@fabrikam.example', to: ['ana@northwind.example'], raw: { subject: { broken: true } } }
  ]);
  const first = await runMailboxOnce(deps(), TENANT, 'manual');
  expect(first).toMatchObject({ status: 'succeeded', logged: 1, failed: 1, quarantined: 0 });
  expect(subjects('Logged mail')).toEqual(['Fine']);
  expect(standIn.folderContents(SHARED, 'inbox')).toHaveLength(1);

  expect(await runMailboxOnce(deps(), TENANT, 'manual')).toMatchObject({ failed: 1, quarantined: 0 });
  const third = await runMailboxOnce(deps(), TENANT, 'manual');
  expect(third).toMatchObject({ failed: 1, quarantined: 1 });
  // Each run lists what it did with the message: failed twice, then quarantined, with the error each time.
  const fates = async (runId: string | null) =>
    (await store.runMessages.list(TENANT, runId ?? '', { limit: 10 })).items.map((m) => [m.fate, m.subject]);
  expect((await fates(first.runId)).sort()).toEqual([
    ['failed', null],
    ['logged', 'Fine']
  ]);
  expect(await fates(third.runId)).toEqual([['quarantined', null]]);
  expect((await store.runMessages.list(TENANT, third.runId ?? '', { limit: 1 })).items[0]?.reason).toMatch(/\w/);
  expect(standIn.folderContents(SHARED, 'inbox')).toHaveLength(0);
  expect(standIn.folderContents(SHARED, 'Quarantine')).toHaveLength(1);
  const quarantine = await store.mailbox.listQuarantine(TENANT, { limit: 10 });
  expect(quarantine.items).toHaveLength(1);
  expect(quarantine.items[0]?.reason).toMatch(/\w/);

  // An admin asks for a retry: the message goes back to the Inbox and is tried afresh. That move is answered
  // 504 after it happened: the message is found in the Inbox (by the well-known folder's id) and not moved again.
  const messageId = quarantine.items[0]?.messageId ?? '';
  expect(await store.mailbox.requestRetry(TENANT, messageId)).toBe(true);
  standIn.mailbox(SHARED).moveAnswers504(1);
  const retried = await runMailboxOnce(deps(), TENANT, 'manual');
  expect(retried).toMatchObject({ seen: 1, failed: 1 });
  const movesOf = standIn
    .mailbox(SHARED)
    .requests()
    .filter((r) => isMove({ service: 'graph', ...r }) && decodeURIComponent(r.path).includes(messageId));
  expect(movesOf.map((r) => (r.body as { destinationId: string }).destinationId)).toEqual([
    standIn.mailbox(SHARED).folder('Quarantine')?.id,
    standIn.mailbox(SHARED).folder('inbox')?.id
  ]);
});

test('throttling: Graph’s Retry-After is honoured and nothing is lost', async () => {
  standIn.setLimits({ budget: 6, windowMs: 200 });
  standIn.seed(
    SHARED,
    fromLenaToAna(30, (i) => `Throttled ${String(i).padStart(2, '0')}`)
  );
  const summary = await runMailboxOnce(deps('instance-a', Infinity), TENANT, 'manual');
  expect(summary).toMatchObject({ status: 'succeeded', seen: 30, logged: 30, failed: 0 });
  expect(summary.throttled).toBeGreaterThan(0);
  expect(standIn.folderContents(SHARED, 'inbox')).toHaveLength(0);
  expect(standIn.folderContents(SHARED, 'Logged mail').filter((m) => m.subject?.startsWith('Throttled'))).toHaveLength(
    30
  );
  expect(standIn.mailbox(SHARED).stats().maxConcurrency).toBeLessThanOrEqual(4);
});

test('dropped connections are survived: reads and batches of moves are sent again', async () => {
  standIn.seed(
    SHARED,
    ['One', 'Two', 'Three'].map((subject) => ({
      from: 'lena@fabrikam.example',
      to: ['ana@northwind.example'],
      subject
    }))
  );
  standIn.dropConnections(1, { when: 'before', match: (r) => r.method === 'GET' && r.path.endsWith('/messages') });
  standIn.dropConnections(1, { when: 'after', match: (r) => r.path === '/$batch' });
  const summary = await runMailboxOnce(deps(), TENANT, 'manual');
  expect(summary).toMatchObject({ status: 'succeeded', seen: 3, logged: 3, failed: 0 });
  expect(subjects('Logged mail')).toEqual(['One', 'Three', 'Two']);
});

test('a token failure fails the run cleanly; the next run does the work', async () => {
  standIn.seed(SHARED, [{ from: 'lena@fabrikam.example', to: ['ana@northwind.example'], subject: 'After outage' }]);
  standIn.failTokens(1);
  const failed = await runMailboxOnce(deps(), TENANT, 'manual');
  expect(failed.status).toBe('failed');
  expect(failed.error).toMatch(/\w/);
  expect(subjects('inbox')).toEqual(['After outage']);
  expect((await store.mailbox.lastRun(TENANT))?.status).toBe('failed');
  // The lease was released: the next run is not locked out.
  await new Promise((resolve) => setTimeout(resolve, 1100)); // MSAL holds off a failed token endpoint briefly
  const next = await runMailboxOnce(deps(), TENANT, 'manual');
  expect(next).toMatchObject({ status: 'succeeded', logged: 1 });
});

test('a run that dies between recording and filing: the restart logs nothing twice and files everything', async () => {
  standIn.seed(
    SHARED,
    ['Crash A', 'Crash B'].map((subject) => ({ from: 'lena@fabrikam.example', to: ['ana@northwind.example'], subject }))
  );
  const dying: ProcessorDeps = {
    ...deps(),
    graphFor: (tenantId, settings) => {
      const graph = deps().graphFor(tenantId, settings);
      return {
        ...graph,
        move: async () => {
          throw new Error('process killed');
        }
      };
    }
  };
  const crashed = await runMailboxOnce(dying, TENANT, 'manual');
  expect(crashed).toMatchObject({ status: 'failed', logged: 2 });
  expect(subjects('inbox')).toEqual(['Crash A', 'Crash B']);

  const restarted = await runMailboxOnce(deps(), TENANT, 'manual');
  expect(restarted).toMatchObject({ status: 'succeeded', seen: 2, logged: 0, failed: 0 });
  expect(subjects('inbox')).toEqual([]);
  expect(subjects('Logged mail')).toEqual(['Crash A', 'Crash B']);
  const entries = await store.interactions.list(TENANT, {
    scope: WHOLE_TENANT,
    correspondent: 'lena@fabrikam.example',
    limit: 100
  });
  expect(entries.items.filter((e) => e.subject.startsWith('Crash'))).toHaveLength(2);
});

describe('two API instances on one PostgreSQL', () => {
  let pgStore: TestStore;
  let second: Store;

  beforeAll(async () => {
    pgStore = await createTestStore('postgres');
    second = await openStore(pgStore.url, { pgSchema: pgStore.pgSchema ?? '', pgPoolSize: 4 });
    const first = pgStore.store;
    await first.directory.createSalesperson(TENANT, { name: 'Ana López', email: 'ana@northwind.example' });
    await first.directory.createContact(TENANT, { name: 'Lena Berg', email: 'lena@fabrikam.example' }, null);
    await first.mailbox.saveSettings(TENANT, { enabled: true, mailboxAddress: SHARED, batchSize: 10 }, null);
  });
  afterAll(async () => {
    await second?.close();
    await pgStore?.dispose();
  });

  test('only one works the mailbox at a time; every message is logged and filed exactly once', async () => {
    standIn.seed(
      SHARED,
      fromLenaToAna(40, (i) => `Shared ${i}`)
    );
    const on = (instanceStore: Store, holder: string): ProcessorDeps => ({ ...deps(holder), store: instanceStore });
    const rounds = await Promise.all([
      runMailboxOnce(on(pgStore.store, 'instance-a'), TENANT, 'schedule'),
      runMailboxOnce(on(second, 'instance-b'), TENANT, 'schedule')
    ]);
    expect(rounds.map((r) => r.status).sort()).toEqual(['locked', 'succeeded']);
    // Whatever the first left (nothing), a later run by the other instance finds nothing new.
    const later = await runMailboxOnce(on(second, 'instance-b'), TENANT, 'schedule');
    expect(later).toMatchObject({ status: 'succeeded', seen: 0 });
    expect(standIn.folderContents(SHARED, 'Archive')).toHaveLength(40);
    expect(standIn.mailbox(SHARED).stats().moves).toBe(40);
    const entries = await second.interactions.list(TENANT, {
      scope: WHOLE_TENANT,
      correspondent: 'lena@fabrikam.example',
      limit: 100
    });
    expect(entries.items).toHaveLength(40);
  });
});
