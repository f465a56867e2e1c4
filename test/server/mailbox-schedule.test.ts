import { RETENTION } from '../../src/server/usecases/run-mailbox.js';
import { createMailboxService } from '../../src/server/mailbox/service.js';
import type { RunningServer } from '../../src/server/server.js';
import { startGraphMailbox, type GraphMailbox } from '../../src/stand-ins/graph/stand-in.js';
import { startTestApi, type TestApi } from '../helpers/api.js';
import { addAnaAndLena, fromLenaToAna } from '../helpers/messages.js';
import { standInAccess } from '../helpers/stand-in-graph.js';
import { until } from '../helpers/wait.js';

/*
 * Automatic logging on its schedule inside the API process (a short tick instead of 30 s): every tenant whose
 * logging is on gets its mailbox processed, a tenant that switched it off does not; a run asked for from the
 * admin API while the scheduled one is under way, or by another instance, processes nothing twice.
 */

const ON_A = { tenant: 'tenant-schedule-a', mailbox: 'log-a@northwind.example' };
const ON_B = { tenant: 'tenant-schedule-b', mailbox: 'log-b@contoso.example' };
const OFF = { tenant: 'tenant-schedule-off', mailbox: 'log-off@fabrikam.example' };

let api: TestApi;
let server: RunningServer;
let standIn: GraphMailbox;

const messages = (count: number, prefix: string) => fromLenaToAna(count, (i) => `${prefix} ${i}`);

const token = (tenantId: string) => api.token({ email: 'admin@northwind.example', roles: ['Admin'], tenantId });

beforeEach(async () => {
  standIn = await startGraphMailbox({ mailboxes: [ON_A.mailbox, ON_B.mailbox, OFF.mailbox] });
  api = await startTestApi('sqlite', { graph: standIn, env: { MAILBOX_SCHEDULE: 'true' }, mailbox: { tickMs: 40 } });
  ({ server } = api);
  for (const { tenant, mailbox } of [ON_A, ON_B, OFF]) {
    await addAnaAndLena(server.store, tenant);
    await server.store.mailbox.saveSettings(
      tenant,
      { enabled: tenant !== OFF.tenant, mailboxAddress: mailbox, batchSize: 10, intervalSeconds: 3600 },
      null
    );
  }
});

afterEach(async () => {
  await api?.close();
  await standIn?.close();
});

test('the schedule processes every tenant whose logging is on, and leaves the others alone', async () => {
  for (const { mailbox } of [ON_A, ON_B, OFF]) standIn.seed(mailbox, messages(12, mailbox));
  await until('both enabled mailboxes to be drained', () =>
    [ON_A, ON_B].every(({ mailbox }) => standIn.folderContents(mailbox, 'inbox').length === 0)
  );
  await until('both runs to be recorded as finished', async () => {
    const runs = await Promise.all([ON_A, ON_B].map(({ tenant }) => server.store.mailbox.lastRun(tenant)));
    return runs.every((run) => run?.status === 'succeeded');
  });
  for (const { tenant, mailbox } of [ON_A, ON_B]) {
    expect(standIn.folderContents(mailbox, 'Archive')).toHaveLength(12);
    expect(await server.store.mailbox.lastRun(tenant)).toMatchObject({ trigger: 'schedule', logged: 12 });
  }
  expect(standIn.folderContents(OFF.mailbox, 'inbox')).toHaveLength(12);
  expect(standIn.mailbox(OFF.mailbox).stats().requests).toBe(0);
  expect(await server.store.mailbox.lastRun(OFF.tenant)).toBeNull();
});

test('a run asked for while the scheduled one is under way, here or on another instance, processes nothing twice', async () => {
  // Slow Graph down so the scheduled run is still working when the others are asked for.
  standIn.mailbox(ON_A.mailbox).setLatency(15);
  standIn.seed(ON_A.mailbox, messages(60, 'Busy'));
  await until('the scheduled run to start', async () => {
    const run = await server.store.mailbox.lastRun(ON_A.tenant);
    return run?.status === 'running' && standIn.mailbox(ON_A.mailbox).stats().moves > 0;
  });
  const scheduled = await server.store.mailbox.lastRun(ON_A.tenant);

  // The admin API, on the same instance: accepted; it joins the run under way instead of starting one.
  const response = await fetch(`${server.url}/api/v1/admin/mailbox/runs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await token(ON_A.tenant)}` }
  });
  expect(response.status).toBe(202);
  // Another API instance on the same database: the lease keeps it out.
  const other = createMailboxService({
    store: server.store,
    holder: 'another-instance',
    access: standInAccess(standIn),
    msalConfigurationFor: () => standIn.msalConfiguration(),
    log: { info: () => undefined, error: () => undefined }
  });
  expect((await other.runOnce(ON_A.tenant, 'manual')).status).toBe('locked');

  await until('the mailbox to be drained', () => standIn.folderContents(ON_A.mailbox, 'inbox').length === 0);
  await until('the run to finish', async () => (await server.store.mailbox.lastRun(ON_A.tenant))?.status !== 'running');
  const runs = (await server.store.mailbox.listRuns(ON_A.tenant, { limit: 10 })).items;
  expect(runs.map((r) => [r.id, r.trigger, r.status])).toEqual([[scheduled?.id, 'schedule', 'succeeded']]);
  expect(runs[0]?.logged).toBe(60);
  expect(standIn.mailbox(ON_A.mailbox).stats().moves).toBe(60);
  expect(standIn.folderContents(ON_A.mailbox, 'Archive')).toHaveLength(60);
});

test('each run forgets bookkeeping past its retention; quarantined messages stay until dealt with', async () => {
  const { tenant, mailbox } = ON_A;
  const store = server.store.mailbox;
  await until('the first scheduled run to finish', async () => (await store.lastRun(tenant))?.status === 'succeeded');
  const now = Date.now();
  const ref = (n: number) => ({
    messageId: `AAkALgOld${n}`,
    internetMessageId: `<old-${n}@fabrikam.example>`,
    subject: `Old ${n}`,
    sender: 'lena@fabrikam.example',
    receivedAt: now - 40 * 86_400_000
  });
  await store.recordFiled(
    tenant,
    mailbox,
    { filed: [], notLogged: [{ message: ref(1), reason: 'internal-only' }] },
    now - RETENTION.messagesMs - 60_000
  );
  await store.recordFiled(
    tenant,
    mailbox,
    { filed: [], notLogged: [{ message: ref(2), reason: 'internal-only' }] },
    now - RETENTION.messagesMs + 3_600_000
  );
  await store.recordFailure(tenant, mailbox, ref(3), 'boom', now - RETENTION.messagesMs - 60_000);
  await store.markQuarantined(tenant, mailbox, ref(3).messageId, 'quarantine-folder', now - RETENTION.messagesMs - 1);
  // What the first run listed of its messages: one record past the retention, one within it.
  const first = (await store.lastRun(tenant))?.id ?? '';
  const listed = (n: number) => ({ ...ref(n), fate: 'logged' as const, reason: null, direction: null, entries: 1 });
  await server.store.runMessages.record(tenant, first, [listed(4)], now - RETENTION.messagesMs - 60_000);
  await server.store.runMessages.record(tenant, first, [listed(5)], now - RETENTION.messagesMs + 3_600_000);
  const ancient = await store.startRun(tenant, mailbox, 'schedule', now - RETENTION.runsMs - 60_000);
  await store.finishRun(tenant, ancient, { ...counters(), status: 'succeeded' }, now - RETENTION.runsMs - 50_000);
  standIn.seed(mailbox, messages(3, 'Fresh'));

  expect(await server.mailbox.runOnce(tenant, 'manual')).toMatchObject({ status: 'succeeded', logged: 3 });
  expect(await store.skippedByReason(tenant, 0)).toEqual({ 'internal-only': 1 });
  expect((await store.listQuarantine(tenant, { limit: 10 })).items.map((q) => q.messageId)).toEqual([ref(3).messageId]);
  expect((await store.listRuns(tenant, { limit: 10 })).items.map((r) => r.id)).not.toContain(ancient);
  const kept = await server.store.runMessages.list(tenant, first, { limit: 10 });
  expect(kept.items.map((m) => m.messageId)).toEqual([ref(5).messageId]);
});

const counters = () => ({ seen: 0, logged: 0, failed: 0, quarantined: 0, requests: 0, throttled: 0, skipped: {} });
