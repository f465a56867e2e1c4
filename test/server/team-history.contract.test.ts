import { seededRandom } from '../../src/server/demo/seed.js';
import { valuesForCreate } from '../../src/server/domain/opportunities.js';
import { InvalidCursor } from '../../src/server/store/errors.js';
import { WHOLE_TENANT, type NewInteraction, type Store, type TeamHistoryFilter } from '../../src/server/store/index.js';
import { weekStartOf, WEEK_MS } from '../../src/server/store/team-history.js';
import type { PersonRef } from '../../src/shared/schemas/common.js';
import type { Interaction } from '../../src/shared/schemas/interaction.js';
import { allPages, newTenantId, ref, rejectionOf, useStore } from '../helpers/contract.js';
import { storedEntry } from '../helpers/messages.js';
import { ENGINES } from '../helpers/stores.js';

/*
 * The team view's store contract: every filter and their combinations, paged by keyset, must give exactly
 * the entries a plain filter over everything written gives, newest first, whichever index walk the store
 * picks (one contact, a company's contacts, each salesperson, the whole tenant). Same tests on both engines.
 */

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 10, 20, 12);

interface World {
  tenant: string;
  salespeople: PersonRef[];
  contacts: Array<PersonRef & { company: string | null }>;
  entries: NewInteraction[];
}

/** Five salespeople, nine contacts at three companies (one with none), 240 entries with shared timestamps. */
async function buildWorld(store: Store): Promise<World> {
  const tenant = newTenantId();
  const random = seededRandom(7);
  const salespeople: PersonRef[] = [];
  for (const name of ['Ana', 'Ben', 'Cara', 'Dan', 'Eva']) {
    salespeople.push(
      ref(await store.directory.createSalesperson(tenant, { name, email: `${name.toLowerCase()}@northwind.example` }))
    );
  }
  const contacts: World['contacts'] = [];
  const companies = ['Fabrikam', 'Contoso', 'Рога и копыта', null];
  for (let n = 0; n < 9; n++) {
    const company = companies[n % companies.length] ?? null;
    const created = await store.directory.createContact(
      tenant,
      { name: `Contact ${n}`, email: `c${n}@customer.example`, company },
      null
    );
    contacts.push({ ...ref(created), company });
  }
  const entries: NewInteraction[] = [];
  for (let n = 0; n < 240; n++) {
    const contact = contacts[Math.floor(random() * contacts.length)] as PersonRef;
    const salesperson = salespeople[Math.floor(random() * salespeople.length)] as PersonRef;
    // Every third entry shares its time with the one before: the cursor must break ties by id.
    const occurredAt = NOW - Math.floor(n / 3) * Math.floor(random() * DAY * 2 + 1);
    const addin = random() < 0.4;
    entries.push(
      storedEntry(ref(contact), salesperson, {
        internetMessageId: `<m${n}@example>`,
        occurredAt,
        direction: random() < 0.5 ? 'inbound' : 'outbound',
        subject: `Subject ${n}`,
        source: addin ? 'addin' : 'mailbox',
        loggedBy: addin ? salesperson : null
      })
    );
  }
  await store.interactions.insertNew(tenant, entries);
  return { tenant, salespeople, contacts, entries };
}

/** The reference: a plain filter over everything written, newest first with ids breaking ties. */
function expected(world: World, filter: TeamHistoryFilter): string[] {
  const company = new Map(world.contacts.map((c) => [c.id, c.company]));
  return world.entries
    .filter(
      (e) =>
        (filter.scope.kind === 'tenant' || filter.scope.salespersonIds.includes(e.salesperson.id)) &&
        (filter.salespersonId === undefined || e.salesperson.id === filter.salespersonId) &&
        (filter.contactId === undefined || e.contact.id === filter.contactId) &&
        (filter.company === undefined || company.get(e.contact.id) === filter.company) &&
        (filter.from === undefined || e.occurredAt >= filter.from) &&
        (filter.to === undefined || e.occurredAt < filter.to) &&
        (filter.direction === undefined || e.direction === filter.direction) &&
        (filter.source === undefined || e.source === filter.source)
    )
    .sort((a, b) => b.occurredAt - a.occurredAt || (a.id < b.id ? 1 : -1))
    .map((e) => e.id);
}

describe.each(ENGINES)('store contract on %s: team history', (engine) => {
  const store = useStore(engine);
  let world: World;
  beforeAll(async () => {
    world = await buildWorld(store());
  });

  const team = () => ({
    kind: 'salespeople' as const,
    salespersonIds: [world.salespeople[0]!.id, world.salespeople[1]!.id, world.salespeople[2]!.id]
  });
  const listAll = async (filter: TeamHistoryFilter, limit = 7) =>
    allPages((cursor) => store().teamHistory.list(world.tenant, filter, { limit, cursor }));

  const cases: Array<[string, () => TeamHistoryFilter]> = [
    ['a team, no filter (each member walked)', () => ({ scope: team() })],
    ['the whole tenant, no filter', () => ({ scope: WHOLE_TENANT })],
    ['one salesperson of the team', () => ({ scope: team(), salespersonId: world.salespeople[1]!.id })],
    ['one contact', () => ({ scope: team(), contactId: world.contacts[2]!.id })],
    ['a company (each contact walked)', () => ({ scope: team(), company: 'Fabrikam' })],
    ['a company with a non-Latin name, whole tenant', () => ({ scope: WHOLE_TENANT, company: 'Рога и копыта' })],
    [
      'a date range, direction and source',
      () => ({ scope: team(), from: NOW - 60 * DAY, to: NOW - 10 * DAY, direction: 'inbound', source: 'mailbox' })
    ],
    [
      'salesperson, company and dates together',
      () => ({ scope: team(), salespersonId: world.salespeople[0]!.id, company: 'Contoso', from: NOW - 90 * DAY })
    ],
    [
      'a salesperson outside the scope sees nothing',
      () => ({ scope: team(), salespersonId: world.salespeople[4]!.id })
    ],
    ['an empty scope sees nothing', () => ({ scope: { kind: 'salespeople', salespersonIds: [] } })],
    ['a company nobody has', () => ({ scope: WHOLE_TENANT, company: 'Nobody Inc' })]
  ];

  test.each(cases)('%s: every page in order, each entry once, exactly the filtered set', async (_name, make) => {
    const filter = make();
    const { items, pages } = await listAll(filter);
    expect(items.map((i) => i.id)).toEqual(expected(world, filter));
    for (const page of pages.slice(0, -1)) expect(page).toHaveLength(7);
  });

  test('the cases above are not vacuous: most of them find entries', async () => {
    const found = cases.slice(0, 8).map(([, make]) => expected(world, make()).length);
    expect(found.every((count) => count > 0)).toBe(true);
  });

  test('entries carry the contact, salesperson and who logged them', async () => {
    const { items } = await store().teamHistory.list(world.tenant, { scope: WHOLE_TENANT }, { limit: 100 });
    const byId = new Map(world.entries.map((e) => [e.id, e]));
    for (const item of items) {
      const written = byId.get(item.id) as NewInteraction;
      expect(item).toMatchObject<Partial<Interaction>>({
        occurredAt: new Date(written.occurredAt).toISOString(),
        direction: written.direction,
        source: written.source,
        contact: written.contact,
        salesperson: written.salesperson,
        loggedBy: written.loggedBy
      });
    }
  });

  test('another tenant sees none of it, even naming the same salespeople', async () => {
    const other = newTenantId();
    const filter: TeamHistoryFilter = { scope: team(), salespersonId: world.salespeople[0]!.id };
    expect((await store().teamHistory.list(other, filter, { limit: 100 })).items).toEqual([]);
    expect((await store().teamHistory.list(other, { scope: WHOLE_TENANT }, { limit: 100 })).items).toEqual([]);
    const weekly = await store().teamHistory.weeklyActivity(other, {
      scope: WHOLE_TENANT,
      from: NOW - 90 * DAY,
      to: NOW
    });
    expect(weekly.counts.size).toBe(0);
  });

  test('a cursor that is not ours is a request error', async () => {
    const error = await rejectionOf(
      store().teamHistory.list(world.tenant, { scope: team() }, { limit: 5, cursor: 'not-a-cursor' })
    );
    expect(error).toBeInstanceOf(InvalidCursor);
  });

  test('the export yields the same entries as the list, in pages of the size asked', async () => {
    const filter: TeamHistoryFilter = { scope: team(), source: 'mailbox' };
    const pages: number[] = [];
    const ids: string[] = [];
    for await (const page of store().teamHistory.exportRows(world.tenant, filter, 10)) {
      pages.push(page.length);
      ids.push(...page.map((row) => row.id));
    }
    expect(ids).toEqual(expected(world, filter));
    expect(pages.slice(0, -1).every((size) => size === 10)).toBe(true);
    // The other walks: each salesperson's, each of a company's contacts', the whole tenant's log.
    const company = world.contacts.find((c) => c.company)?.company as string;
    for (const other of [{ scope: team() }, { scope: team(), company }, { scope: WHOLE_TENANT, company }]) {
      const exported: string[] = [];
      for await (const page of store().teamHistory.exportRows(world.tenant, other, 7)) {
        exported.push(...page.map((row) => row.id));
      }
      expect(exported).toEqual(expected(world, other));
    }
    const companyOf = new Map(world.contacts.map((c) => [c.id, c.company]));
    const [first] = await store()
      .teamHistory.exportRows(world.tenant, { scope: WHOLE_TENANT }, 1)
      .next()
      .then((r) => r.value ?? []);
    const written = world.entries.find((e) => e.id === first?.id) as NewInteraction;
    expect(first).toMatchObject({
      contactName: written.contact.name,
      company: companyOf.get(written.contact.id),
      salespersonEmail: written.salesperson.email
    });
  });

  test('weekly activity counts each salesperson’s entries per Monday-based week', async () => {
    const from = NOW - 70 * DAY;
    const filter = { scope: team(), from, to: NOW, direction: 'outbound' as const };
    const activity = await store().teamHistory.weeklyActivity(world.tenant, filter);
    expect(activity.weeks[0]).toBe(weekStartOf(from));
    expect(activity.weeks.every((week, i) => i === 0 || week - (activity.weeks[i - 1] as number) === WEEK_MS)).toBe(
      true
    );
    expect(new Date(activity.weeks[0] as number).getUTCDay()).toBe(1);
    const reference = new Map<string, number[]>();
    for (const id of expected(world, filter)) {
      const entry = world.entries.find((e) => e.id === id) as NewInteraction;
      const series = reference.get(entry.salesperson.id) ?? activity.weeks.map(() => 0);
      const index = activity.weeks.indexOf(weekStartOf(entry.occurredAt));
      series[index] = (series[index] ?? 0) + 1;
      reference.set(entry.salesperson.id, series);
    }
    expect(reference.size).toBeGreaterThan(1);
    expect(Object.fromEntries(activity.counts)).toEqual(Object.fromEntries(reference));
  });

  test('open opportunities by stage: counts, sums per currency, only owners in view, closed ones left out', async () => {
    const [ana, ben, , , eva] = world.salespeople as [PersonRef, PersonRef, PersonRef, PersonRef, PersonRef];
    const fabrikam = world.contacts.find((c) => c.company === 'Fabrikam') as PersonRef;
    const contoso = world.contacts.find((c) => c.company === 'Contoso') as PersonRef;
    const tenant = world.tenant;
    const actor = { userId: 'oid-test', name: 'Test' };
    const create = (
      owner: PersonRef,
      contactId: string,
      input: {
        stage?: 'qualification' | 'proposal' | 'negotiation';
        estimatedValue?: number | null;
        currency?: string | null;
      }
    ) => {
      const body = { description: 'Deal', contactId, ...input };
      return store().opportunities.create(tenant, body, valuesForCreate(body), owner, actor, WHOLE_TENANT);
    };
    await create(ana, fabrikam.id, { stage: 'proposal', estimatedValue: 1000.5, currency: 'EUR' });
    await create(ben, contoso.id, { stage: 'proposal', estimatedValue: 250, currency: 'EUR' });
    await create(ben, contoso.id, { stage: 'proposal', estimatedValue: 99.99, currency: 'SEK' });
    await create(ana, contoso.id, { stage: 'negotiation', estimatedValue: null, currency: null });
    await create(eva, fabrikam.id, { stage: 'qualification', estimatedValue: 5000, currency: 'EUR' }); // not in the team
    const won = await create(ana, fabrikam.id, { stage: 'proposal', estimatedValue: 7, currency: 'EUR' });
    await store().opportunities.update(
      tenant,
      won.id,
      { ...valuesForCreate({ description: 'Deal', contactId: fabrikam.id }), status: 'won', closedAt: NOW },
      [],
      actor,
      WHOLE_TENANT
    );

    expect(await store().teamHistory.openOpportunitiesByStage(tenant, { scope: team() })).toEqual([
      { stage: 'qualification', count: 0, values: [] },
      {
        stage: 'proposal',
        count: 3,
        values: [
          { currency: 'EUR', amount: 1250.5 },
          { currency: 'SEK', amount: 99.99 }
        ]
      },
      { stage: 'negotiation', count: 1, values: [] }
    ]);
    expect(await store().teamHistory.openOpportunitiesByStage(tenant, { scope: team(), company: 'Fabrikam' })).toEqual([
      { stage: 'qualification', count: 0, values: [] },
      { stage: 'proposal', count: 1, values: [{ currency: 'EUR', amount: 1000.5 }] },
      { stage: 'negotiation', count: 0, values: [] }
    ]);
    const tenantWide = await store().teamHistory.openOpportunitiesByStage(tenant, { scope: WHOLE_TENANT });
    expect(tenantWide[0]).toEqual({ stage: 'qualification', count: 1, values: [{ currency: 'EUR', amount: 5000 }] });
  });

  test('a company with more contacts, and a team with more members, than one statement walks: still exact', async () => {
    const tenant = newTenantId();
    const random = seededRandom(11);
    const people: PersonRef[] = [];
    const contacts: Array<PersonRef & { company: string | null }> = [];
    // One more than the store merges in one statement (MAX_BRANCHES), so it reads from a single walk instead.
    for (let n = 0; n < 201; n++) {
      people.push(
        ref(await store().directory.createSalesperson(tenant, { name: `S${n}`, email: `s${n}@northwind.example` }))
      );
      const company = n % 2 === 0 ? 'Big Co' : 'Small Co';
      const contact = await store().directory.createContact(
        tenant,
        { name: `C${n}`, email: `c${n}@big.example`, company },
        null
      );
      contacts.push({ ...ref(contact), company });
    }
    const bigCo = contacts.filter((c) => c.company === 'Big Co');
    while (bigCo.length <= 200) {
      const n = contacts.length;
      const contact = await store().directory.createContact(
        tenant,
        { name: `C${n}`, email: `c${n}@big.example`, company: 'Big Co' },
        null
      );
      contacts.push({ ...ref(contact), company: 'Big Co' });
      bigCo.push(contacts[contacts.length - 1]!);
    }
    const entries: NewInteraction[] = Array.from({ length: 400 }, (_, n) => {
      const contact = contacts[Math.floor(random() * contacts.length)] as PersonRef;
      const salesperson = people[Math.floor(random() * people.length)] as PersonRef;
      return storedEntry(ref(contact), salesperson, {
        internetMessageId: `<big${n}@example>`,
        occurredAt: NOW - Math.floor(random() * 50) * DAY,
        direction: random() < 0.5 ? 'inbound' : 'outbound',
        subject: `S ${n}`
      });
    });
    await store().interactions.insertNew(tenant, entries);
    const big: World = { tenant, salespeople: people, contacts, entries };
    const everyone = { kind: 'salespeople' as const, salespersonIds: people.map((p) => p.id) };
    const most = { kind: 'salespeople' as const, salespersonIds: people.slice(0, 150).map((p) => p.id) };
    for (const filter of [
      { scope: everyone },
      { scope: WHOLE_TENANT, company: 'Big Co' },
      { scope: most, company: 'Big Co', direction: 'inbound' as const }
    ]) {
      const { items } = await allPages((cursor) => store().teamHistory.list(tenant, filter, { limit: 50, cursor }));
      const want = expected(big, filter);
      expect(want.length).toBeGreaterThan(50);
      expect(items.map((i) => i.id)).toEqual(want);
    }
  });

  test('salespeople of a scope, by name; the tenant scope lists everyone', async () => {
    expect((await store().teamHistory.salespeople(world.tenant, team())).map((p) => p.name)).toEqual([
      'Ana',
      'Ben',
      'Cara'
    ]);
    expect(await store().teamHistory.salespeople(world.tenant, WHOLE_TENANT)).toHaveLength(5);
    expect(await store().teamHistory.salespeople(world.tenant, { kind: 'salespeople', salespersonIds: [] })).toEqual(
      []
    );
  });
});
