import type { DevTokenRequest } from '../../src/shared/schemas/auth.js';
import { useMailboxSuite } from '../helpers/stand-in-graph.js';

/*
 * The admin API of automatic logging over real HTTP, with the processor reaching the Graph stand-in
 * through MSAL: settings, a run on demand, health, quarantine — and none of it for non-admins.
 */

const SHARED = 'interaction-log@northwind.example';
const TENANT = 'tenant-admin-mailbox';
const suite = useMailboxSuite('sqlite', [SHARED], [TENANT]);

const call = (method: string, path: string, token: string, body?: unknown) =>
  suite.api.call(method, path, { as: token, body });
const token = (email: string, roles: DevTokenRequest['roles'] = []) =>
  suite.api.token({ email, roles, tenantId: TENANT });

test('only admins reach the automatic logging API', async () => {
  const salesperson = await token('ana@northwind.example');
  for (const [method, path] of [
    ['GET', '/api/v1/admin/mailbox/settings'],
    ['PATCH', '/api/v1/admin/mailbox/settings'],
    ['GET', '/api/v1/admin/mailbox/health'],
    ['GET', '/api/v1/admin/mailbox/runs'],
    ['POST', '/api/v1/admin/mailbox/runs'],
    ['GET', '/api/v1/admin/mailbox/quarantine'],
    ['POST', '/api/v1/admin/mailbox/quarantine/x/retry']
  ] as const) {
    const response = await call(method, path, salesperson, method === 'PATCH' ? { enabled: true } : undefined);
    expect([method, path, response.status]).toEqual([method, path, 403]);
  }
});

test('an admin configures automatic logging, runs it, and sees the outcome', async () => {
  const admin = await token('admin@northwind.example', ['Admin']);
  const defaults = await call('GET', '/api/v1/admin/mailbox/settings', admin);
  expect(defaults.body).toMatchObject({ enabled: false, mailboxAddress: null, archiveFolder: 'Archive' });

  const noAddress = await call('PATCH', '/api/v1/admin/mailbox/settings', admin, { enabled: true });
  expect(noAddress.status).toBe(400);
  expect(noAddress.body.errors[0].pointer).toBe('#/mailboxAddress');
  const unknownField = await call('PATCH', '/api/v1/admin/mailbox/settings', admin, { tenantId: 'x' });
  expect(unknownField.status).toBe(400);

  const saved = await call('PATCH', '/api/v1/admin/mailbox/settings', admin, {
    enabled: true,
    mailboxAddress: SHARED.toUpperCase(),
    archiveFolder: 'Logged mail',
    neverLogDomains: ['@Bank.example']
  });
  expect(saved.status).toBe(200);
  expect(saved.body).toMatchObject({
    enabled: true,
    mailboxAddress: SHARED,
    archiveFolder: 'Logged mail',
    neverLogDomains: ['bank.example'],
    updatedBy: 'admin@northwind.example'
  });

  suite.standIn.seed(SHARED, [
    { from: 'lena@fabrikam.example', to: ['ana@northwind.example'], subject: 'Hello' },
    { from: 'nobody@elsewhere.example', to: ['ana@northwind.example'], subject: 'Cold' }
  ]);
  const started = await call('POST', '/api/v1/admin/mailbox/runs', admin);
  expect(started.status).toBe(202);
  let runs = await call('GET', '/api/v1/admin/mailbox/runs', admin);
  for (let i = 0; i < 100 && runs.body.items[0]?.status !== 'succeeded'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    runs = await call('GET', '/api/v1/admin/mailbox/runs', admin);
  }
  expect(runs.body.items[0]).toMatchObject({
    status: 'succeeded',
    trigger: 'manual',
    seen: 2,
    logged: 1,
    skipped: { 'sender-not-matched': 1 }
  });
  expect(suite.standIn.folderContents(SHARED, 'Logged mail').map((m) => m.subject)).toEqual(['Hello']);

  const health = await call('GET', '/api/v1/admin/mailbox/health', admin);
  expect(health.body).toMatchObject({ configured: true, backlog: 0, skippedLast7Days: { 'sender-not-matched': 1 } });
  expect(health.body.lastRun.id).toBe(runs.body.items[0].id);

  const quarantine = await call('GET', '/api/v1/admin/mailbox/quarantine', admin);
  expect(quarantine.body).toEqual({ items: [], nextCursor: null });
  expect((await call('POST', '/api/v1/admin/mailbox/quarantine/no-such-message/retry', admin)).status).toBe(404);
});

test('the never-log list applies to Log this thread in the pane too', async () => {
  const admin = await token('admin@northwind.example', ['Admin']);
  await call('PATCH', '/api/v1/admin/mailbox/settings', admin, { neverLogAddresses: ['lena@fabrikam.example'] });
  const ana = await token('ana@northwind.example');
  const message = {
    internetMessageId: '<never-log-check@fabrikam.example>',
    subject: 'Private',
    receivedDateTime: '2026-11-01T10:00:00Z',
    from: { emailAddress: { address: 'Lena@Fabrikam.example' } },
    toRecipients: [{ emailAddress: { address: 'ana@northwind.example' } }]
  };
  const result = await call('POST', '/api/v1/interactions/log-thread', ana, { messages: [message] });
  expect(result.status).toBe(200);
  expect(result.body.logged).toEqual([]);
  expect(result.body.skipped).toEqual([
    expect.objectContaining({ internetMessageId: message.internetMessageId, reason: 'never-log' })
  ]);
});

test('a run left running by a dead process shows as abandoned once the next run takes the mailbox over', async () => {
  const admin = await token('admin@northwind.example', ['Admin']);
  await call('PATCH', '/api/v1/admin/mailbox/settings', admin, { enabled: true, mailboxAddress: SHARED });
  // What a killed process leaves behind: a run marked running (its lease has expired since).
  const dead = await suite.api.server.store.mailbox.startRun(TENANT, SHARED, 'schedule', Date.now() - 600_000);
  let runs = await call('GET', '/api/v1/admin/mailbox/runs', admin);
  expect(runs.body.items.find((r: { id: string }) => r.id === dead)).toMatchObject({ status: 'running' });

  const before = runs.body.items[0]?.id;
  expect((await call('POST', '/api/v1/admin/mailbox/runs', admin)).status).toBe(202);
  const finished = () => runs.body.items[0]?.id !== before && runs.body.items[0]?.status === 'succeeded';
  for (let i = 0; i < 100 && !finished(); i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    runs = await call('GET', '/api/v1/admin/mailbox/runs', admin);
  }
  expect(runs.status).toBe(200);
  expect(runs.body.items[0]).toMatchObject({ status: 'succeeded', trigger: 'manual' });
  const abandoned = runs.body.items.find((r: { id: string }) => r.id === dead);
  expect(abandoned).toMatchObject({ status: 'abandoned', durationMs: expect.any(Number) });
  expect(abandoned.finishedAt).not.toBeNull();
  expect(runs.body.items.filter((r: { status: string }) => r.status === 'running')).toEqual([]);
});
