import { parse } from 'csv-parse/sync';
import type { NewInteraction, Store } from '../../src/server/store/index.js';
import type { PersonRef } from '../../src/shared/schemas/common.js';
import { startTestApi, type TestApi } from '../helpers/api.js';
import { ref } from '../helpers/contract.js';
import { storedEntry } from '../helpers/messages.js';
import { ENGINES } from '../helpers/stores.js';

/*
 * The team view's API over real HTTP on both engines: who may call it (managers and admins only), whose
 * entries each caller sees (a manager their teams, never another team's, never another tenant's), the
 * filters, the summary, and the CSV export.
 */

const DAY = 86_400_000;
const NOW = Date.now();

interface Org {
  tenantId: string;
  people: Record<'mia' | 'ana' | 'ben' | 'max' | 'cara' | 'sam', PersonRef>;
  teamA: string;
  teamB: string;
  lena: PersonRef;
  oskar: PersonRef;
  dmitri: PersonRef;
  entries: NewInteraction[];
}

/**
 * Team A (manager Mia, not a member herself): Ana, Ben. Team B (manager Max): Cara. Sam is in no team.
 * Contacts: Lena (Fabrikam), Oskar (Contoso), Дмитрий (Рога и копыта).
 */
async function seedOrg(store: Store, tenantId: string): Promise<Org> {
  const d = store.directory;
  const person = async (name: string) =>
    d.createSalesperson(tenantId, { name, email: `${name.toLowerCase()}@northwind.example` });
  const [mia, ana, ben, max, cara, sam] = await Promise.all(
    ['Mia', 'Ana', 'Ben', 'Max', 'Cara', 'Sam'].map((name) => person(name))
  );
  const teamA = await d.createTeam(tenantId, { name: 'Team A', managerId: mia!.id });
  const teamB = await d.createTeam(tenantId, { name: 'Team B', managerId: max!.id });
  for (const [member, team] of [
    [ana, teamA],
    [ben, teamA],
    [cara, teamB]
  ] as const) {
    await d.updateSalesperson(tenantId, member!.id, { teamId: team.id });
  }
  const lena = await d.createContact(
    tenantId,
    { name: 'Lena Berg', email: 'lena@fabrikam.example', company: 'Fabrikam' },
    null
  );
  const oskar = await d.createContact(
    tenantId,
    { name: 'Oskar', email: 'oskar@contoso.example', company: 'Contoso' },
    null
  );
  const dmitri = await d.createContact(
    tenantId,
    { name: 'Дмитрий Иванов', email: 'dmitri@roga.example', company: 'Рога и копыта' },
    null
  );
  const entry = (
    n: number,
    salesperson: PersonRef,
    contact: PersonRef,
    daysAgo: number,
    extra: Partial<NewInteraction> = {}
  ): NewInteraction =>
    storedEntry(ref(contact), ref(salesperson), {
      internetMessageId: `<${tenantId}-${n}@example>`,
      occurredAt: NOW - daysAgo * DAY,
      direction: n % 2 === 0 ? 'outbound' : 'inbound',
      subject: `Subject ${n}`,
      preview: 'Preview',
      source: n % 3 === 0 ? 'addin' : 'mailbox',
      ...extra
    });
  const entries = [
    entry(1, ana!, lena, 1),
    entry(2, ana!, oskar, 3),
    entry(3, ben!, oskar, 5),
    entry(4, ben!, lena, 9, { subject: '=HYPERLINK("http://evil.example","click")' }),
    entry(5, ana!, dmitri, 12, { subject: 'Договор, "срочно"\nвторая строка' }),
    entry(6, cara!, lena, 2),
    entry(7, cara!, oskar, 4),
    entry(8, sam!, lena, 6),
    entry(9, ben!, lena, 40),
    entry(10, ana!, lena, 200)
  ];
  await store.interactions.insertNew(tenantId, entries);
  return {
    tenantId,
    people: {
      mia: ref(mia!),
      ana: ref(ana!),
      ben: ref(ben!),
      max: ref(max!),
      cara: ref(cara!),
      sam: ref(sam!)
    },
    teamA: teamA.id,
    teamB: teamB.id,
    lena: ref(lena),
    oskar: ref(oskar),
    dmitri: ref(dmitri),
    entries
  };
}

describe.each(ENGINES)('team view API on %s', (engine) => {
  let api: TestApi;
  let org: Org;
  let other: Org;
  const tokens: Record<string, string> = {};
  const subjects = (body: { items: Array<{ subject: string }> }) => body.items.map((i) => i.subject);
  const ids = (entries: NewInteraction[]) => entries.map((e) => e.id);
  /** The org's entries by number (1-based, as seeded), newest first. */
  const newestFirst = (o: Org, numbers: number[]) =>
    numbers.map((n) => o.entries[n - 1] as NewInteraction).sort((a, b) => b.occurredAt - a.occurredAt);

  beforeAll(async () => {
    api = await startTestApi(engine);
    const store = api.testStore.store;
    org = await seedOrg(store, 'team-tenant-1');
    other = await seedOrg(store, 'team-tenant-2');
    const token = (email: string, tenantId: string, roles: Array<'Manager' | 'Admin'>) =>
      api.token({ email, tenantId, roles });
    tokens.mia = await token('mia@northwind.example', org.tenantId, ['Manager']);
    tokens.max = await token('max@northwind.example', org.tenantId, ['Manager']);
    tokens.ana = await token('ana@northwind.example', org.tenantId, []);
    tokens.admin = await token('root@northwind.example', org.tenantId, ['Admin']);
    tokens.otherMia = await token('mia@northwind.example', other.tenantId, ['Manager']);
  });
  afterAll(async () => {
    await api?.close();
  });

  const get = (path: string, as: string) => api.call('GET', path, { as });

  test('a salesperson is refused every team route with 403; no token is 401', async () => {
    for (const path of ['/api/v1/team/interactions', '/api/v1/team/summary', '/api/v1/team/interactions.csv']) {
      const refused = await get(path, tokens.ana!);
      expect(refused.status).toBe(403);
      expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(refused.body.detail).toMatch(/Manager or Admin/);
      expect((await api.call('GET', path)).status).toBe(401);
    }
  });

  test("a manager sees their team's entries, newest first, and nobody else's", async () => {
    const response = await get('/api/v1/team/interactions?limit=100', tokens.mia!);
    expect(response.status).toBe(200);
    expect(response.body.items.map((i: { id: string }) => i.id)).toEqual(ids(newestFirst(org, [1, 2, 3, 4, 5, 9, 10])));
    expect(response.body.nextCursor).toBeNull();
    const max = await get('/api/v1/team/interactions?limit=100', tokens.max!);
    expect(max.body.items.map((i: { id: string }) => i.id)).toEqual(ids(newestFirst(org, [6, 7])));
  });

  test('pages follow the cursor to the end, each entry once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: Array<{ id: string }>; nextCursor: string | null } } = await get(
        `/api/v1/team/interactions?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        tokens.mia!
      );
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((i) => i.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(ids(newestFirst(org, [1, 2, 3, 4, 5, 9, 10])));
  });

  test('filters: salesperson, contact, company, dates, direction, source', async () => {
    const q = (query: string) => get(`/api/v1/team/interactions?limit=100&${query}`, tokens.mia!);
    const expectIds = async (query: string, numbers: number[]) => {
      const response = await q(query);
      expect({ query, status: response.status }).toEqual({ query, status: 200 });
      expect(response.body.items.map((i: { id: string }) => i.id)).toEqual(ids(newestFirst(org, numbers)));
    };
    await expectIds(`salespersonId=${org.people.ben.id}`, [3, 4, 9]);
    await expectIds(`contactId=${org.lena.id}`, [1, 4, 9, 10]);
    await expectIds('company=Fabrikam', [1, 4, 9, 10]);
    await expectIds(`company=${encodeURIComponent('Рога и копыта')}`, [5]);
    const from = new Date(NOW - 10 * DAY).toISOString();
    const to = new Date(NOW - 2 * DAY).toISOString();
    await expectIds(`from=${from}&to=${to}`, [2, 3, 4]);
    await expectIds('direction=outbound', [2, 4, 10]);
    await expectIds('source=addin', [3, 9]);
    await expectIds(`salespersonId=${org.people.ana.id}&company=Fabrikam&from=${from}`, [1]);
  });

  test("q searches the team's log within the team and the other filters, best match first, with highlights", async () => {
    const found = async (query: string, as = tokens.mia!) => {
      const response = await get(`/api/v1/team/interactions?limit=100&${query}`, as);
      expect({ query, status: response.status }).toEqual({ query, status: 200 });
      return response.body as { items: Array<{ id: string; highlights?: unknown }>; searchCapped?: boolean };
    };
    const idSet = (body: { items: Array<{ id: string }> }) => new Set(body.items.map((i) => i.id));
    const lena = await found('q=Lena');
    expect(idSet(lena)).toEqual(new Set(ids(newestFirst(org, [1, 4, 9, 10]))));
    expect(lena.searchCapped).toBe(false);
    expect(lena.items.every((item) => item.highlights !== undefined)).toBe(true);
    expect(idSet(await found(`q=lena&salespersonId=${org.people.ben.id}`))).toEqual(
      new Set(ids(newestFirst(org, [4, 9])))
    );
    expect(idSet(await found('q=lena&source=addin'))).toEqual(new Set(ids(newestFirst(org, [9]))));
    expect(idSet(await found('q=preview&company=Contoso'))).toEqual(new Set(ids(newestFirst(org, [2, 3]))));
    expect(idSet(await found('q=lena', tokens.max!))).toEqual(new Set(ids(newestFirst(org, [6]))));
    expect(idSet(await found('q=lena', tokens.otherMia!))).toEqual(new Set(ids(newestFirst(other, [1, 4, 9, 10]))));
    expect((await get('/api/v1/team/interactions?q=%2B%2B', tokens.mia!)).status).toBe(400);
    expect((await get('/api/v1/team/summary?q=lena', tokens.mia!)).status).toBe(400);
    expect((await get('/api/v1/team/interactions?q=lena', tokens.ana!)).status).toBe(403);
  });

  test("a manager naming another team's salesperson or team gets 403; an admin may pick any team", async () => {
    const outside = await get(`/api/v1/team/interactions?salespersonId=${org.people.cara.id}`, tokens.mia!);
    expect(outside.status).toBe(403);
    expect(outside.body.detail).toMatch(/not in a team you can view/);
    const noTeam = await get(`/api/v1/team/interactions?salespersonId=${org.people.sam.id}`, tokens.mia!);
    expect(noTeam.status).toBe(403);
    const otherTeam = await get(`/api/v1/team/interactions?teamId=${org.teamB}`, tokens.mia!);
    expect(otherTeam.status).toBe(403);
    for (const path of ['/api/v1/team/summary', '/api/v1/team/interactions.csv']) {
      expect((await get(`${path}?salespersonId=${org.people.cara.id}`, tokens.mia!)).status).toBe(403);
    }

    const adminB = await get(`/api/v1/team/interactions?teamId=${org.teamB}&limit=100`, tokens.admin!);
    expect(adminB.body.items.map((i: { id: string }) => i.id)).toEqual(ids(newestFirst(org, [6, 7])));
    const adminAll = await get('/api/v1/team/interactions?limit=100', tokens.admin!);
    expect(adminAll.body.items).toHaveLength(10);
    expect((await get('/api/v1/team/interactions?teamId=no-such-team', tokens.admin!)).status).toBe(404);
  });

  test("another tenant's manager sees only their own tenant, and cannot name this tenant's people", async () => {
    const theirs = await get('/api/v1/team/interactions?limit=100', tokens.otherMia!);
    expect(theirs.body.items.map((i: { id: string }) => i.id)).toEqual(ids(newestFirst(other, [1, 2, 3, 4, 5, 9, 10])));
    const crossing = await get(`/api/v1/team/interactions?salespersonId=${org.people.ana.id}`, tokens.otherMia!);
    expect(crossing.status).toBe(403);
    const contact = await get(`/api/v1/team/interactions?contactId=${org.lena.id}`, tokens.otherMia!);
    expect(contact.body.items).toEqual([]);
  });

  test('the tenant’s visibility setting does not widen the team view', async () => {
    const patched = await api.call('PATCH', '/api/v1/settings', {
      as: tokens.admin!,
      body: { historyVisibility: 'organization' }
    });
    expect(patched.status).toBe(200);
    const response = await get('/api/v1/team/interactions?limit=100', tokens.mia!);
    expect(response.body.items).toHaveLength(7);
  });

  test('bad input is a 400 naming the parameter', async () => {
    const cases: Array<[string, string]> = [
      ['cursor=garbage', '#/cursor'],
      [`from=${new Date(NOW).toISOString()}&to=${new Date(NOW - DAY).toISOString()}`, '#/from'],
      ['direction=sideways', '#/direction'],
      ['source=fax', '#/source'],
      ['colour=red', '#/colour']
    ];
    for (const [query, pointer] of cases) {
      const response = await get(`/api/v1/team/interactions?${query}`, tokens.mia!);
      expect({ query, status: response.status }).toEqual({ query, status: 400 });
      expect(response.body.errors.map((e: { pointer: string }) => e.pointer)).toContain(pointer);
    }
    const tooLong = await get(
      `/api/v1/team/summary?from=${new Date(NOW - 400 * DAY).toISOString()}&to=${new Date(NOW).toISOString()}`,
      tokens.mia!
    );
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.detail).toMatch(/at most 53 weeks/);
  });

  test('the summary: teams, members, weekly counts per salesperson, open opportunities by stage', async () => {
    const response = await get('/api/v1/team/summary', tokens.mia!);
    expect(response.status).toBe(200);
    const summary = response.body;
    expect(summary.teams).toEqual([{ id: org.teamA, name: 'Team A' }]);
    expect(summary.salespeople.map((p: PersonRef) => p.name)).toEqual(['Ana', 'Ben']);
    expect(summary.weeks).toHaveLength(12);
    expect(new Date(`${summary.weeks[0]}T00:00:00Z`).getUTCDay()).toBe(1);
    const total = (name: string) =>
      summary.series
        .find((s: { salesperson: PersonRef }) => s.salesperson.name === name)
        .counts.reduce((a: number, b: number) => a + b, 0);
    // Ana: entries 1, 2, 5 in the last 12 weeks (10 is older); Ben: 3, 4, 9.
    expect(total('Ana')).toBe(3);
    expect(total('Ben')).toBe(3);
    expect(summary.opportunitiesByStage.map((s: { stage: string }) => s.stage)).toEqual([
      'qualification',
      'proposal',
      'negotiation'
    ]);

    const one = await get(`/api/v1/team/summary?salespersonId=${org.people.ben.id}`, tokens.mia!);
    expect(one.body.series.map((s: { salesperson: PersonRef }) => s.salesperson.name)).toEqual(['Ben']);
  });

  test('the CSV export: attachment, BOM, quoted fields, formulas defused, non-Latin text intact, same rows as the list', async () => {
    const response = await fetch(
      `${api.url}/api/v1/team/interactions.csv?limit=1&company=Fabrikam`.replace('limit=1&', ''),
      {
        headers: { authorization: `Bearer ${tokens.mia}` }
      }
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="team-interactions-\d{4}-\d{2}-\d{2}\.csv"/
    );
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows: string[][] = parse(Buffer.from(bytes), { bom: true });
    expect(rows[0]?.[0]).toBe('Date (UTC)');
    const subjects = rows.slice(1).map((row) => row[8]);
    expect(subjects).toEqual(
      newestFirst(org, [1, 4, 9, 10]).map((e) => (e.subject.startsWith('=') ? `'${e.subject}` : e.subject))
    );
    expect(subjects).toContain('\'=HYPERLINK("http://evil.example","click")');

    const all = await fetch(`${api.url}/api/v1/team/interactions.csv`, {
      headers: { authorization: `Bearer ${tokens.mia}` }
    });
    const text = await all.text();
    const parsed: string[][] = parse(text, { bom: true });
    const dmitri = parsed.find((row) => row[5] === 'Дмитрий Иванов');
    expect(dmitri?.[7]).toBe('Рога и копыта');
    expect(dmitri?.[8]).toBe('Договор, "срочно"\nвторая строка');
    expect(text).toContain('"Договор, ""срочно""\nвторая строка"');
    expect(parsed).toHaveLength(1 + 7);
  });

  test('the team routes are in the OpenAPI document', async () => {
    const doc = (await api.call('GET', '/api/openapi.json')).body;
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/team/interactions', '/api/v1/team/summary', '/api/v1/team/interactions.csv'])
    );
    expect(doc.paths['/api/v1/team/interactions.csv'].get.responses['200'].content).toHaveProperty('text/csv');
  });

  test('subjects reach the list unchanged (only the CSV defuses formulas)', async () => {
    const response = await get(`/api/v1/team/interactions?salespersonId=${org.people.ben.id}&limit=100`, tokens.mia!);
    expect(subjects(response.body)).toContain('=HYPERLINK("http://evil.example","click")');
  });
});
