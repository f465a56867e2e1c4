import { startTestApi, type TestApi } from '../helpers/api.js';
import { graphMessage } from '../helpers/messages.js';

/*
 * What the pane needs to act on an opportunity, over HTTP on both engines: its history of stage and status
 * changes, its linked emails, closing it with a reason, and the bounds every edit is held to.
 */

describe.each(['sqlite', 'postgres'] as const)('opportunities acted on from the pane, on %s', (engine) => {
  const tenantId = 'tenant-opportunity-pane';
  let api: TestApi;
  let ana: string;
  let ben: string;
  let admin: string;
  let outsider: string;
  let lenaId: string;
  /** Ana's three entries with Lena, oldest first. */
  let entryIds: string[];

  beforeAll(async () => {
    api = await startTestApi(engine);
    ana = await api.token({ email: 'ana@northwind.example', name: 'Ana López', tenantId });
    ben = await api.token({ email: 'ben@northwind.example', name: 'Ben Ode', tenantId });
    admin = await api.token({ email: 'root@northwind.example', name: 'Root', roles: ['Admin'], tenantId });
    outsider = await api.token({ email: 'eve@elsewhere.example', name: 'Eve', tenantId: 'tenant-elsewhere' });
    const lena = await api.call('POST', '/api/v1/contacts', {
      as: ana,
      body: { name: 'Lena Berg', email: 'lena@fabrikam.example' }
    });
    lenaId = lena.body.id;
    const at = (day: number) => ({
      sentDateTime: `2026-10-0${day}T09:00:00Z`,
      receivedDateTime: `2026-10-0${day}T09:00:00Z`
    });
    const logged = await api.call('POST', '/api/v1/interactions/log-thread', {
      as: ana,
      body: {
        messages: [
          graphMessage('ana@northwind.example', ['lena@fabrikam.example'], at(2)),
          graphMessage('lena@fabrikam.example', ['ana@northwind.example'], at(1)),
          graphMessage('ana@northwind.example', ['lena@fabrikam.example'], at(3))
        ]
      }
    });
    entryIds = (logged.body.logged as Array<{ id: string; occurredAt: string }>)
      .sort((a, b) => a.occurredAt.localeCompare(b.occurredAt))
      .map((entry) => entry.id);
  });
  afterAll(async () => api.close());

  const create = async (body: Record<string, unknown> = {}) => {
    const created = await api.call('POST', '/api/v1/opportunities', {
      as: ana,
      body: { description: 'Fabrikam renewal', contactId: lenaId, ...body }
    });
    expect(created.status).toBe(201);
    return created.body as { id: string };
  };
  const patch = (id: string, body: unknown, as = ana) => api.call('PATCH', `/api/v1/opportunities/${id}`, { as, body });
  const pointers = (body: { errors?: Array<{ pointer: string }> }) => (body.errors ?? []).map((e) => e.pointer);

  test('its history records every stage and status change, newest first, with who and the reason', async () => {
    const { id } = await create({ stage: 'qualification' });
    expect((await patch(id, { stage: 'proposal' })).status).toBe(200);
    // An edit that moves neither stage nor status adds nothing.
    expect((await patch(id, { estimatedValue: 900, currency: 'EUR' })).status).toBe(200);
    expect((await patch(id, { stage: 'negotiation' }, admin)).status).toBe(200);
    const won = await patch(id, { status: 'won', closeReason: '  Best price  ' });
    expect(won.status).toBe(200);
    expect(won.body).toMatchObject({ status: 'won', probability: 100, closeReason: 'Best price' });

    const history = await api.call('GET', `/api/v1/opportunities/${id}/history`, { as: ana });
    expect(history.status).toBe(200);
    const changes = history.body.items.map((c: Record<string, unknown>) => ({
      by: c.by,
      stage: [c.fromStage, c.toStage],
      status: [c.fromStatus, c.toStatus],
      reason: c.reason
    }));
    expect(changes).toEqual([
      {
        by: { name: 'Ana López' },
        stage: ['negotiation', 'negotiation'],
        status: ['open', 'won'],
        reason: 'Best price'
      },
      { by: { name: 'Root' }, stage: ['proposal', 'negotiation'], status: ['open', 'open'], reason: null },
      { by: { name: 'Ana López' }, stage: ['qualification', 'proposal'], status: ['open', 'open'], reason: null },
      { by: { name: 'Ana López' }, stage: [null, 'qualification'], status: [null, 'open'], reason: null }
    ]);
    const times = history.body.items.map((c: { at: string }) => Date.parse(c.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  test('a refused change leaves no history behind', async () => {
    const { id } = await create();
    const refused = await patch(id, { stage: 'proposal' }, ben);
    expect(refused.status).toBe(403);
    const history = await api.call('GET', `/api/v1/opportunities/${id}/history`, { as: ana });
    expect(history.body.items).toHaveLength(1);
  });

  test('losing needs a reason, at most 500 characters; reopening forgets it', async () => {
    const { id } = await create();
    const noReason = await patch(id, { status: 'lost' });
    expect(noReason.status).toBe(400);
    expect(noReason.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(pointers(noReason.body)).toEqual(['#/closeReason']);
    const blank = await patch(id, { status: 'lost', closeReason: '   ' });
    expect(pointers(blank.body)).toEqual(['#/closeReason']);
    const tooLong = await patch(id, { status: 'lost', closeReason: 'x'.repeat(501) });
    expect(tooLong.status).toBe(400);
    expect(pointers(tooLong.body)).toEqual(['#/closeReason']);
    const onOpen = await patch(id, { closeReason: 'Why not' });
    expect(onOpen.status).toBe(400);
    expect(pointers(onOpen.body)).toEqual(['#/closeReason']);

    const lost = await patch(id, { status: 'lost', closeReason: 'Went with a competitor' });
    expect(lost.status).toBe(200);
    expect(lost.body).toMatchObject({ status: 'lost', probability: 0, closeReason: 'Went with a competitor' });
    // Still lost, edited otherwise: the reason stays.
    expect((await patch(id, { description: 'Fabrikam renewal (lost)' })).body.closeReason).toBe(
      'Went with a competitor'
    );
    const reopened = await patch(id, { status: 'open' });
    expect(reopened.body).toMatchObject({ status: 'open', closeReason: null });
  });

  test('its linked emails, newest first, through the interactions list', async () => {
    const { id } = await create({ interactionIds: [entryIds[0], entryIds[2]] });
    const linked = await api.call('GET', `/api/v1/interactions?opportunityId=${id}`, { as: ana });
    expect(linked.status).toBe(200);
    expect(linked.body.items.map((e: { id: string }) => e.id)).toEqual([entryIds[2], entryIds[0]]);
    const none = await api.call('GET', '/api/v1/interactions?opportunityId=no-such-opportunity', { as: ana });
    expect(none.body.items).toEqual([]);
  });

  test('history and linked emails follow the visibility rules like every other read', async () => {
    const { id } = await create();
    await api.call('PATCH', `/api/v1/opportunities/${id}`, { as: ana, body: { linkInteractionIds: [entryIds[1]] } });
    const setVisibility = async (historyVisibility: string) =>
      expect((await api.call('PATCH', '/api/v1/settings', { as: admin, body: { historyVisibility } })).status).toBe(
        200
      );
    await setVisibility('own');
    try {
      const missing = await api.call('GET', '/api/v1/opportunities/no-such-opportunity/history', { as: ben });
      const hidden = await api.call('GET', `/api/v1/opportunities/${id}/history`, { as: ben });
      expect(hidden.status).toBe(404);
      expect({ ...hidden.body, instance: undefined }).toEqual({ ...missing.body, instance: undefined });
      const entries = await api.call('GET', `/api/v1/interactions?opportunityId=${id}`, { as: ben });
      expect(entries.body.items).toEqual([]);
      expect((await api.call('GET', `/api/v1/opportunities/${id}/history`, { as: admin })).status).toBe(200);
    } finally {
      await setVisibility('organization');
    }
    const elsewhere = await api.call('GET', `/api/v1/opportunities/${id}/history`, { as: outsider });
    expect(elsewhere.status).toBe(404);
  });

  test.each([
    ['a blank description on create', 'POST', { description: '   ' }, '#/description'],
    ['a blank description on edit', 'PATCH', { description: ' \t ' }, '#/description'],
    ['an unknown currency', 'POST', { estimatedValue: 10, currency: 'ABC' }, '#/currency'],
    ['a lower-case currency', 'PATCH', { currency: 'eur' }, '#/currency'],
    ['a close date before 2000', 'POST', { expectedCloseDate: '0001-01-01' }, '#/expectedCloseDate'],
    ['a close date after 2100', 'PATCH', { expectedCloseDate: '9999-12-31' }, '#/expectedCloseDate'],
    ['a close date a day early', 'PATCH', { expectedCloseDate: '1999-12-31' }, '#/expectedCloseDate']
  ])('%s is a 400 problem naming the field', async (_name, method, body, pointer) => {
    const response =
      method === 'POST'
        ? await api.call('POST', '/api/v1/opportunities', {
            as: ana,
            body: { description: 'Deal', contactId: lenaId, ...body }
          })
        : await patch((await create()).id, body);
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(pointers(response.body)).toEqual([pointer]);
    expect(response.body.detail).toEqual(expect.any(String));
  });

  test('any ISO 4217 code and the bounds themselves are accepted', async () => {
    const { id } = await create({ estimatedValue: 1234.5, currency: 'CHF', expectedCloseDate: '2000-01-01' });
    const edited = await patch(id, { currency: 'ISK', expectedCloseDate: '2100-12-31', probability: 35 });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ currency: 'ISK', expectedCloseDate: '2100-12-31', probability: 35 });
  });
});
