import { DEMO_TENANT_ID } from '../../src/shared/demo.js';
import { startTestApi, type TestApi } from '../helpers/api.js';
import { bulkInsertInteractions } from '../helpers/bulk.js';
import { ENGINES } from '../helpers/stores.js';

/*
 * A long read must not hold up everyone else: while an admin exports a 200,000-row log as CSV, another
 * client's /healthz and history reads keep being answered. The bound is generous (see BOUND_MS; bench:team
 * gives the p99); before the export yielded, /healthz waited for the whole export on SQLite.
 */

jest.setTimeout(180_000);

const ROWS = 200_000;
/**
 * Generous: the target is a p99 under 100 ms (bench:team measures it); this machine's 2 cores are shared
 * with other test runs (load average ~15), where one stray second was seen on PostgreSQL. Before the fix SQLite
 * held a request for 3.5 s here, and for 21.7 s at 500,000 entries.
 */
const BOUND_MS = 1500;

describe.each(ENGINES)('%s', (engine) => {
  let api: TestApi;
  let admin: string;
  let reader: string;
  let contactId: string;

  beforeAll(async () => {
    api = await startTestApi(engine, {
      env: { RATE_LIMIT_USER_PER_MINUTE: '100000', RATE_LIMIT_TENANT_PER_MINUTE: '100000' }
    });
    admin = await api.token({ email: 'mia@northwind.example', roles: ['Manager', 'Admin'] });
    reader = await api.token({ email: 'ana@northwind.example' });
    const { store } = api.testStore;
    const people = await Promise.all([
      api.call('GET', '/api/v1/me', { as: admin }),
      api.call('GET', '/api/v1/me', { as: reader })
    ]);
    const salespersonIds = people.map((response) => response.body.salesperson.id as string);
    const contacts = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.directory.createContact(DEMO_TENANT_ID, {
          name: `Customer ${i}`,
          email: `customer${i}@fabrikam.example`,
          company: 'Fabrikam'
        })
      )
    );
    contactId = contacts[0]?.id as string;
    await bulkInsertInteractions(api.testStore, {
      tenantId: DEMO_TENANT_ID,
      contactIds: contacts.map((c) => c.id),
      salespersonIds,
      count: ROWS,
      newestAt: Date.now() - 60_000
    });
  });
  afterAll(() => api.close());

  test(`while a ${ROWS.toLocaleString('en')}-row CSV export runs, /healthz and history reads are answered within ${BOUND_MS} ms`, async () => {
    let exporting = true;
    const exported = (async () => {
      const response = await fetch(`${api.url}/api/v1/team/interactions.csv`, {
        headers: { authorization: `Bearer ${admin}` }
      });
      let lines = 0;
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) lines += 1;
      }
      exporting = false;
      return { status: response.status, lines };
    })();

    const samples: Array<{ path: string; ms: number }> = [];
    let round = 0;
    while (exporting) {
      round += 1;
      const path = round % 2 ? '/healthz' : `/api/v1/interactions?contactId=${contactId}&limit=${1 + (round % 50)}`;
      const started = performance.now();
      const response = await api.call('GET', path, { as: reader });
      samples.push({ path, ms: performance.now() - started });
      expect(response.status).toBe(200);
    }
    const result = await exported;
    expect(result).toEqual({ status: 200, lines: ROWS + 1 });
    // The export ran long enough to be measured against.
    expect(samples.length).toBeGreaterThan(4);
    const slowest = samples.reduce((a, b) => (b.ms > a.ms ? b : a));
    expect(slowest.ms).toBeLessThan(BOUND_MS);
  });
});
