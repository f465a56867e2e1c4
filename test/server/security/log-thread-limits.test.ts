import { MAX_ENTRIES_PER_CALL } from '../../../src/shared/limits.js';
import { startTestApi, type TestApi } from '../../helpers/api.js';
import { graphMessage } from '../../helpers/messages.js';
import { ENGINES } from '../../helpers/stores.js';

/*
 * What one log-thread call may create is bounded (issue 15, item 7): a call that would write more than
 * MAX_ENTRIES_PER_CALL entries is refused with a problem that states the limit, writes nothing, and a call's
 * weight (its messages and recipients) counts against the caller's request budget.
 */

const CONTACTS = 400;
const contactAddress = (i: number) => `buyer${i}@fabrikam.example`;
const allContacts = Array.from({ length: CONTACTS }, (_, i) => contactAddress(i));

describe.each(ENGINES)('log-thread limits on %s', (engine) => {
  const tenantId = 'tenant-log-limits';
  let api: TestApi;
  let ana: string;

  beforeAll(async () => {
    api = await startTestApi(engine, { env: { RATE_LIMIT_USER_PER_MINUTE: '60' } });
    ana = await api.token({ email: 'ana@northwind.example', name: 'Ana', tenantId });
    await api.call('GET', '/api/v1/me', { as: ana });
    for (const [i, email] of allContacts.entries()) {
      await api.server.store.directory.createContact(tenantId, { name: `Buyer ${i}`, email });
    }
  });
  afterAll(async () => api.close());

  const storedEntries = async () =>
    (await api.call('GET', '/api/v1/interactions?limit=100', { as: ana })).body.items.length;

  test('a call that would write more entries than the limit is refused with the limit in its detail', async () => {
    const messages = Array.from({ length: Math.ceil((MAX_ENTRIES_PER_CALL + 1) / CONTACTS) }, () =>
      graphMessage('ana@northwind.example', allContacts)
    );
    const refused = await api.call('POST', '/api/v1/interactions/log-thread', { as: ana, body: { messages } });
    expect(refused.status).toBe(413);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(refused.body.code).toBe('too-many-entries');
    expect(refused.body.detail).toContain(MAX_ENTRIES_PER_CALL.toLocaleString('en-US'));
    expect(await storedEntries()).toBe(0);
  });

  test('within the limit it logs, and heavy calls spend the request budget faster than light ones', async () => {
    const heavy = () =>
      api.call('POST', '/api/v1/interactions/log-thread', {
        as: ana,
        body: { messages: [graphMessage('ana@northwind.example', allContacts)] }
      });
    const first = await heavy();
    expect(first.status).toBe(200);
    expect(first.body.logged).toHaveLength(CONTACTS);
    // A budget of 60 requests a minute: a call naming 401 addresses weighs several, so a few exhaust it.
    const statuses: number[] = [];
    for (let i = 0; i < 10; i += 1) statuses.push((await heavy()).status);
    expect(statuses).toContain(429);
    const limited = await api.call('GET', '/api/v1/me', { as: ana });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});
