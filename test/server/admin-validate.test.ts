import { VALIDATION_CHECK_IDS } from '../../src/shared/admin-checks.js';
import type { ValidationCheck, ValidationReport } from '../../src/shared/schemas/admin.js';
import type { DevTokenRequest } from '../../src/shared/schemas/auth.js';
import { startGraphMailbox, TEST_LIMITS, type GraphMailbox } from '../../src/stand-ins/graph/stand-in.js';
import { startTestApi, type TestApi } from '../helpers/api.js';
import { GraphMetadata } from '../helpers/graph-metadata.js';

/*
 * "Validate configuration" over real HTTP: the server's checks reach the Graph stand-in through MSAL with the
 * processor's own app-only client. A mailbox without its Archive folder fails with the create-folders action;
 * the action creates the folders (idempotent, audited) and validation passes. Token, mailbox, access, recent
 * mail and archive-limit failures each show with their fix, without stopping the other checks.
 */

const SHARED = 'interaction-log@northwind.example';
const OTHER = 'other-log@northwind.example';
let server: TestApi;
let bare: TestApi;
let standIn: GraphMailbox;
const graphMetadata = GraphMetadata.load();
let tenantSeq = 0;
const BAD_SECRET_TENANT = 'tenant-validate-bad-secret';

const call = (target: TestApi, method: string, path: string, token: string, body?: unknown) =>
  target.call(method, path, { as: token, body });
const token = (target: TestApi, tenantId: string, email: string, roles: DevTokenRequest['roles'] = []) =>
  target.token({ email, roles, tenantId });

/** A fresh tenant (its own token source) whose admin has set the shared mailbox address. */
async function tenantWith(mailboxAddress: string | null) {
  const tenantId = `tenant-validate-${++tenantSeq}`;
  const admin = await token(server, tenantId, 'admin@northwind.example', ['Admin']);
  if (mailboxAddress) {
    expect((await call(server, 'PATCH', '/api/v1/admin/mailbox/settings', admin, { mailboxAddress })).status).toBe(200);
  }
  return { tenantId, admin };
}

async function validate(target: TestApi, admin: string): Promise<ValidationReport> {
  const response = await call(target, 'POST', '/api/v1/admin/mailbox/validate', admin);
  expect(response.status).toBe(200);
  return response.body as ValidationReport;
}

const item = (report: ValidationReport, id: string): ValidationCheck => {
  const found = report.items.find((i) => i.id === id);
  if (!found) throw new Error(`no check ${id}`);
  return found;
};

beforeAll(async () => {
  standIn = await startGraphMailbox({
    mailboxes: [{ address: SHARED, archiveFolder: false }, OTHER],
    limits: TEST_LIMITS
  });
  const env = { MAILBOX_SCHEDULE: 'false' };
  server = await startTestApi('sqlite', {
    graph: standIn,
    env,
    mailbox: {
      // One tenant's app registration has a wrong secret: Entra answers it with AADSTS7000215.
      msalConfigurationFor: (tenantId) => {
        const configuration = standIn.msalConfiguration();
        if (tenantId !== BAD_SECRET_TENANT) return configuration;
        return { ...configuration, auth: { ...configuration.auth, clientSecret: 'not-the-secret' } };
      }
    }
  });
  bare = await startTestApi('sqlite', { env });
});

afterEach(() => {
  // Every request the admin checks sent to any mailbox is one Graph's v1.0 metadata defines.
  const requests = Object.keys(standIn.stats().mailboxes).flatMap((address) => standIn.mailbox(address).requests());
  expect(requests.flatMap((request) => graphMetadata.problemsOf(request))).toEqual([]);
});

afterAll(async () => {
  await server?.close();
  await bare?.close();
  await standIn?.close();
});

test('a salesperson gets 403 on every admin route', async () => {
  const salesperson = await token(server, 'tenant-validate-sp', 'ana@northwind.example');
  for (const [method, path] of [
    ['POST', '/api/v1/admin/mailbox/validate'],
    ['POST', '/api/v1/admin/mailbox/folders'],
    ['GET', '/api/v1/admin/setup'],
    ['GET', '/api/v1/admin/directory/problems']
  ] as const) {
    expect([path, (await call(server, method, path, salesperson)).status]).toEqual([path, 403]);
  }
});

test('without app credentials every check answers, with the fix: no 5xx', async () => {
  const admin = await token(bare, 'tenant-validate-bare', 'admin@northwind.example', ['Admin']);
  const report = await validate(bare, admin);
  expect(report.items.map((i) => i.id)).toEqual([...VALIDATION_CHECK_IDS]);
  expect(item(report, 'token')).toMatchObject({ status: 'fail', fix: { kind: 'text', code: 'set-app-credentials' } });
  for (const id of ['mailbox', 'inbox', 'folders', 'recent-mail', 'archive-limits']) {
    expect(item(report, id).status).toBe('fail');
    expect(item(report, id).detail).toMatch(/^Skipped because/);
    expect(item(report, id).facts).toMatchObject({ needs: 'token' }); // the pane says "Skipped — needs …"
  }
  expect(item(report, 'directory').status).toBe('pass');
  expect(report.status).toBe('fail');
  expect((await call(bare, 'POST', '/api/v1/admin/mailbox/folders', admin)).status).toBe(409);
});

test('with credentials but no mailbox address, the mailbox check says to set it', async () => {
  const { admin } = await tenantWith(null);
  const report = await validate(server, admin);
  expect(item(report, 'token').status).toBe('pass');
  expect(item(report, 'mailbox')).toMatchObject({ status: 'fail', fix: { code: 'set-mailbox-address' } });
  expect(item(report, 'folders').detail).toMatch(/Skipped because no shared mailbox address/);
  expect(item(report, 'folders').facts).toMatchObject({ needs: 'mailbox' });
});

test('the Archive folder fails with its action; the action creates the folders once; then validation passes', async () => {
  const { tenantId, admin } = await tenantWith(SHARED);
  standIn
    .mailbox(SHARED)
    .seed([{ from: 'Lena <lena@fabrikam.example>', to: [SHARED], subject: 'today', receivedDateTime: new Date() }]);

  const before = await validate(server, admin);
  expect(item(before, 'token').status).toBe('pass');
  expect(item(before, 'mailbox').status).toBe('pass');
  expect(item(before, 'inbox').status).toBe('pass');
  expect(item(before, 'folders')).toMatchObject({
    status: 'fail',
    fix: { kind: 'action', action: 'create-folders', method: 'POST', path: '/api/v1/admin/mailbox/folders' }
  });
  expect(item(before, 'folders').detail).toContain('"Archive"');
  expect(item(before, 'folders').detail).toContain('"Not logged"');
  expect(item(before, 'archive-limits')).toMatchObject({ status: 'fail', fix: { action: 'create-folders' } });
  expect(item(before, 'recent-mail').status).toBe('pass');
  expect(before.status).toBe('fail');
  expect(standIn.mailbox(SHARED).folder('Archive')).toBeUndefined();

  const created = await call(server, 'POST', '/api/v1/admin/mailbox/folders', admin);
  expect(created.status).toBe(200);
  expect(created.body.folders).toEqual([
    { role: 'archive', displayName: 'Archive', created: true },
    { role: 'notLogged', displayName: 'Not logged', created: true },
    { role: 'quarantine', displayName: 'Quarantine', created: true }
  ]);
  expect(standIn.mailbox(SHARED).folder('Archive')).toBeDefined();
  const again = await call(server, 'POST', '/api/v1/admin/mailbox/folders', admin);
  expect(again.body.folders.map((f: { created: boolean }) => f.created)).toEqual([false, false, false]);

  const audit = await call(server, 'GET', '/api/v1/audit', admin);
  const entries = (audit.body.items as Array<{ action: string; changes: { created: string[] } }>).filter(
    (e) => e.action === 'mailbox.folders-created'
  );
  expect(entries).toHaveLength(1);
  expect(entries[0]!.changes.created).toEqual(['Archive', 'Not logged', 'Quarantine']);

  const after = await validate(server, admin);
  expect(after.items.map((i) => [i.id, i.status])).toEqual([
    ['token', 'pass'],
    ['mailbox', 'pass'],
    ['inbox', 'pass'],
    ['folders', 'pass'],
    ['recent-mail', 'pass'],
    ['archive-limits', 'pass'],
    ['directory', 'pass']
  ]);
  expect(after.status).toBe('pass');
  expect(item(after, 'archive-limits').facts).toMatchObject({ itemCount: 0, itemLimit: 1_000_000 });
  expect(tenantId).toBeTruthy();
});

test('an Archive near or over the limits warns or fails; old mail warns that the rules are likely not working', async () => {
  const { admin } = await tenantWith(OTHER);
  const other = standIn.mailbox(OTHER);
  other.seed([{ folder: 'archive', subject: 'old', receivedDateTime: new Date(Date.now() - 30 * 86_400_000) }]);
  expect((await call(server, 'POST', '/api/v1/admin/mailbox/folders', admin)).status).toBe(200);

  other.setFolderFigures('Archive', { totalItemCount: 850_000 });
  let report = await validate(server, admin);
  expect(item(report, 'archive-limits')).toMatchObject({
    status: 'warning',
    fix: { kind: 'text', code: 'start-new-mailbox' },
    facts: { itemCount: 850_000 }
  });
  expect(item(report, 'archive-limits').detail).toContain('850,000');
  expect(item(report, 'recent-mail')).toMatchObject({ status: 'warning', fix: { kind: 'command', step: 4 } });
  expect(item(report, 'recent-mail').detail).toMatch(/30 days ago/);
  expect(item(report, 'recent-mail').fix).toMatchObject({
    command: expect.stringContaining(`-BlindCopyTo '${OTHER}'`)
  });

  other.setFolderFigures('Archive', { totalItemCount: 10, sizeBytes: 51 * 1024 ** 3 });
  report = await validate(server, admin);
  expect(item(report, 'archive-limits')).toMatchObject({ status: 'fail', facts: { sizeBytes: 51 * 1024 ** 3 } });
  expect(report.status).toBe('fail');
});

test('an unknown mailbox fails with the create-mailbox command; a denied app with the role assignment', async () => {
  const missing = await tenantWith('nobody-log@northwind.example');
  let report = await validate(server, missing.admin);
  expect(item(report, 'mailbox')).toMatchObject({
    status: 'fail',
    fix: { kind: 'command', step: 1, commandId: 'new-mailbox' }
  });
  expect(item(report, 'mailbox').fix).toMatchObject({
    command: expect.stringContaining("-PrimarySmtpAddress 'nobody-log@northwind.example'")
  });
  expect(item(report, 'inbox').detail).toMatch(/^Skipped because the mailbox/);
  expect(item(report, 'inbox').facts).toMatchObject({ needs: 'mailbox' });
  expect(item(report, 'token').status).toBe('pass');

  const denied = await tenantWith(OTHER);
  standIn.mailbox(OTHER).denyApp(standIn.app.clientId);
  try {
    report = await validate(server, denied.admin);
    expect(item(report, 'mailbox')).toMatchObject({
      status: 'fail',
      fix: { kind: 'command', step: 2, commandId: 'new-role-assignment' }
    });
  } finally {
    standIn.mailbox(OTHER).allowApp(standIn.app.clientId);
  }
});

test('a refused token fails with its AADSTS code and fix, and the Graph checks are skipped', async () => {
  const admin = await token(server, BAD_SECRET_TENANT, 'admin@northwind.example', ['Admin']);
  expect(
    (await call(server, 'PATCH', '/api/v1/admin/mailbox/settings', admin, { mailboxAddress: SHARED })).status
  ).toBe(200);
  const report = await validate(server, admin);
  expect(item(report, 'token')).toMatchObject({
    status: 'fail',
    fix: { kind: 'text', code: 'check-app-credentials' },
    facts: { aadsts: 'AADSTS7000215' }
  });
  expect(item(report, 'token').detail).toContain('AADSTS7000215');
  for (const id of ['mailbox', 'inbox', 'folders', 'recent-mail', 'archive-limits']) {
    expect(item(report, id).detail).toBe('Skipped because no token could be acquired.');
  }
  expect(item(report, 'directory').status).toBe('pass');

  // A passing failure of the token endpoint says to try again, not to change credentials.
  const passing = await tenantWith(SHARED);
  standIn.failTokens(1);
  const retry = await validate(server, passing.admin);
  expect(item(retry, 'token')).toMatchObject({ status: 'fail', fix: { code: 'try-again-later' } });
});
