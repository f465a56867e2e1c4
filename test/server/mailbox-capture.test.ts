import type { DevTokenRequest } from '../../src/shared/schemas/auth.js';
import { INBOUND_RULE_NAME } from '../../src/shared/setup-commands.js';
import { useMailboxSuite } from '../helpers/stand-in-graph.js';
import { ENGINES } from '../helpers/stores.js';

/*
 * Capture health over real HTTP on both engines, the processor reaching the Graph stand-in: per day, salesperson
 * and direction what was seen and what became of it; the alert when inbound mail stops while outbound flows (a
 * broken inbound rule); and the unmatched queue, from which one click adds the contact and logs its messages.
 */

const SHARED = 'interaction-log@northwind.example';
const QUIET = 'quiet-inbound@northwind.example';
const ADMIN_PATHS = [
  ['GET', '/api/v1/admin/mailbox/capture'],
  ['GET', '/api/v1/admin/mailbox/unmatched'],
  ['POST', '/api/v1/admin/mailbox/unmatched/add-contact'],
  ['POST', '/api/v1/admin/mailbox/reconcile']
] as const;

describe.each(ENGINES)('capture health on %s', (engine) => {
  const TENANT = `tenant-capture-${engine}`;
  const QUIET_TENANT = `tenant-quiet-${engine}`;
  const suite = useMailboxSuite(engine, [SHARED, QUIET], [TENANT, QUIET_TENANT]);
  const token = (email: string, roles: DevTokenRequest['roles'] = [], tenantId = TENANT) =>
    suite.api.token({ email, roles, tenantId });
  const call = (method: string, path: string, as: string, body?: unknown) => suite.api.call(method, path, { as, body });

  /** Starts a run as the admin does and waits until a run newer than those before it has finished. */
  async function runAndWait(admin: string, start: () => Promise<unknown>) {
    const before = (await call('GET', '/api/v1/admin/mailbox/runs', admin)).body.items[0]?.id;
    await start();
    for (let i = 0; i < 200; i++) {
      const newest = (await call('GET', '/api/v1/admin/mailbox/runs', admin)).body.items[0];
      if (newest && newest.id !== before && newest.status !== 'running') return newest;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error('no run finished');
  }

  test('only admins reach capture health; bad input is a 400 that names the field', async () => {
    const salesperson = await token('ana@northwind.example');
    for (const [method, path] of ADMIN_PATHS) {
      const body = path.endsWith('add-contact') ? { address: 'a@b.example', name: 'A' } : undefined;
      expect([path, (await call(method, path, salesperson, body)).status]).toEqual([path, 403]);
    }
    const admin = await token('admin@northwind.example', ['Admin']);
    const backwards = await call('GET', '/api/v1/admin/mailbox/capture?from=2026-12-05&to=2026-12-01', admin);
    expect([backwards.status, backwards.body.errors[0].pointer]).toEqual([400, '#/from']);
    const tooLong = await call('GET', '/api/v1/admin/mailbox/capture?from=2026-01-01&to=2026-12-01', admin);
    expect([tooLong.status, tooLong.body.errors[0].pointer]).toEqual([400, '#/from']);
    expect((await call('GET', '/api/v1/admin/mailbox/capture?from=yesterday', admin)).status).toBe(400);
    const notAnAddress = await call('POST', '/api/v1/admin/mailbox/unmatched/add-contact', admin, {
      address: 'nobody',
      name: 'Nobody'
    });
    expect([notAnAddress.status, notAnAddress.body.errors[0].pointer]).toEqual([400, '#/address']);
    const noName = await call('POST', '/api/v1/admin/mailbox/unmatched/add-contact', admin, { address: 'a@b.example' });
    expect(noName.status).toBe(400);
    const hours = await call('PATCH', '/api/v1/admin/mailbox/settings', admin, { captureAlertHours: 200 });
    expect([hours.status, hours.body.errors[0].pointer]).toEqual([400, '#/captureAlertHours']);
  });

  test('every message is counted per day, salesperson and direction; an unknown sender goes to the history in one click', async () => {
    const admin = await token('admin@northwind.example', ['Admin']);
    await call('PATCH', '/api/v1/admin/mailbox/settings', admin, { enabled: true, mailboxAddress: SHARED });
    const at = new Date(Date.now() - 3_600_000).toISOString();
    const day = at.slice(0, 10);
    suite.standIn.seed(SHARED, [
      { from: 'lena@fabrikam.example', to: ['ana@northwind.example'], subject: 'In, logged', receivedDateTime: at },
      { from: 'nobody@elsewhere.example', to: ['ana@northwind.example'], subject: 'Cold 1', receivedDateTime: at },
      { from: 'nobody@elsewhere.example', to: ['ana@northwind.example'], subject: 'Cold 2', receivedDateTime: at },
      { from: 'ana@northwind.example', to: ['lena@fabrikam.example'], subject: 'Out, logged', receivedDateTime: at },
      { from: 'ana@northwind.example', to: ['newbie@contoso.example'], subject: 'Out, unknown', receivedDateTime: at }
    ]);
    expect(await runAndWait(admin, () => call('POST', '/api/v1/admin/mailbox/runs', admin))).toMatchObject({
      status: 'succeeded',
      seen: 5
    });

    const ana = (
      await suite.api.server.store.directory.resolveAddresses(TENANT, ['ana@northwind.example'])
    ).salespeople.get('ana@northwind.example');
    const report = await call('GET', `/api/v1/admin/mailbox/capture?from=${day}&to=${day}`, admin);
    expect(report.status).toBe(200);
    const row = (direction: string, seen: number, notLogged: Record<string, number>) => ({
      day,
      salesperson: { id: ana?.id, name: 'Ana' },
      direction,
      seen,
      logged: 1,
      notLogged,
      pending: 0
    });
    expect(report.body.rows).toEqual([
      row('inbound', 3, { 'sender-not-matched': 2 }),
      row('outbound', 2, { 'no-matching-recipient': 1 })
    ]);

    const queue = await call('GET', '/api/v1/admin/mailbox/unmatched', admin);
    expect(queue.body).toEqual({
      addresses: [
        expect.objectContaining({ address: 'nobody@elsewhere.example', count: 2, proposedCompany: 'Elsewhere' }),
        expect.objectContaining({ address: 'newbie@contoso.example', domain: 'contoso.example', count: 1 })
      ],
      domains: [
        { domain: 'elsewhere.example', count: 2, addresses: 1 },
        { domain: 'contoso.example', count: 1, addresses: 1 }
      ]
    });

    const add = () =>
      call('POST', '/api/v1/admin/mailbox/unmatched/add-contact', admin, {
        address: 'Nobody@Elsewhere.example',
        name: 'Noa Body'
      });
    let added: Awaited<ReturnType<typeof add>> | undefined;
    await runAndWait(admin, async () => (added = await add()));
    expect(added?.status).toBe(200);
    expect(added?.body).toMatchObject({
      created: true,
      requeued: 2,
      contact: { email: 'nobody@elsewhere.example', name: 'Noa Body', company: 'Elsewhere' }
    });
    const salesperson = await token('ana@northwind.example');
    const history = async () =>
      (await call('GET', '/api/v1/interactions?correspondent=nobody@elsewhere.example', salesperson)).body.items;
    expect((await history()).map((e: { subject: string }) => e.subject).sort()).toEqual(['Cold 1', 'Cold 2']);
    expect(suite.standIn.folderContents(SHARED, 'Not logged').map((m) => m.subject)).toEqual(['Out, unknown']);
    expect(suite.standIn.folderContents(SHARED, 'Inbox')).toEqual([]);

    // Twice: nothing created, nothing sent back, nothing logged twice.
    const again = await add();
    expect(again.body).toMatchObject({ created: false, requeued: 0, contact: { id: added?.body.contact.id } });
    expect(await runAndWait(admin, () => call('POST', '/api/v1/admin/mailbox/runs', admin))).toMatchObject({
      status: 'succeeded',
      logged: 0
    });
    expect(await history()).toHaveLength(2);
    expect((await call('GET', '/api/v1/admin/mailbox/unmatched', admin)).body.addresses).toEqual([
      expect.objectContaining({ address: 'newbie@contoso.example' })
    ]);
    const after = await call('GET', `/api/v1/admin/mailbox/capture?from=${day}&to=${day}`, admin);
    expect(after.body.rows[0]).toMatchObject({ direction: 'inbound', seen: 3, logged: 3, notLogged: {} });
    expect((await call('GET', '/api/v1/admin/mailbox/health', admin)).body.captureAlerts).toEqual([]);
  });

  test('reconciliation accounts for every message in the Inbox and the folders, and flags the rest', async () => {
    const admin = await token('admin@northwind.example', ['Admin']);
    const reconcile = (query = '') => call('POST', `/api/v1/admin/mailbox/reconcile${query}`, admin);
    expect((await reconcile('?days=0')).status).toBe(400);
    expect((await reconcile('?since=x')).status).toBe(400);

    const clean = await reconcile();
    expect(clean.status).toBe(200);
    expect(clean.body).toMatchObject({ mailboxAddress: SHARED, complete: true, waiting: 0, unaccounted: [] });
    // Four in the archive (two logged in one click), one not logged.
    expect(clean.body.accounted).toBe(5);
    expect(clean.body.folders.map((f: { role: string; listed: number }) => [f.role, f.listed])).toEqual([
      ['inbox', 0],
      ['archive', 4],
      ['notLogged', 1],
      ['quarantine', 0]
    ]);

    // A message put in the archive by hand, which nothing recorded or logged; and one waiting in the Inbox.
    const at = new Date(Date.now() - 60_000).toISOString();
    const [planted] = suite.standIn.seed(SHARED, [
      {
        folder: 'Archive',
        from: 'x@elsewhere.example',
        to: ['ana@northwind.example'],
        subject: 'By hand',
        receivedDateTime: at
      }
    ]);
    suite.standIn.seed(SHARED, [
      { from: 'lena@fabrikam.example', to: ['ana@northwind.example'], receivedDateTime: at }
    ]);
    const flagged = await reconcile('?days=2');
    expect(flagged.body).toMatchObject({ waiting: 1, accounted: 5 });
    expect(flagged.body.unaccounted).toEqual([
      {
        messageId: expect.any(String),
        internetMessageId: planted?.internetMessageId,
        subject: 'By hand',
        // Who sent it and when, as Graph lists it, so the admin can find it.
        from: 'x@elsewhere.example',
        receivedDateTime: at.replace(/\.\d{3}Z$/, 'Z'),
        folder: 'archive',
        recorded: null,
        problem: 'not-recorded'
      }
    ]);
  });

  test('a broken inbound rule: outbound mail flows, inbound saw nothing, and the health answer names the rule', async () => {
    const admin = await token('admin@northwind.example', ['Admin'], QUIET_TENANT);
    await call('PATCH', '/api/v1/admin/mailbox/settings', admin, { enabled: true, mailboxAddress: QUIET });
    const at = new Date(Date.now() - 60_000).toISOString();
    suite.standIn.seed(QUIET, [
      { from: 'ana@northwind.example', to: ['lena@fabrikam.example'], subject: 'Out 1', receivedDateTime: at },
      { from: 'ana@northwind.example', to: ['lena@fabrikam.example'], subject: 'Out 2', receivedDateTime: at }
    ]);
    await runAndWait(admin, () => call('POST', '/api/v1/admin/mailbox/runs', admin));

    const health = await call('GET', '/api/v1/admin/mailbox/health', admin);
    expect(health.body.captureAlerts).toEqual([
      {
        direction: 'inbound',
        quietSince: expect.any(String),
        businessHours: 4,
        rule: { name: INBOUND_RULE_NAME, command: expect.stringContaining('New-TransportRule') }
      }
    ]);
    const { command } = health.body.captureAlerts[0].rule;
    expect(command).toContain('-FromScope NotInOrganization -SentToScope InOrganization');
    expect(command).toContain(QUIET);
    expect(Date.parse(health.body.captureAlerts[0].quietSince)).toBeLessThan(Date.now());

    // 0 hours switches the alert off.
    await call('PATCH', '/api/v1/admin/mailbox/settings', admin, { captureAlertHours: 0 });
    expect((await call('GET', '/api/v1/admin/mailbox/health', admin)).body.captureAlerts).toEqual([]);
    await call('PATCH', '/api/v1/admin/mailbox/settings', admin, { captureAlertHours: 4 });
    expect((await call('GET', '/api/v1/admin/mailbox/health', admin)).body.captureAlerts).toHaveLength(1);

    // Inbound mail arrives again: the alert is gone.
    suite.standIn.seed(QUIET, [{ from: 'lena@fabrikam.example', to: ['ana@northwind.example'], receivedDateTime: at }]);
    await runAndWait(admin, () => call('POST', '/api/v1/admin/mailbox/runs', admin));
    expect((await call('GET', '/api/v1/admin/mailbox/health', admin)).body.captureAlerts).toEqual([]);
  });
});
