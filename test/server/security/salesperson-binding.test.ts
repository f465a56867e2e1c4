import { useTestApi } from '../../helpers/api.js';
import { ENGINES } from '../../helpers/stores.js';

/*
 * A salesperson record is bound to one Entra user (`oid`) once (issue 15, item 5). The email claims are not for
 * authorization: another user who presents one of the record's addresses gets a 409, the attempt is audited,
 * and only an admin's unbinding frees the record for the next user who signs in with one of its addresses.
 */

describe.each(ENGINES)('salesperson binding on %s', (engine) => {
  const tenantId = 'tenant-binding';
  const api = useTestApi(engine, {
    tenantId,
    people: { admin: { email: 'ada@northwind.example', name: 'Ada', roles: ['Admin'] } }
  });
  const { tokens } = api;
  let recordId: string;

  beforeAll(async () => {
    const created = await api.call('POST', '/api/v1/salespeople', {
      as: tokens.admin,
      body: { name: 'Ana López', email: 'ana@northwind.example', alternateEmails: ['ana.lopez@northwind.example'] }
    });
    expect(created.status).toBe(201);
    recordId = created.body.id;
  });

  const me = (as: string) => api.call('GET', '/api/v1/me', { as });
  const auditActions = async () =>
    (await api.call('GET', '/api/v1/audit?limit=100', { as: tokens.admin })).body.items as Array<{
      action: string;
      entityId: string;
      actor: { id: string; name: string };
    }>;

  test('the first user with one of its addresses is bound; another user with another address gets a 409, audited', async () => {
    const ana = await api.token({ email: 'ana@northwind.example', name: 'Ana', tenantId });
    expect((await me(ana)).body.salesperson.id).toBe(recordId);

    // A different Entra user whose token claims the record's alternate address.
    const mallory = await api.token({ email: 'ANA.LOPEZ@northwind.example', name: 'Mallory', tenantId });
    const refused = await me(mallory);
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused.body.detail).toMatch(/another user/);
    const logged = await api.call('POST', '/api/v1/interactions/log-thread', {
      as: mallory,
      body: { messages: [{ internetMessageId: '<x@y>' }] }
    });
    expect(logged.status).toBe(409);

    // Ana still has her record; the attempt is in the audit log, as Mallory's.
    expect((await me(ana)).body.salesperson.id).toBe(recordId);
    const refusals = (await auditActions()).filter((entry) => entry.action === 'salesperson.binding-refused');
    expect(refusals.length).toBeGreaterThanOrEqual(1);
    expect(refusals[0]).toMatchObject({ entityId: recordId, actor: { name: 'Mallory' } });
  });

  test('an admin unbinds the record (audited); the next user to sign in with its address takes it', async () => {
    const ana = await api.token({ email: 'ana@northwind.example', name: 'Ana', tenantId });
    const successor = await api.token({ email: 'ana.lopez@northwind.example', name: 'Ana (new account)', tenantId });

    const bySalesperson = await api.call('DELETE', `/api/v1/admin/salespeople/${recordId}/binding`, { as: ana });
    expect(bySalesperson.status).toBe(403);
    const missing = await api.call('DELETE', '/api/v1/admin/salespeople/no-such-id/binding', { as: tokens.admin });
    expect(missing.status).toBe(404);

    const unbound = await api.call('DELETE', `/api/v1/admin/salespeople/${recordId}/binding`, { as: tokens.admin });
    expect(unbound.status).toBe(200);
    expect(unbound.body).toMatchObject({ id: recordId, email: 'ana@northwind.example' });
    expect((await auditActions()).map((entry) => [entry.action, entry.entityId])).toContainEqual([
      'salesperson.unbound',
      recordId
    ]);

    expect((await me(successor)).body.salesperson.id).toBe(recordId);
    expect((await me(ana)).status).toBe(409);
  });

  test('two users racing for one unbound record: exactly one is bound', async () => {
    const created = await api.call('POST', '/api/v1/salespeople', {
      as: tokens.admin,
      body: { name: 'Ben', email: 'ben@northwind.example', alternateEmails: ['b@northwind.example'] }
    });
    const [first, second] = await Promise.all([
      api.token({ email: 'ben@northwind.example', tenantId }),
      api.token({ email: 'b@northwind.example', tenantId })
    ]);
    const answers = await Promise.all([me(first!), me(second!)]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    expect(answers.find((answer) => answer.status === 200)?.body.salesperson.id).toBe(created.body.id);
  });
});
