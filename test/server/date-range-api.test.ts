import { parse } from 'csv-parse/sync';
import type { PersonRef } from '../../src/shared/schemas/common.js';
import { startTestApi, type TestApi } from '../helpers/api.js';
import { ref } from '../helpers/contract.js';
import { storedEntry } from '../helpers/messages.js';
import { ENGINES } from '../helpers/stores.js';

/*
 * Issue 19, defect 7: a date alone in from/to is a UTC day on every route that takes a range. `from` is the
 * start of that day; `to` (exclusive) the start of the next, so from=to=2026-12-01 is the whole of 1 December.
 */

const TENANT = 'date-range-tenant';
const INSTANTS = [
  '2026-11-30T23:59:59.999Z',
  '2026-12-01T00:00:00.000Z',
  '2026-12-01T23:59:59.999Z',
  '2026-12-02T00:00:00.000Z'
];

describe.each(ENGINES)('date-only from/to on %s', (engine) => {
  let api: TestApi;
  let manager: string;
  let ana: PersonRef;
  const subjectsOf = (body: { items: Array<{ subject: string }> }) => body.items.map((i) => i.subject).sort();

  beforeAll(async () => {
    api = await startTestApi(engine);
    const d = api.testStore.store.directory;
    const mia = await d.createSalesperson(TENANT, { name: 'Mia', email: 'mia@northwind.example' });
    ana = await d.createSalesperson(TENANT, { name: 'Ana', email: 'ana@northwind.example' });
    const team = await d.createTeam(TENANT, { name: 'Team A', managerId: mia.id });
    await d.updateSalesperson(TENANT, ana.id, { teamId: team.id });
    const lena = await d.createContact(
      TENANT,
      { name: 'Lena Berg', email: 'lena@fabrikam.example', company: 'Fabrikam' },
      null
    );
    await api.testStore.store.interactions.insertNew(
      TENANT,
      INSTANTS.map((instant, n) =>
        storedEntry(ref(lena), ref(ana), {
          internetMessageId: `<range-${n}@example>`,
          occurredAt: Date.parse(instant),
          subject: instant,
          preview: 'Preview'
        })
      )
    );
    manager = await api.token({ email: 'mia@northwind.example', tenantId: TENANT, roles: ['Manager'] });
  });
  afterAll(async () => {
    await api?.close();
  });

  const firstDecember = [INSTANTS[1], INSTANTS[2]];

  test('interactions: from=to=a date is that whole day', async () => {
    const asAna = await api.token({ email: 'ana@northwind.example', tenantId: TENANT });
    const day = await api.call(
      'GET',
      '/api/v1/interactions?correspondent=lena@fabrikam.example&from=2026-12-01&to=2026-12-01',
      {
        as: asAna
      }
    );
    expect(day.status).toBe(200);
    expect(subjectsOf(day.body)).toEqual(firstDecember);
    const since = await api.call('GET', '/api/v1/interactions?correspondent=lena@fabrikam.example&from=2026-12-01', {
      as: asAna
    });
    expect(subjectsOf(since.body)).toEqual(INSTANTS.slice(1));
  });

  test('team log and CSV export: the same day', async () => {
    const log = await api.call('GET', '/api/v1/team/interactions?from=2026-12-01&to=2026-12-01', { as: manager });
    expect(log.status).toBe(200);
    expect(subjectsOf(log.body)).toEqual(firstDecember);
    const csv = await api.call('GET', '/api/v1/team/interactions.csv?from=2026-12-01&to=2026-12-01', { as: manager });
    expect(csv.status).toBe(200);
    const rows = parse(String(csv.body).replace(/^\uFEFF/, ''), { columns: true, delimiter: [',', ';'] }) as Array<
      Record<string, string>
    >;
    expect(rows).toHaveLength(2);
  });

  test('team summary: the range it reports starts and ends on day boundaries', async () => {
    const summary = await api.call('GET', '/api/v1/team/summary?from=2026-12-01&to=2026-12-01', { as: manager });
    expect(summary.status).toBe(200);
    expect(summary.body).toMatchObject({ from: '2026-12-01T00:00:00.000Z', to: '2026-12-02T00:00:00.000Z' });
  });

  test('a date that does not exist, or from after to, is a 400 naming the parameter', async () => {
    for (const [query, pointer] of [
      ['from=2026-02-30', '#/from'],
      ['to=2026-13-01', '#/to'],
      ['from=2026-12-02&to=2026-12-01', '#/from']
    ] as const) {
      const response = await api.call('GET', `/api/v1/team/interactions?${query}`, { as: manager });
      expect({ query, status: response.status }).toEqual({ query, status: 400 });
      expect(response.body.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
    }
  });
});
