import { useTestApi } from '../helpers/api.js';
import { ENGINES } from '../helpers/stores.js';

/*
 * The send-time prompt's one lookup (issue 21): off until the admin switches it on (a tenant setting, audited),
 * then the recipients' open opportunities the caller may see, with the company the prompt names.
 */

const address = (who: string) => `${who}@northwind.example`;

describe.each(ENGINES)('send check on %s', (engine) => {
  const api = useTestApi(engine, {
    tenantId: 'tenant-send-check',
    people: {
      admin: { email: address('ada'), name: 'Ada', roles: ['Admin'] },
      ana: { email: address('ana'), name: 'Ana' }
    },
    signIn: true
  });
  const { tokens } = api;

  beforeAll(async () => {
    const lena = await api.call('POST', '/api/v1/contacts', {
      as: tokens.ana,
      body: { name: 'Lena Berg', email: 'lena@fabrikam.example', company: 'Fabrikam' }
    });
    await api.call('POST', '/api/v1/opportunities', {
      as: tokens.ana,
      body: { description: 'Renewal 2027', contactId: lena.body.id }
    });
  });

  const check = (query: string) => api.call('GET', `/api/v1/compose/send-check?${query}`, { as: tokens.ana });

  test('off by default: no prompt, no opportunities', async () => {
    expect((await api.call('GET', '/api/v1/settings', { as: tokens.admin })).body).toEqual({
      historyVisibility: 'organization',
      sendPrompt: false
    });
    const answer = await check('recipient=lena@fabrikam.example');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ prompt: false, opportunities: [] });
  });

  test('switched on by the admin: the open opportunities of the recipients, once each', async () => {
    const changed = await api.call('PATCH', '/api/v1/settings', { as: tokens.admin, body: { sendPrompt: true } });
    expect(changed.body).toMatchObject({ sendPrompt: true });
    const answer = await check('recipient=LENA@fabrikam.example&recipient=lena@fabrikam.example&recipient=x@y.example');
    expect(answer.body).toEqual({
      prompt: true,
      opportunities: [
        { id: expect.any(String), description: 'Renewal 2027', contactName: 'Lena Berg', company: 'Fabrikam' }
      ]
    });
    const audit = await api.call('GET', '/api/v1/audit?limit=10', { as: tokens.admin });
    expect(audit.body.items).toContainEqual(
      expect.objectContaining({ action: 'settings.updated', changes: { sendPrompt: { from: false, to: true } } })
    );
  });

  test('a bad recipient is a 400 problem naming the field; a salesperson cannot switch the prompt', async () => {
    const bad = await check('recipient=not-an-address');
    expect(bad.status).toBe(400);
    expect(bad.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(JSON.stringify(bad.body)).toContain('/recipient');
    expect((await check('')).status).toBe(400);
    const refused = await api.call('PATCH', '/api/v1/settings', { as: tokens.ana, body: { sendPrompt: false } });
    expect(refused.status).toBe(403);
  });
});
