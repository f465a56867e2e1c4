import { startTestApi, type TestApi } from '../helpers/api.js';
import { graphMessage } from '../helpers/messages.js';

/*
 * The HTTP contract over real loopback HTTP, on both engines: what a client sends, what it gets back,
 * including every kind of bad input.
 */

describe.each(['sqlite', 'postgres'] as const)('API on %s', (engine) => {
  let api: TestApi;
  let admin: string;
  let ana: string;
  const tenantId = 'tenant-api';

  beforeAll(async () => {
    api = await startTestApi(engine);
    admin = await api.token({ email: 'admin@northwind.example', name: 'Ada Admin', roles: ['Admin'], tenantId });
    ana = await api.token({ email: 'ana@northwind.example', name: 'Ana López', tenantId });
  });
  afterAll(async () => api.close());

  const contact = async (email: string, extra: Record<string, unknown> = {}) => {
    const response = await api.call('POST', '/api/v1/contacts', {
      as: ana,
      body: { name: email.split('@')[0], email, ...extra }
    });
    expect(response.status).toBe(201);
    return response.body as { id: string; email: string };
  };

  test('GET /me creates the salesperson record on first use and returns the same one after', async () => {
    const first = await api.call('GET', '/api/v1/me', { as: ana });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ tenantId, email: 'ana@northwind.example', name: 'Ana López', roles: [] });
    expect(first.body.salesperson).toMatchObject({ email: 'ana@northwind.example', name: 'Ana López', active: true });
    const second = await api.call('GET', '/api/v1/me', { as: ana });
    expect(second.body.salesperson.id).toBe(first.body.salesperson.id);
    const adminMe = await api.call('GET', '/api/v1/me', { as: admin });
    expect(adminMe.body.roles).toEqual(['Admin']);
  });

  test('log-thread logs, reports skips with reasons, and is idempotent', async () => {
    const lena = await contact('lena@fabrikam.example', { company: 'Fabrikam' });
    await api.call('GET', '/api/v1/me', { as: ana });
    const inbound = graphMessage('Lena@Fabrikam.example', ['ana@northwind.example']);
    const outbound = graphMessage('ana@northwind.example', ['lena@fabrikam.example']);
    const draft = graphMessage('ana@northwind.example', ['lena@fabrikam.example'], { isDraft: true });
    const stranger = graphMessage('someone@elsewhere.example', ['ana@northwind.example']);
    const body = { messages: [inbound, outbound, draft, stranger, { ...inbound, internetMessageId: null }] };

    const first = await api.call('POST', '/api/v1/interactions/log-thread', { as: ana, body });
    expect(first.status).toBe(200);
    expect(first.body.logged).toHaveLength(2);
    expect(first.body.logged.map((e: { direction: string }) => e.direction).sort()).toEqual(['inbound', 'outbound']);
    const logged = first.body.logged.find((e: { direction: string }) => e.direction === 'inbound');
    expect(logged).toMatchObject({
      contact: { id: lena.id, email: 'lena@fabrikam.example' },
      salesperson: { email: 'ana@northwind.example' },
      source: 'addin',
      internetMessageId: inbound.internetMessageId,
      conversationId: inbound.conversationId,
      webLink: inbound.webLink,
      loggedBy: { email: 'ana@northwind.example', name: 'Ana López' },
      opportunityId: null,
      occurredAt: inbound.receivedDateTime
    });
    expect(first.body.skipped.map((s: { reason: string }) => s.reason).sort()).toEqual([
      'draft',
      'no-internet-message-id',
      'sender-not-matched'
    ]);
    for (const skipped of first.body.skipped) expect(typeof skipped.detail).toBe('string');

    const again = await api.call('POST', '/api/v1/interactions/log-thread', { as: ana, body });
    expect(again.status).toBe(200);
    expect(again.body.logged).toEqual([]);
    expect(again.body.skipped.filter((s: { reason: string }) => s.reason === 'already-logged')).toHaveLength(2);

    const history = await api.call('GET', '/api/v1/interactions?correspondent=%20LENA@fabrikam.example', { as: ana });
    expect(history.status).toBe(200);
    expect(history.body.items).toHaveLength(2);
    expect(history.body.nextCursor).toBeNull();
    // newest first: the outbound reply was sent after the inbound message
    expect(history.body.items[0].internetMessageId).toBe(outbound.internetMessageId);

    const thread = await api.call('GET', `/api/v1/interactions?conversationId=AAQkConversation1&contactId=${lena.id}`, {
      as: ana
    });
    expect(thread.body.items).toHaveLength(2);
    const otherThread = await api.call('GET', `/api/v1/interactions?conversationId=other&contactId=${lena.id}`, {
      as: ana
    });
    expect(otherThread.body.items).toEqual([]);

    const status = await api.call(
      'GET',
      `/api/v1/interactions/status?internetMessageId=${encodeURIComponent(inbound.internetMessageId ?? '')}&internetMessageId=${encodeURIComponent('<never@x.example>')}`,
      { as: ana }
    );
    expect(status.status).toBe(200);
    expect(status.body.items).toEqual([
      {
        internetMessageId: inbound.internetMessageId,
        logged: true,
        loggedBy: expect.objectContaining({ name: 'Ana López' }),
        loggedAt: expect.any(String)
      },
      { internetMessageId: '<never@x.example>', logged: false, loggedBy: null, loggedAt: null }
    ]);
  });

  test('racing log-thread calls over HTTP never create a second entry', async () => {
    await contact('race@fabrikam.example');
    const messages = Array.from({ length: 5 }, () => graphMessage('race@fabrikam.example', ['ana@northwind.example']));
    const results = await Promise.all(
      Array.from({ length: 8 }, () =>
        api.call('POST', '/api/v1/interactions/log-thread', { as: ana, body: { messages } })
      )
    );
    for (const result of results) expect(result.status).toBe(200);
    const created = results.reduce((sum, r) => sum + r.body.logged.length, 0);
    expect(created).toBe(5);
    const history = await api.call('GET', '/api/v1/interactions?correspondent=race@fabrikam.example&limit=100', {
      as: ana
    });
    expect(history.body.items).toHaveLength(5);
  });

  test('history pages with a cursor, clamps the limit and rejects a forged cursor', async () => {
    await contact('pages@fabrikam.example');
    const messages = Array.from({ length: 7 }, () => graphMessage('pages@fabrikam.example', ['ana@northwind.example']));
    await api.call('POST', '/api/v1/interactions/log-thread', { as: ana, body: { messages } });
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/api/v1/interactions?correspondent=pages@fabrikam.example&limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await api.call('GET', query, { as: ana });
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.body.items.map((i: { id: string }) => i.id));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);

    const clamped = await api.call('GET', '/api/v1/interactions?limit=5000', { as: ana });
    expect(clamped.status).toBe(200);
    expect(clamped.body.items.length).toBeLessThanOrEqual(100);

    const forged = await api.call('GET', '/api/v1/interactions?cursor=bm90LWEtY3Vyc29y', { as: ana });
    expect(forged.status).toBe(400);
    expect(forged.body.errors[0].pointer).toBe('#/cursor');
  });

  test('validation errors are problem documents naming the fields', async () => {
    const unknownField = await api.call('POST', '/api/v1/contacts', {
      as: ana,
      body: { name: 'X', email: 'x@fabrikam.example', tenantId: 'other', id: 'mine' }
    });
    expect(unknownField.status).toBe(400);
    expect(unknownField.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(unknownField.body).toMatchObject({ status: 400, title: 'Bad Request', code: 'validation-error' });
    expect(unknownField.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(['#/id', '#/tenantId']);

    const badEmail = await api.call('POST', '/api/v1/contacts', { as: ana, body: { email: 'not-an-address' } });
    expect(badEmail.status).toBe(400);
    const pointers = badEmail.body.errors.map((e: { pointer: string }) => e.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['#/name', '#/email']));
    expect(badEmail.body.detail).toContain('/email');

    const nested = await api.call('POST', '/api/v1/interactions/log-thread', {
      as: ana,
      body: { messages: [{ internetMessageId: '<a@b>', toRecipients: 'ana@northwind.example' }] }
    });
    expect(nested.status).toBe(400);
    expect(nested.body.errors[0].pointer).toBe('#/messages/0/toRecipients');

    const empty = await api.call('POST', '/api/v1/interactions/log-thread', { as: ana, body: { messages: [] } });
    expect(empty.status).toBe(400);

    const badJson = await api.call('POST', '/api/v1/contacts', { as: ana, body: '{"name": ' });
    expect(badJson.status).toBe(400);
    expect(badJson.body.detail).toMatch(/JSON/);

    const wrongType = await api.call('POST', '/api/v1/contacts', {
      as: ana,
      body: 'name=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' }
    });
    expect(wrongType.status).toBe(415);

    const tooLarge = await api.call('POST', '/api/v1/interactions/log-thread', {
      as: ana,
      body: { messages: [graphMessage('a@b.example', ['c@d.example'], { bodyPreview: 'x'.repeat(1_100_000) })] }
    });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.detail).toMatch(/1 MB/);

    const badDates = await api.call('GET', '/api/v1/interactions?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z', {
      as: ana
    });
    expect(badDates.status).toBe(400);

    const badCorrespondent = await api.call('GET', '/api/v1/interactions?correspondent=nobody', { as: ana });
    expect(badCorrespondent.status).toBe(400);

    const noRoute = await api.call('GET', '/api/v1/nothing-here', { as: ana });
    expect(noRoute.status).toBe(404);
    expect(noRoute.body.detail).toContain('/api/v1/nothing-here');
  });

  test('requests without a valid token get 401 with WWW-Authenticate', async () => {
    const attempts: Array<Record<string, string>> = [
      {},
      { authorization: 'Bearer not.a.token' },
      { authorization: 'Basic abc' }
    ];
    for (const headers of attempts) {
      const response = await api.call('GET', '/api/v1/me', { headers });
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(response.body.status).toBe(401);
    }
    const [header, payload, signature] = ana.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    const tampered = Buffer.from(JSON.stringify({ ...claims, tid: 'another-tenant' })).toString('base64url');
    const forged = await api.call('GET', '/api/v1/me', { as: `${header}.${tampered}.${signature}` });
    expect(forged.status).toBe(401);
  });

  test('dev token requests are validated', async () => {
    const bad = await api.call('POST', '/api/v1/dev/token', { body: { email: 'x', roles: ['Root'] } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { pointer: string }) => e.pointer)).toEqual(
      expect.arrayContaining(['#/email', '#/roles/0'])
    );
  });

  test('contacts: create, search, update, and one owner per address', async () => {
    const created = await contact('marta@contoso.example', {
      name: 'Marta Kowalska',
      company: 'Contoso Pharmaceuticals',
      alternateEmails: ['MK@contoso.example'],
      phone: '+48 600 000 000'
    });
    const byCompany = await api.call('GET', '/api/v1/contacts?query=contoso%20pharma', { as: ana });
    expect(byCompany.body.items.map((c: { id: string }) => c.id)).toEqual([created.id]);
    const byAlternate = await api.call('GET', '/api/v1/contacts?email=mk@CONTOSO.example', { as: ana });
    expect(byAlternate.body.items.map((c: { id: string }) => c.id)).toEqual([created.id]);

    const duplicate = await api.call('POST', '/api/v1/contacts', {
      as: ana,
      body: { name: 'Other', email: 'mk@contoso.example' }
    });
    expect(duplicate.status).toBe(409);
    expect(duplicate.body.errors[0].pointer).toBe('#/email');

    const updated = await api.call('PATCH', `/api/v1/contacts/${created.id}`, {
      as: ana,
      body: { company: 'Contoso', alternateEmails: [] }
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ company: 'Contoso', alternateEmails: [], name: 'Marta Kowalska' });
    const emptyPatch = await api.call('PATCH', `/api/v1/contacts/${created.id}`, { as: ana, body: {} });
    expect(emptyPatch.status).toBe(400);
  });

  test('a deactivated contact keeps its history but no longer matches new mail; reactivated, it does again', async () => {
    const pia = await contact('pia@fabrikam.example');
    await api.call('GET', '/api/v1/me', { as: ana });
    const before = graphMessage('pia@fabrikam.example', ['ana@northwind.example']);
    expect(
      (await api.call('POST', '/api/v1/interactions/log-thread', { as: ana, body: { messages: [before] } })).body.logged
    ).toHaveLength(1);

    const deactivated = await api.call('PATCH', `/api/v1/contacts/${pia.id}`, { as: admin, body: { active: false } });
    expect(deactivated.status).toBe(200);
    expect(deactivated.body.active).toBe(false);
    const after = graphMessage('pia@fabrikam.example', ['ana@northwind.example']);
    const refused = await api.call('POST', '/api/v1/interactions/log-thread', { as: ana, body: { messages: [after] } });
    expect(refused.body.logged).toEqual([]);
    expect(refused.body.skipped.map((s: { reason: string }) => s.reason)).toEqual(['sender-not-matched']);
    const history = await api.call('GET', `/api/v1/interactions?contactId=${pia.id}`, { as: ana });
    expect(history.body.items.map((i: { internetMessageId: string }) => i.internetMessageId)).toEqual([
      before.internetMessageId
    ]);

    expect(
      (await api.call('PATCH', `/api/v1/contacts/${pia.id}`, { as: admin, body: { active: true } })).body.active
    ).toBe(true);
    const again = await api.call('POST', '/api/v1/interactions/log-thread', { as: ana, body: { messages: [after] } });
    expect(again.body.logged).toHaveLength(1);
  });

  test('salespeople and teams are changed by admins only', async () => {
    const denied = await api.call('POST', '/api/v1/salespeople', {
      as: ana,
      body: { name: 'Mikko', email: 'mikko@northwind.example' }
    });
    expect(denied.status).toBe(403);
    const team = await api.call('POST', '/api/v1/teams', { as: admin, body: { name: 'Nordics' } });
    expect(team.status).toBe(201);
    const created = await api.call('POST', '/api/v1/salespeople', {
      as: admin,
      body: { name: 'Mikko', email: 'mikko@northwind.example', teamId: team.body.id }
    });
    expect(created.status).toBe(201);
    const managed = await api.call('PATCH', `/api/v1/teams/${team.body.id}`, {
      as: admin,
      body: { managerId: created.body.id }
    });
    expect(managed.body).toMatchObject({ managerId: created.body.id, memberIds: [created.body.id] });
    const deactivated = await api.call('PATCH', `/api/v1/salespeople/${created.body.id}`, {
      as: admin,
      body: { active: false }
    });
    expect(deactivated.body.active).toBe(false);
    const unknownTeam = await api.call('PATCH', `/api/v1/salespeople/${created.body.id}`, {
      as: admin,
      body: { teamId: 'no-such-team' }
    });
    expect(unknownTeam.status).toBe(400);
  });

  test('opportunities: create from entries, list, move along', async () => {
    const priya = await contact('priya@fabrikam.example');
    const messages = [
      graphMessage('priya@fabrikam.example', ['ana@northwind.example']),
      graphMessage('ana@northwind.example', ['priya@fabrikam.example'])
    ];
    const log = await api.call('POST', '/api/v1/interactions/log-thread', { as: ana, body: { messages } });
    const entryIds = log.body.logged.map((e: { id: string }) => e.id);

    const created = await api.call('POST', '/api/v1/opportunities', {
      as: ana,
      body: {
        description: 'Fabrikam renewal',
        contactId: priya.id,
        interactionIds: entryIds,
        stage: 'proposal',
        estimatedValue: 12_500.5,
        currency: 'EUR',
        expectedCloseDate: '2027-03-31'
      }
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'open',
      stage: 'proposal',
      probability: 50,
      estimatedValue: 12_500.5,
      currency: 'EUR',
      contactId: priya.id,
      salesperson: { email: 'ana@northwind.example' }
    });
    expect([...created.body.interactionIds].sort()).toEqual([...entryIds].sort());

    const history = await api.call('GET', `/api/v1/interactions?contactId=${priya.id}`, { as: ana });
    for (const item of history.body.items) expect(item.opportunityId).toBe(created.body.id);

    const again = await api.call('POST', '/api/v1/opportunities', {
      as: ana,
      body: { description: 'Second', contactId: priya.id, interactionIds: entryIds.slice(0, 1) }
    });
    expect(again.status).toBe(409);

    const noCurrency = await api.call('POST', '/api/v1/opportunities', {
      as: ana,
      body: { description: 'No currency', contactId: priya.id, estimatedValue: 10 }
    });
    expect(noCurrency.status).toBe(400);
    expect(noCurrency.body.errors[0].pointer).toBe('#/currency');

    const list = await api.call('GET', `/api/v1/opportunities?contactId=${priya.id}&status=open`, { as: ana });
    expect(list.body.items.map((o: { id: string }) => o.id)).toEqual([created.body.id]);
    const byAddress = await api.call(
      'GET',
      '/api/v1/opportunities?correspondent=%20PRIYA@fabrikam.example&status=open',
      {
        as: ana
      }
    );
    expect(byAddress.body.items.map((o: { id: string }) => o.id)).toEqual([created.body.id]);
    const badAddress = await api.call('GET', '/api/v1/opportunities?correspondent=priya', { as: ana });
    expect(badAddress.status).toBe(400);

    const won = await api.call('PATCH', `/api/v1/opportunities/${created.body.id}`, {
      as: ana,
      body: { status: 'won' }
    });
    expect(won.status).toBe(200);
    expect(won.body).toMatchObject({ status: 'won', probability: 100 });
    expect(won.body.closedAt).not.toBeNull();
    const open = await api.call('GET', `/api/v1/opportunities?contactId=${priya.id}&status=open`, { as: ana });
    expect(open.body.items).toEqual([]);

    const badStage = await api.call('PATCH', `/api/v1/opportunities/${created.body.id}`, {
      as: ana,
      body: { stage: 'closing' }
    });
    expect(badStage.status).toBe(400);
  });

  test("another tenant's ids are 404, and its data never shows", async () => {
    const other = await api.token({ email: 'ana@northwind.example', name: 'Ana', tenantId: 'tenant-other' });
    const mine = await contact('tenantcheck@fabrikam.example');
    expect((await api.call('GET', `/api/v1/contacts/${mine.id}`, { as: other })).status).toBe(404);
    expect((await api.call('GET', `/api/v1/contacts/${mine.id}`, { as: ana })).status).toBe(200);
    expect(
      (await api.call('PATCH', `/api/v1/contacts/${mine.id}`, { as: other, body: { name: 'Stolen' } })).status
    ).toBe(404);
    const theirs = await api.call('GET', '/api/v1/interactions?correspondent=lena@fabrikam.example', { as: other });
    expect(theirs.body.items).toEqual([]);
    const contacts = await api.call('GET', '/api/v1/contacts?limit=100', { as: other });
    expect(contacts.body.items).toEqual([]);
    // The same address can be a contact in each tenant.
    const sameAddress = await api.call('POST', '/api/v1/contacts', {
      as: other,
      body: { name: 'Lena', email: 'lena@fabrikam.example' }
    });
    expect(sameAddress.status).toBe(201);
  });
});

describe('service endpoints', () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await startTestApi('sqlite');
  });
  afterAll(async () => api.close());

  test('health, readiness and request ids', async () => {
    const health = await api.call('GET', '/healthz', { headers: { 'x-request-id': 'trace-123' } });
    expect(health.status).toBe(200);
    expect(health.headers.get('x-request-id')).toBe('trace-123');
    const ready = await api.call('GET', '/readyz');
    expect(ready.body).toEqual({ status: 'ready', store: 'sqlite' });
  });

  test('the OpenAPI 3.1 document describes the contract', async () => {
    const doc = await api.call('GET', '/api/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    for (const path of [
      '/api/v1/me',
      '/api/v1/interactions',
      '/api/v1/interactions/log-thread',
      '/api/v1/interactions/status',
      '/api/v1/contacts',
      '/api/v1/salespeople',
      '/api/v1/opportunities',
      '/api/v1/opportunities/{id}'
    ]) {
      expect(doc.body.paths).toHaveProperty([path]);
    }
    // The request body is the shared OpportunityCreate schema, named under components.
    const reference = doc.body.paths['/api/v1/opportunities'].post.requestBody.content['application/json'].schema;
    expect(reference).toEqual({ $ref: '#/components/schemas/OpportunityCreate' });
    const body = doc.body.components.schemas.OpportunityCreate;
    expect(body.required).toEqual(expect.arrayContaining(['description', 'contactId']));
    expect(body.additionalProperties).toBe(false);
  });
});
