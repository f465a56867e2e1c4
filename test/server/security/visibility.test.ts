import { startTestApi, type TestApi } from '../../helpers/api.js';
import { graphMessage } from '../../helpers/messages.js';

/*
 * Object-level authorization, table-driven: for each history visibility setting and each caller, which
 * entries and opportunities every read route returns, and who may change what. Out of scope is a 404
 * that reads exactly like a missing id; another tenant's ids likewise.
 */

type Person = 'admin' | 'mgr' | 'ana' | 'ben' | 'carl' | 'dora';
const SELLERS = ['ana', 'ben', 'carl', 'dora'] as const;
type Seller = (typeof SELLERS)[number];
const ROLES: Record<Person, Array<'Admin' | 'Manager'>> = {
  admin: ['Admin'],
  mgr: ['Manager'],
  ana: [],
  ben: [],
  carl: [],
  dora: []
};

// East: ana and ben, managed by mgr. West: carl, no manager. dora: no team.
const EXPECTED: Record<'organization' | 'team' | 'own', Record<Person, Seller[]>> = {
  organization: {
    admin: [...SELLERS],
    mgr: [...SELLERS],
    ana: [...SELLERS],
    ben: [...SELLERS],
    carl: [...SELLERS],
    dora: [...SELLERS]
  },
  team: {
    admin: [...SELLERS],
    mgr: ['ana', 'ben'],
    ana: ['ana', 'ben'],
    ben: ['ana', 'ben'],
    carl: ['carl'],
    dora: ['dora']
  },
  own: { admin: [...SELLERS], mgr: ['ana', 'ben'], ana: ['ana'], ben: ['ben'], carl: ['carl'], dora: ['dora'] }
};
// Who may change whose opportunity, whatever the visibility: the owner, the owner's team manager, an admin.
const MAY_CHANGE: Record<Person, Seller[]> = {
  admin: [...SELLERS],
  mgr: ['ana', 'ben'],
  ana: ['ana'],
  ben: ['ben'],
  carl: ['carl'],
  dora: ['dora']
};

const PEOPLE = Object.keys(ROLES) as Person[];
const email = (who: string) => `${who}@northwind.example`;

describe.each(['sqlite', 'postgres'] as const)('visibility and object-level authorization on %s', (engine) => {
  const tenantId = 'tenant-visibility';
  let api: TestApi;
  const token = {} as Record<Person, string>;
  const salespersonId = {} as Record<Person, string>;
  const entryOf = {} as Record<Seller, { id: string; internetMessageId: string }>;
  const opportunityOf = {} as Record<Seller, string>;
  let contactId: string;
  let outsider: string;
  let outsiderAdmin: string;

  beforeAll(async () => {
    api = await startTestApi(engine);
    for (const who of PEOPLE) {
      token[who] = await api.token({ email: email(who), name: who, roles: ROLES[who], tenantId });
      salespersonId[who] = (await api.call('GET', '/api/v1/me', { as: token[who] })).body.salesperson.id;
    }
    outsider = await api.token({ email: 'eve@elsewhere.example', name: 'Eve', tenantId: 'tenant-elsewhere' });
    outsiderAdmin = await api.token({
      email: 'root@elsewhere.example',
      name: 'Root',
      roles: ['Admin'],
      tenantId: 'tenant-elsewhere'
    });
    const east = await api.call('POST', '/api/v1/teams', {
      as: token.admin,
      body: { name: 'East', managerId: salespersonId.mgr }
    });
    const west = await api.call('POST', '/api/v1/teams', { as: token.admin, body: { name: 'West' } });
    for (const [who, team] of [
      ['ana', east.body.id],
      ['ben', east.body.id],
      ['carl', west.body.id]
    ] as const) {
      const moved = await api.call('PATCH', `/api/v1/salespeople/${salespersonId[who]}`, {
        as: token.admin,
        body: { teamId: team }
      });
      expect(moved.status).toBe(200);
    }
    const lena = await api.call('POST', '/api/v1/contacts', {
      as: token.ana,
      body: { name: 'Lena', email: 'lena@fabrikam.example' }
    });
    contactId = lena.body.id;
    for (const who of SELLERS) {
      const message = graphMessage('lena@fabrikam.example', [email(who)]);
      const logged = await api.call('POST', '/api/v1/interactions/log-thread', {
        as: token[who],
        body: { messages: [message] }
      });
      expect(logged.body.logged).toHaveLength(1);
      entryOf[who] = logged.body.logged[0];
      const opportunity = await api.call('POST', '/api/v1/opportunities', {
        as: token[who],
        body: { description: `Deal of ${who}`, contactId, interactionIds: [entryOf[who].id] }
      });
      expect(opportunity.status).toBe(201);
      opportunityOf[who] = opportunity.body.id;
    }
  });
  afterAll(async () => api.close());

  const setVisibility = async (historyVisibility: string) => {
    const changed = await api.call('PATCH', '/api/v1/settings', { as: token.admin, body: { historyVisibility } });
    expect(changed.status).toBe(200);
    expect(changed.body).toEqual({ historyVisibility, sendPrompt: false });
  };
  const sellersOf = (items: Array<{ salesperson: { email: string } }>) =>
    items.map((item) => item.salesperson.email.split('@')[0]).sort();
  /** A 404 body with the path left out, to compare "out of scope" with "missing". */
  const notFound = (body: Record<string, unknown>) => ({ ...body, instance: undefined });

  describe.each(['organization', 'team', 'own'] as const)('history visibility "%s"', (setting) => {
    beforeAll(async () => setVisibility(setting));

    test.each(PEOPLE)('%s reads exactly the entries and opportunities in scope', async (who) => {
      const expected = EXPECTED[setting][who];
      const as = token[who];
      const byAddress = await api.call('GET', '/api/v1/interactions?correspondent=lena@fabrikam.example', { as });
      expect(sellersOf(byAddress.body.items)).toEqual(expected);
      const everything = await api.call('GET', '/api/v1/interactions?limit=100', { as });
      expect(sellersOf(everything.body.items)).toEqual(expected);
      const byContact = await api.call('GET', `/api/v1/interactions?contactId=${contactId}`, { as });
      expect(sellersOf(byContact.body.items)).toEqual(expected);

      const missing = await api.call('GET', '/api/v1/interactions/no-such-entry', { as });
      expect(missing.status).toBe(404);
      const missingOpportunity = await api.call('GET', '/api/v1/opportunities/no-such-opportunity', { as });
      for (const seller of SELLERS) {
        const visible = expected.includes(seller);
        // A filter naming someone out of scope returns nothing, not their entries.
        const bySalesperson = await api.call('GET', `/api/v1/interactions?salespersonId=${salespersonId[seller]}`, {
          as
        });
        expect(sellersOf(bySalesperson.body.items)).toEqual(visible ? [seller] : []);
        const one = await api.call('GET', `/api/v1/interactions/${entryOf[seller].id}`, { as });
        expect(one.status).toBe(visible ? 200 : 404);
        if (!visible) expect(notFound(one.body)).toEqual(notFound(missing.body));
        const status = await api.call(
          'GET',
          `/api/v1/interactions/status?internetMessageId=${encodeURIComponent(entryOf[seller].internetMessageId)}`,
          { as }
        );
        expect(status.body.items[0].logged).toBe(visible);

        const opportunity = await api.call('GET', `/api/v1/opportunities/${opportunityOf[seller]}`, { as });
        expect(opportunity.status).toBe(visible ? 200 : 404);
        if (!visible) expect(notFound(opportunity.body)).toEqual(notFound(missingOpportunity.body));
        const opportunities = await api.call(
          'GET',
          `/api/v1/opportunities?salespersonId=${salespersonId[seller]}&limit=100`,
          { as }
        );
        expect(opportunities.body.items.map((o: { id: string }) => o.id)).toEqual(
          visible ? [opportunityOf[seller]] : []
        );
      }
      const allOpportunities = await api.call('GET', '/api/v1/opportunities?correspondent=lena@fabrikam.example', {
        as
      });
      expect(sellersOf(allOpportunities.body.items)).toEqual(expected);
    });

    test.each(PEOPLE)('%s changes only the opportunities they own, manage or administer', async (who) => {
      for (const seller of SELLERS) {
        const changed = await api.call('PATCH', `/api/v1/opportunities/${opportunityOf[seller]}`, {
          as: token[who],
          body: { description: `Deal of ${seller}, touched by ${who} (${setting})` }
        });
        const expected = !EXPECTED[setting][who].includes(seller) ? 404 : MAY_CHANGE[who].includes(seller) ? 200 : 403;
        expect({ seller, status: changed.status }).toEqual({ seller, status: expected });
      }
    });
  });

  test('an entry out of scope cannot be linked to an opportunity: it reads as no interaction', async () => {
    await setVisibility('own');
    const attempt = await api.call('POST', '/api/v1/opportunities', {
      as: token.ana,
      body: { description: 'Borrowed', contactId, interactionIds: [entryOf.carl.id] }
    });
    expect(attempt.status).toBe(400);
    expect(attempt.body.errors[0]).toMatchObject({ pointer: '#/interactionIds/0', detail: 'names no interaction' });
    await setVisibility('organization');
  });

  test('another tenant sees none of it: every id is a 404 and every list is empty', async () => {
    for (const as of [outsider, outsiderAdmin]) {
      for (const path of [
        `/api/v1/interactions/${entryOf.ana.id}`,
        `/api/v1/opportunities/${opportunityOf.ana}`,
        `/api/v1/contacts/${contactId}`,
        `/api/v1/salespeople/${salespersonId.ana}`
      ]) {
        expect({ path, status: (await api.call('GET', path, { as })).status }).toEqual({ path, status: 404 });
      }
      for (const path of [
        '/api/v1/interactions?limit=100',
        `/api/v1/interactions?contactId=${contactId}`,
        `/api/v1/interactions?salespersonId=${salespersonId.ana}`,
        '/api/v1/interactions?correspondent=lena@fabrikam.example',
        '/api/v1/opportunities?limit=100',
        `/api/v1/opportunities?contactId=${contactId}`,
        '/api/v1/contacts?query=lena',
        '/api/v1/salespeople?limit=100',
        '/api/v1/teams'
      ]) {
        const list = await api.call('GET', path, { as });
        expect({
          path,
          items: list.body.items.filter((i: { email?: string }) => !i.email?.endsWith('elsewhere.example'))
        }).toEqual({ path, items: [] });
      }
      const status = await api.call(
        'GET',
        `/api/v1/interactions/status?internetMessageId=${encodeURIComponent(entryOf.ana.internetMessageId)}`,
        { as }
      );
      expect(status.body.items[0].logged).toBe(false);
    }
    const writes: Array<[string, string, unknown]> = [
      ['PATCH', `/api/v1/opportunities/${opportunityOf.ana}`, { description: 'Stolen' }],
      ['PATCH', `/api/v1/contacts/${contactId}`, { name: 'Stolen' }],
      ['PATCH', `/api/v1/salespeople/${salespersonId.ana}`, { name: 'Stolen' }],
      ['POST', '/api/v1/opportunities', { description: 'Stolen', contactId }]
    ];
    for (const [method, path, body] of writes) {
      const response = await api.call(method, path, { as: outsiderAdmin, body });
      expect({ path, status: response.status }).toEqual({ path, status: method === 'POST' ? 400 : 404 });
    }
    const untouched = await api.call('GET', `/api/v1/contacts/${contactId}`, { as: token.admin });
    expect(untouched.body.name).toBe('Lena');
  });

  test('settings and the directory are changed by admins only; contacts by their creator or an admin', async () => {
    for (const who of ['mgr', 'ana'] as const) {
      const as = token[who];
      expect((await api.call('GET', '/api/v1/settings', { as })).status).toBe(403);
      expect((await api.call('PATCH', '/api/v1/settings', { as, body: { historyVisibility: 'own' } })).status).toBe(
        403
      );
      expect((await api.call('GET', '/api/v1/audit', { as })).status).toBe(403);
      expect(
        (await api.call('POST', '/api/v1/salespeople', { as, body: { name: 'X', email: 'x@northwind.example' } }))
          .status
      ).toBe(403);
      expect(
        (await api.call('PATCH', `/api/v1/salespeople/${salespersonId[who]}`, { as, body: { name: 'Self-promoted' } }))
          .status
      ).toBe(403);
      expect((await api.call('POST', '/api/v1/teams', { as, body: { name: 'Mine' } })).status).toBe(403);
    }
    expect((await api.call('GET', '/api/v1/settings', { as: token.admin })).body).toEqual({
      historyVisibility: 'organization',
      sendPrompt: false
    });
    // ana added Lena: she may correct her; ben may not; an admin may.
    expect(
      (await api.call('PATCH', `/api/v1/contacts/${contactId}`, { as: token.ana, body: { company: 'Fabrikam' } }))
        .status
    ).toBe(200);
    expect(
      (await api.call('PATCH', `/api/v1/contacts/${contactId}`, { as: token.ben, body: { company: 'Hijacked' } }))
        .status
    ).toBe(403);
    expect(
      (await api.call('PATCH', `/api/v1/contacts/${contactId}`, { as: token.admin, body: { phone: '+1 555' } })).status
    ).toBe(200);
    // Adding a contact stays open to everyone (the pane's "Add contact").
    expect(
      (
        await api.call('POST', '/api/v1/contacts', {
          as: token.ben,
          body: { name: 'Tom', email: 'tom@fabrikam.example' }
        })
      ).status
    ).toBe(201);
    const bad = await api.call('PATCH', '/api/v1/settings', { as: token.admin, body: { historyVisibility: 'public' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].pointer).toBe('#/historyVisibility');
  });
});
