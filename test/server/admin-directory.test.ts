import { IMPORT_MAX_BYTES } from '../../src/shared/admin-checks.js';
import { ENGINES } from '../helpers/stores.js';
import { startTestApi, type TestApi } from '../helpers/api.js';

/*
 * The directory's admin side over real HTTP on both engines: the CSV import checks every row and writes all
 * of them or none (per-row report, dry run, audit), and the problems report finds addresses that are
 * missing, invalid or held by more than one person.
 */

const TENANT = 'tenant-admin-directory';
const csv = (lines: string[]) => lines.join('\r\n') + '\r\n';

describe.each(ENGINES)('admin directory on %s', (engine) => {
  let api: TestApi;
  let admin: string;
  let salesperson: string;

  const importCsv = (kind: string, body: string, query = '', as = admin) =>
    api.call('POST', `/api/v1/admin/directory/import?kind=${kind}${query}`, {
      as,
      body,
      headers: { 'content-type': 'text/csv' }
    });
  const contacts = async () =>
    (await api.call('GET', '/api/v1/contacts?limit=100', { as: admin })).body.items as Array<{
      name: string;
      email: string;
      alternateEmails: string[];
      company: string | null;
    }>;

  beforeAll(async () => {
    api = await startTestApi(engine);
    admin = await api.token({ email: 'admin@northwind.example', roles: ['Admin'], tenantId: TENANT });
    salesperson = await api.token({ email: 'ana@northwind.example', roles: [], tenantId: TENANT });
  });
  afterAll(async () => api?.close());

  test('a salesperson gets 403; a body that is not CSV, or a wrong header, is a 400 that says what to fix', async () => {
    expect((await importCsv('contacts', 'name,email\r\nx,x@y.example\r\n', '', salesperson)).status).toBe(403);
    expect((await api.call('GET', '/api/v1/admin/directory/problems', { as: salesperson })).status).toBe(403);
    const header = await importCsv('contacts', csv(['fullname,mail', 'A,a@b.example']));
    expect(header.status).toBe(400);
    expect(header.body.detail).toMatch(/missing: name, email.*unknown: fullname, mail/);
    const broken = await importCsv('contacts', 'name,email\r\n"unterminated,a@b.example\r\n');
    expect(broken.status).toBe(400);
    expect(broken.body.detail).toMatch(/not valid CSV/);
    expect((await importCsv('people', csv(['name,email', 'A,a@b.example']))).status).toBe(400);
  });

  test('a body that is not CSV is a 415, a file over the limit a 413 that states the limit; nothing is written', async () => {
    const json = await api.call('POST', '/api/v1/admin/directory/import?kind=contacts', {
      as: admin,
      body: { name: 'x', email: 'x@fabrikam.example' }
    });
    const plain = await api.call('POST', '/api/v1/admin/directory/import?kind=contacts', {
      as: admin,
      body: 'name,email\r\nx,x@fabrikam.example\r\n',
      headers: { 'content-type': 'text/plain' }
    });
    for (const refused of [json, plain]) {
      expect(refused.status).toBe(415);
      expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(refused.body.detail).toMatch(/text\/csv/);
    }
    const row = 'Someone,someone@fabrikam.example\r\n';
    const huge = 'name,email\r\n' + row.repeat(Math.ceil((IMPORT_MAX_BYTES + 1) / row.length));
    const tooLarge = await importCsv('contacts', huge);
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.detail).toMatch(/2 MB/);
    expect(tooLarge.body.detail).not.toMatch(/messages/);
    expect(await contacts()).toEqual([]);
  });

  test('one rejected row rejects the file: nothing is written, and the report names each row and field', async () => {
    const body = csv([
      'name,email,alternateEmails,company,phone',
      'Lena Berg,lena@fabrikam.example,lena.berg@fabrikam.example,Fabrikam,+46 8 123',
      ',nobody@fabrikam.example,,Fabrikam,',
      'Bad Address,not-an-address,,Fabrikam,',
      'Twice,lena@fabrikam.example,,Fabrikam,'
    ]);
    const response = await importCsv('contacts', body);
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(response.body.detail).toMatch(/3 of 4 rows were rejected, so nothing was imported/);
    const report = response.body.report;
    expect(report).toMatchObject({ kind: 'contacts', dryRun: false, committed: false });
    expect(report.counts).toEqual({ rows: 4, created: 1, updated: 0, rejected: 3 });
    expect(report.rows.map((r: { row: number; status: string }) => [r.row, r.status])).toEqual([
      [2, 'created'],
      [3, 'rejected'],
      [4, 'rejected'],
      [5, 'rejected']
    ]);
    expect(report.rows[1].reasons).toEqual([{ field: 'name', detail: 'is required' }]);
    expect(report.rows[2].reasons[0]).toMatchObject({ field: 'email' });
    expect(report.rows[3].reasons).toEqual([{ field: 'email', detail: 'lena@fabrikam.example is also in line 2' }]);
    expect(await contacts()).toEqual([]);
  });

  test('a dry run reports and writes nothing; the import then creates and updates in one go, audited', async () => {
    const body = csv([
      'name,email,alternateEmails,company,phone',
      'Lena Berg,lena@fabrikam.example,lena.berg@fabrikam.example;lb@fabrikam.example,Fabrikam,+46 8 123',
      '"Omar, Jr.",omar@contoso-customer.example,,"Contoso ""Customer""",'
    ]);
    const dry = await importCsv('contacts', body, '&dryRun=true');
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, committed: false, counts: { created: 2, rejected: 0 } });
    expect(await contacts()).toEqual([]);

    const done = await importCsv('contacts', body);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ committed: true, counts: { rows: 2, created: 2, updated: 0, rejected: 0 } });
    const written = await contacts();
    expect(written.map((c) => [c.name, c.email, c.alternateEmails, c.company])).toEqual([
      ['Lena Berg', 'lena@fabrikam.example', ['lena.berg@fabrikam.example', 'lb@fabrikam.example'], 'Fabrikam'],
      ['Omar, Jr.', 'omar@contoso-customer.example', [], 'Contoso "Customer"']
    ]);

    // The same person again, by address: updated, not duplicated.
    const update = await importCsv(
      'contacts',
      csv(['name,email,company', 'Lena Berg-Ek,LENA@fabrikam.example,Fabrikam AB'])
    );
    expect(update.body).toMatchObject({ committed: true, counts: { created: 0, updated: 1 } });
    expect(update.body.rows[0].id).toBe(done.body.rows[0].id);
    expect((await contacts()).find((c) => c.email.toLowerCase() === 'lena@fabrikam.example')?.name).toBe(
      'Lena Berg-Ek'
    );

    const audit = (await api.call('GET', '/api/v1/audit?limit=100', { as: admin })).body.items as Array<{
      action: string;
      entityId: string;
      changes: Record<string, unknown>;
    }>;
    expect(audit.filter((e) => e.action === 'directory.imported').map((e) => e.changes)).toEqual([
      { rows: 1, created: 0, updated: 1 },
      { rows: 2, created: 2, updated: 0 }
    ]);
    expect(audit.filter((e) => e.action === 'contact.created' && e.changes.source === 'csv-import')).toHaveLength(2);
  });

  test('salespeople import by team name; an unknown team rejects the row; problems find shared and bad addresses', async () => {
    const team = await api.call('POST', '/api/v1/teams', { as: admin, body: { name: 'Nordic' } });
    expect(team.status).toBe(201);
    const rejected = await importCsv('salespeople', csv(['name,email,team', 'Sam,sam@northwind.example,Atlantis']));
    expect(rejected.status).toBe(422);
    expect(rejected.body.report.rows[0].reasons).toEqual([
      { field: 'team', detail: 'no team is named "Atlantis"; create it first' }
    ]);
    const imported = await importCsv(
      'salespeople',
      csv([
        'name,email,alternateEmails,team',
        'Sam,sam@northwind.example,,nordic',
        // Also a contact's address: allowed per kind, but ambiguous for matching.
        'Lena Internal,lena.berg@fabrikam.example,,'
      ])
    );
    expect(imported.status).toBe(200);
    const sam = await api.call('GET', `/api/v1/salespeople/${imported.body.rows[0].id}`, { as: admin });
    expect(sam.body.teamId).toBe(team.body.id);

    // An address stored before stricter checks existed (no dot in its domain).
    await api.testStore.store.directory.createContact(TENANT, { name: 'Local', email: 'local@intranet' }, null);
    const problems = await api.call('GET', '/api/v1/admin/directory/problems', { as: admin });
    expect(problems.status).toBe(200);
    expect(problems.body.duplicates).toEqual([
      {
        address: 'lena.berg@fabrikam.example',
        people: [
          expect.objectContaining({ kind: 'salesperson', name: 'Lena Internal' }),
          expect.objectContaining({ kind: 'contact', name: 'Lena Berg-Ek' })
        ]
      }
    ]);
    expect(problems.body.invalid).toEqual([
      expect.objectContaining({
        field: 'email',
        address: 'local@intranet',
        person: expect.objectContaining({ name: 'Local' })
      })
    ]);
    expect(problems.body.counts).toEqual({ missing: 0, invalid: 1, duplicates: 1 });
  });
});
