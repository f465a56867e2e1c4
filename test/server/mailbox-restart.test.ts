import { spawn, type ChildProcess } from 'node:child_process';
import { runMailboxOnce, type ProcessorDeps, type RunSummary } from '../../src/server/usecases/run-mailbox.js';
import type { Store } from '../../src/server/store/index.js';
import type { ProcessorChildConfig } from '../helpers/processor-child.js';
import { startGraphMailbox, type GraphMailbox, type HeldRequests } from '../../src/stand-ins/graph/stand-in.js';
import { standInProcessorDeps } from '../helpers/stand-in-graph.js';
import { createTestStore, type EngineName, type TestStore } from '../helpers/stores.js';

/*
 * Crash safety for real: the processor runs in a child process (the real service, MSAL and Graph client)
 * against the Graph stand-in in this process and a store both open, and is SIGKILLed at chosen points —
 * after recording a page but before any move, and in the middle of a $batch of moves (the stand-in carries
 * out N moves and holds the rest). The dead holder's lease keeps a restart out until it expires; then runs
 * go on until the Inbox is empty, and every message must be logged exactly once and filed where it belongs.
 */

const SHARED = 'interaction-log@northwind.example';
const TENANT = 'tenant-restart';
const LEASE_TTL_MS = 6000;
const PAGE = 20;

/** 30 messages to log (one entry each), 6 not to log, 2 that cannot be recorded (quarantined on the third run). */
const LOGGABLE = Array.from({ length: 30 }, (_, i) => `Loggable ${String(i).padStart(2, '0')}`);
const NOT_LOGGABLE = Array.from({ length: 6 }, (_, i) => `Not loggable ${i}`);
const BROKEN = 2;

let standIn: GraphMailbox;

function seed(): void {
  const messages = [
    ...LOGGABLE.map((subject, i) => ({
      from: i % 2 ? 'lena@fabrikam.example' : 'ana@northwind.example',
      to: [i % 2 ? 'ana@northwind.example' : 'lena@fabrikam.example'],
      subject
    })),
    ...NOT_LOGGABLE.map((subject, i) => ({
      from: i % 2 ? 'stranger@elsewhere.example' : 'ana@northwind.example',
      to: [i % 2 ? 'ana@northwind.example' : 'mikko@northwind.example'],
      subject
    })),
    // Seen by the processor with an object for a subject; the stand-in's own view keeps the name.
    ...Array.from({ length: BROKEN }, (_, i) => ({
      from: 'lena@fabrikam.example',
      to: ['ana@northwind.example'],
      subject: `Broken ${i}`,
      raw: { subject: { broken: true } }
    }))
  ];
  // Interleaved, so every page holds some of each kind.
  const order = messages.map((m, i) => ({ m, key: (i * 7919) % messages.length }));
  standIn.seed(
    SHARED,
    order.sort((a, b) => a.key - b.key).map((o) => o.m)
  );
}

function startChild(testStore: TestStore, holder: string): { child: ChildProcess; exited: Promise<number | null> } {
  const config: ProcessorChildConfig = {
    databaseUrl: testStore.url,
    ...(testStore.pgSchema ? { pgSchema: testStore.pgSchema } : {}),
    tenantId: TENANT,
    holder,
    leaseTtlMs: LEASE_TTL_MS,
    graphBaseUrl: standIn.url,
    authority: standIn.authority,
    knownAuthority: standIn.knownAuthority,
    tlsCertificate: standIn.tlsCertificate,
    clientId: standIn.app.clientId,
    clientSecret: standIn.app.clientSecret
  };
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/processor-child.ts'], {
    cwd: process.cwd(),
    env: { ...process.env, PROCESSOR_CHILD_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', 'pipe', 'pipe']
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      if (code !== null && code !== 0) console.error(stderr);
      resolve(code);
    })
  );
  return { child, exited };
}

async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`Timed out waiting for ${what}`)), ms);
      })
    ]);
  } finally {
    clearTimeout(timer);
  }
}

const restartDeps = (store: Store): ProcessorDeps =>
  standInProcessorDeps(store, standIn, { holder: 'restarted-instance', leaseTtlMs: LEASE_TTL_MS });

const subjects = (folder: string) =>
  standIn
    .folderContents(SHARED, folder)
    .map((m) => m.subject)
    .sort();

describe.each<EngineName>(['sqlite', 'postgres'])('kill and restart on %s', (engine) => {
  let testStore: TestStore;
  let store: Store;

  beforeEach(async () => {
    testStore = await createTestStore(engine);
    store = testStore.store;
    await store.directory.createSalesperson(TENANT, { name: 'Ana López', email: 'ana@northwind.example' });
    await store.directory.createSalesperson(TENANT, { name: 'Mikko Virtanen', email: 'mikko@northwind.example' });
    await store.directory.createContact(TENANT, { name: 'Lena Berg', email: 'lena@fabrikam.example' }, null);
    await store.mailbox.saveSettings(TENANT, { enabled: true, mailboxAddress: SHARED, batchSize: PAGE }, null);
    standIn = await startGraphMailbox({ mailboxes: [SHARED] });
    seed();
  });
  afterEach(async () => {
    await standIn.close();
    await testStore.dispose();
  });

  /** Kills the child once the hold is reached; returns what the store held at that moment. */
  async function killAt(hold: HeldRequests, after: { execute: boolean }) {
    const { child, exited } = startChild(testStore, 'doomed-instance');
    await within(hold.reached, 20_000, 'the child to reach the kill point');
    child.kill('SIGKILL');
    expect(await exited).toBeNull();
    // Moves the dead client had sent are either carried out by the service anyway, or not at all.
    hold.release({ execute: after.execute });
    const entries = (await store.interactions.list(TENANT, { limit: 200, scope: { kind: 'tenant' } })).items;
    return { entries };
  }

  /** Restarts until the Inbox is empty; the first attempt must find the dead holder's lease still live. */
  async function restartUntilDrained(): Promise<RunSummary[]> {
    const deps = restartDeps(store);
    const first = await runMailboxOnce(deps, TENANT, 'schedule');
    expect(first.status).toBe('locked');
    const runs: RunSummary[] = [];
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && runs.length < 5) {
      const summary = await runMailboxOnce(deps, TENANT, 'schedule');
      if (summary.status === 'locked') {
        await new Promise((resolve) => setTimeout(resolve, 100));
        continue;
      }
      expect(summary.status).toBe('succeeded');
      runs.push(summary);
      if (standIn.folderContents(SHARED, 'inbox').length === 0) break;
    }
    return runs;
  }

  async function expectEverythingOnceInItsPlace() {
    expect(subjects('inbox')).toEqual([]);
    expect(subjects('Archive')).toEqual([...LOGGABLE].sort());
    expect(subjects('Not logged')).toEqual([...NOT_LOGGABLE].sort());
    expect(subjects('Quarantine')).toEqual(Array.from({ length: BROKEN }, (_, i) => `Broken ${i}`));
    // Each message moved into its folder once, none lost on the way.
    const all = [...LOGGABLE, ...NOT_LOGGABLE];
    for (const folder of ['Archive', 'Not logged']) {
      for (const message of standIn.folderContents(SHARED, folder)) expect(message.moves).toBe(1);
    }
    expect(standIn.folderContents(SHARED, 'Archive').length + standIn.folderContents(SHARED, 'Not logged').length).toBe(
      all.length
    );

    const entries = (await store.interactions.list(TENANT, { limit: 200, scope: { kind: 'tenant' } })).items;
    expect(entries.map((e) => e.subject).sort()).toEqual([...LOGGABLE].sort());
    expect(new Set(entries.map((e) => e.internetMessageId)).size).toBe(LOGGABLE.length);
    expect((await store.mailbox.listQuarantine(TENANT, { limit: 10 })).items).toHaveLength(BROKEN);

    // The killed run is closed as abandoned; no run shows as running.
    const runs = (await store.mailbox.listRuns(TENANT, { limit: 50 })).items;
    expect(runs.filter((r) => r.status === 'running')).toEqual([]);
    const abandoned = runs.filter((r) => r.status === 'abandoned');
    expect(abandoned).toHaveLength(1);
    expect(abandoned[0]?.finishedAt).not.toBeNull();

    // Every entry links to its archived message, also those whose message the killed run had moved
    // without writing the link.
    const archivedLinks = new Set(standIn.folderContents(SHARED, 'Archive').map((m) => m.graph.webLink));
    for (const entry of entries) expect(archivedLinks.has(entry.webLink)).toBe(true);
  }

  test('killed after recording its first page, before moving anything', async () => {
    const hold = standIn.mailbox(SHARED).holdRequests({ after: 0 });
    const { entries } = await killAt(hold, { execute: false });
    // Recording comes first: the page's entries exist, nothing has left the Inbox.
    expect(entries.length).toBeGreaterThan(0);
    expect(standIn.folderContents(SHARED, 'inbox')).toHaveLength(LOGGABLE.length + NOT_LOGGABLE.length + BROKEN);
    expect(standIn.mailbox(SHARED).stats().moves).toBe(0);

    await restartUntilDrained();
    await expectEverythingOnceInItsPlace();
  }, 60_000);

  test('killed in the middle of a $batch of moves; the rest of the batch never runs', async () => {
    const hold = standIn.mailbox(SHARED).holdRequests({ after: PAGE + 7 });
    await killAt(hold, { execute: false });
    expect(standIn.mailbox(SHARED).stats().moves).toBe(PAGE + 7);

    await restartUntilDrained();
    await expectEverythingOnceInItsPlace();
  }, 60_000);

  test('killed in the middle of a $batch whose held moves Graph still carries out after the client died', async () => {
    const hold = standIn.mailbox(SHARED).holdRequests({ after: 5 });
    await killAt(hold, { execute: true });
    expect(standIn.mailbox(SHARED).stats().moves).toBeGreaterThan(5);

    await restartUntilDrained();
    await expectEverythingOnceInItsPlace();
  }, 60_000);
});
