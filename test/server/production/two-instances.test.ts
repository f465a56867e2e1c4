import type { RunningServer } from '../../../src/server/server.js';
import { startGraphMailbox, TEST_LIMITS, type GraphMailbox } from '../../../src/stand-ins/graph/stand-in.js';
import { apiClient, startTestServer } from '../../helpers/api.js';
import { fromLenaToAna, graphMessage } from '../../helpers/messages.js';
import { createTestStore, type TestStore } from '../../helpers/stores.js';

/*
 * Scale-out: two API instances, as a load balancer would have them, on one PostgreSQL schema. Both serve the
 * API over the same data, and both run automatic logging's schedule against one shared mailbox (the Graph
 * stand-in), yet each message is logged and filed exactly once. The processor-level version of the lease
 * race is in test/server/mailbox-processor.test.ts; this one goes through the servers as deployed.
 */

jest.setTimeout(120_000);

const TENANT = 'tenant-scale-out';
const SHARED = 'interaction-log@northwind.example';
const ANA = 'ana@northwind.example';

let pg: TestStore;
let standIn: GraphMailbox;
let a: RunningServer;
let b: RunningServer;

const start = (): Promise<RunningServer> =>
  startTestServer(pg, { graph: standIn, env: { MAILBOX_SCHEDULE: 'true' }, mailbox: { tickMs: 25 } });

/** A JSON call; each instance issues its own dev tokens (the same person gets the same identity on both). */
async function call(server: RunningServer, method: string, path: string, as: string, body?: unknown) {
  const client = apiClient(server);
  const token = await client.token({ email: as, tenantId: TENANT, roles: ['Admin'] });
  return client.call(method, path, { as: token, body });
}

beforeAll(async () => {
  pg = await createTestStore('postgres');
  standIn = await startGraphMailbox({ mailboxes: [SHARED], limits: TEST_LIMITS });
  [a, b] = await Promise.all([start(), start()]);
});

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await standIn?.close();
  await pg?.dispose();
});

test('both instances serve the API over the same data', async () => {
  expect((await call(a, 'GET', '/api/v1/me', ANA)).body.email).toBe(ANA);
  const created = await call(a, 'POST', '/api/v1/contacts', ANA, { name: 'Lena Berg', email: 'lena@fabrikam.example' });
  expect(created.status).toBe(201);
  // Written on A, read on B.
  const found = await call(b, 'GET', '/api/v1/contacts?email=lena@fabrikam.example', ANA);
  expect(found.body.items.map((c: { id: string }) => c.id)).toEqual([created.body.id]);
  // The same identity on both: B knows Ana's salesperson record from A.
  expect((await call(b, 'GET', '/api/v1/me', ANA)).body.salesperson.id).toBe(
    (await call(a, 'GET', '/api/v1/me', ANA)).body.salesperson.id
  );

  // The same thread logged through both at once: one entry per message, whoever wins.
  const thread = {
    messages: [graphMessage('lena@fabrikam.example', [ANA]), graphMessage(ANA, ['lena@fabrikam.example'])]
  };
  const [onA, onB] = await Promise.all([
    call(a, 'POST', '/api/v1/interactions/log-thread', ANA, thread),
    call(b, 'POST', '/api/v1/interactions/log-thread', ANA, thread)
  ]);
  expect([onA.status, onB.status]).toEqual([200, 200]);
  expect(onA.body.logged.length + onB.body.logged.length).toBe(2);
  const history = await call(a, 'GET', '/api/v1/interactions?correspondent=lena@fabrikam.example', ANA);
  expect(history.body.items.map((i: { internetMessageId: string }) => i.internetMessageId).sort()).toEqual(
    thread.messages.map((m) => m.internetMessageId).sort()
  );
});

test('both run the schedule on one shared mailbox; every message is logged and filed exactly once', async () => {
  // Straight to the store: the API keeps the interval at a minute or more, the test wants a run every second.
  await a.store.mailbox.saveSettings(
    TENANT,
    { enabled: true, mailboxAddress: SHARED, batchSize: 5, intervalSeconds: 1 },
    null
  );
  const total = 60;
  // Mail keeps arriving in waves while both schedules run, and admins ask for runs on both at once.
  for (let wave = 0; wave < 4; wave++) {
    standIn.seed(
      SHARED,
      fromLenaToAna(total / 4, (i) => `Wave ${wave} message ${i}`)
    );
    const [runA, runB] = await Promise.all([
      call(a, 'POST', '/api/v1/admin/mailbox/runs', ANA),
      call(b, 'POST', '/api/v1/admin/mailbox/runs', ANA)
    ]);
    expect([runA.status, runB.status]).toEqual([202, 202]);
    await new Promise((resolve) => setTimeout(resolve, 700));
  }
  const deadline = Date.now() + 60_000;
  while (standIn.folderContents(SHARED, 'Archive').length < total && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  expect(standIn.folderContents(SHARED, 'inbox')).toEqual([]);
  expect(standIn.folderContents(SHARED, 'Archive')).toHaveLength(total);
  expect(standIn.mailbox(SHARED).stats().moves).toBe(total); // no message was moved twice
  let logged = 0;
  let cursor: string | null = null;
  do {
    const page: { body: { items: { subject: string; source: string }[]; nextCursor: string | null } } = await call(
      b,
      'GET',
      `/api/v1/interactions?correspondent=lena@fabrikam.example&limit=100${cursor ? `&cursor=${cursor}` : ''}`,
      ANA
    );
    logged += page.body.items.filter((i) => i.source === 'mailbox').length;
    cursor = page.body.nextCursor;
  } while (cursor);
  expect(logged).toBe(total);
  // More than one run did the work, and no two ever overlapped: the lease held.
  const runs = (await call(a, 'GET', '/api/v1/admin/mailbox/runs?limit=100', ANA)).body.items as {
    startedAt: string;
    finishedAt: string | null;
    logged: number;
  }[];
  expect(runs.filter((run) => run.logged > 0).length).toBeGreaterThan(1);
  expect(runs.reduce((sum, run) => sum + run.logged, 0)).toBe(total);
  const spans = runs
    .map((run) => [Date.parse(run.startedAt), Date.parse(run.finishedAt ?? '')] as const)
    .sort((x, y) => x[0] - y[0]);
  for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1]);
});
