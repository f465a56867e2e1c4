import type { RunningServer } from '../../../src/server/server.js';
import { MAX_MESSAGES_PER_CALL } from '../../../src/shared/limits.js';
import { startTestApi, type TestApi } from '../../helpers/api.js';
import { graphMessage } from '../../helpers/messages.js';
import { captureLog } from '../../helpers/log-capture.js';

/*
 * Abuse resistance over HTTP: rate limits per user, per tenant and per address (429 + Retry-After), body and
 * array caps, page-size clamping, mass assignment, security headers and CSP, CORS for the add-in's origin
 * only, and secrets kept out of responses and logs.
 */

describe('rate limits', () => {
  let api: TestApi;
  const tenantId = 'tenant-limits';
  beforeAll(async () => {
    api = await startTestApi('sqlite', { env: { RATE_LIMIT_USER_PER_MINUTE: '5', RATE_LIMIT_TENANT_PER_MINUTE: '8' } });
  });
  afterAll(async () => api.close());

  test('per user, then per tenant: a 429 problem document with Retry-After; other tenants are not affected', async () => {
    const ana = await api.token({ email: 'ana@northwind.example', tenantId });
    const ben = await api.token({ email: 'ben@northwind.example', tenantId });
    const other = await api.token({ email: 'eve@elsewhere.example', tenantId: 'tenant-unaffected' });
    const statuses = async (as: string, count: number) => {
      const result: number[] = [];
      for (let i = 0; i < count; i += 1) result.push((await api.call('GET', '/api/v1/me', { as })).status);
      return result;
    };
    expect(await statuses(ana, 5)).toEqual([200, 200, 200, 200, 200]);
    const limited = await api.call('GET', '/api/v1/me', { as: ana });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect(limited.body).toMatchObject({ status: 429, code: 'rate-limited' });
    expect(limited.body.detail).toMatch(/your limit/);
    // ben has his own budget, but the tenant's (8) runs out after 3 more: 5 of ana's counted, the refused one did not.
    expect(await statuses(ben, 4)).toEqual([200, 200, 200, 429]);
    const tenantLimited = await api.call('GET', '/api/v1/me', { as: ben });
    expect(tenantLimited.body.detail).toMatch(/organization's limit/);
    expect(await statuses(other, 3)).toEqual([200, 200, 200]);
  });

  test('requests without a valid token, and dev token requests, share a budget per address', async () => {
    const fresh = await startTestApi('sqlite', { env: { RATE_LIMIT_USER_PER_MINUTE: '5' } });
    try {
      const results: number[] = [];
      for (let i = 0; i < 6; i += 1) {
        const guess = await fresh.call('GET', '/api/v1/me', { headers: { authorization: `Bearer guess.${i}.x` } });
        results.push(guess.status);
      }
      expect(results).toEqual([401, 401, 401, 401, 401, 429]);
      const minting = await fresh.call('POST', '/api/v1/dev/token', { body: { email: 'ana@northwind.example' } });
      expect(minting.status).toBe(429);
      expect(minting.headers.get('retry-after')).not.toBeNull();
    } finally {
      await fresh.close();
    }
  });
});

describe('caps, clamps and mass assignment', () => {
  let api: TestApi;
  let ana: string;
  const tenantId = 'tenant-caps';
  beforeAll(async () => {
    api = await startTestApi('sqlite');
    ana = await api.token({ email: 'ana@northwind.example', name: 'Ana', tenantId });
  });
  afterAll(async () => api.close());

  test('oversize bodies are 413, arrays over the cap 400, and nothing is stored', async () => {
    await api.call('POST', '/api/v1/contacts', { as: ana, body: { name: 'Lena', email: 'lena@fabrikam.example' } });
    const tooMany = Array.from({ length: MAX_MESSAGES_PER_CALL + 1 }, () =>
      graphMessage('lena@fabrikam.example', ['ana@northwind.example'], { bodyPreview: '', subject: 's' })
    );
    const array = await api.call('POST', '/api/v1/interactions/log-thread', { as: ana, body: { messages: tooMany } });
    expect(array.status).toBe(400);
    expect(array.body.errors[0].pointer).toBe('#/messages');
    const large = await api.call('POST', '/api/v1/contacts', {
      as: ana,
      body: { name: 'x'.repeat(1_100_000), email: 'big@fabrikam.example' }
    });
    expect(large.status).toBe(413);
    const history = await api.call('GET', '/api/v1/interactions?limit=100', { as: ana });
    expect(history.body.items).toEqual([]);
    const contacts = await api.call('GET', '/api/v1/contacts?limit=100', { as: ana });
    expect(contacts.body.items.map((c: { email: string }) => c.email)).toEqual(['lena@fabrikam.example']);
  });

  test('page sizes are clamped to 100 on every list', async () => {
    for (let i = 0; i < 105; i += 1) {
      await api.server.store.directory.createContact(tenantId, { name: `C${i}`, email: `c${i}@bulk.example` });
    }
    for (const path of ['/api/v1/contacts?limit=100000', '/api/v1/contacts?limit=101']) {
      const page = await api.call('GET', path, { as: ana });
      expect(page.status).toBe(200);
      expect(page.body.items).toHaveLength(100);
      expect(page.body.nextCursor).not.toBeNull();
    }
    for (const limit of ['0', '-1', '1.5', 'all']) {
      expect((await api.call('GET', `/api/v1/contacts?limit=${limit}`, { as: ana })).status).toBe(400);
    }
  });

  test('tenant, owner, logged-by and created-by are never taken from the body', async () => {
    const me = (await api.call('GET', '/api/v1/me', { as: ana })).body;
    const attempts: Array<[string, string, Record<string, unknown>, string[]]> = [
      [
        'POST',
        '/api/v1/contacts',
        { name: 'M', email: 'm@fabrikam.example', tenantId: 'other', createdBy: 'someone', id: 'chosen' },
        ['#/createdBy', '#/id', '#/tenantId']
      ],
      [
        'POST',
        '/api/v1/opportunities',
        { description: 'x', contactId: 'c', salespersonId: 'x', createdBy: 'y' },
        ['#/createdBy', '#/salespersonId']
      ],
      [
        'POST',
        '/api/v1/interactions/log-thread',
        { messages: [graphMessage('lena@fabrikam.example', ['ana@northwind.example'])], loggedBy: 'x', tenantId: 'y' },
        ['#/loggedBy', '#/tenantId']
      ],
      ['PATCH', `/api/v1/salespeople/${me.salesperson.id}`, { name: 'Ana', tenantId: 'other' }, ['#/tenantId']],
      ['PATCH', `/api/v1/opportunities/some-id`, { description: 'x', salespersonId: 'x' }, ['#/salespersonId']],
      ['PATCH', '/api/v1/settings', { historyVisibility: 'own', tenantId: 'other' }, ['#/tenantId']]
    ];
    for (const [method, path, body, pointers] of attempts) {
      const response = await api.call(method, path, { as: ana, body });
      expect({ path, status: response.status }).toEqual({ path, status: 400 });
      expect(response.body.errors.map((e: { pointer: string }) => e.pointer).sort()).toEqual(pointers);
    }
    // A message whose fields say otherwise is still logged as the caller.
    const logged = await api.call('POST', '/api/v1/interactions/log-thread', {
      as: ana,
      body: { messages: [graphMessage('lena@fabrikam.example', ['ana@northwind.example'])] }
    });
    expect(logged.body.logged[0].loggedBy).toEqual({
      id: me.salesperson.id,
      name: 'Ana',
      email: 'ana@northwind.example'
    });
  });
});

describe('headers, CORS and secrets', () => {
  let api: TestApi;
  let server: RunningServer;
  const SECRET = 'mailbox-client-secret-VALUE-42';
  const { lines, logger } = captureLog('trace');

  beforeAll(async () => {
    api = await startTestApi('sqlite', {
      env: {
        ADDIN_ORIGIN: 'https://addin.example.com',
        MAILBOX_CLIENT_ID: '11111111-2222-4333-8444-555555555555',
        MAILBOX_CLIENT_SECRET: SECRET,
        MAILBOX_SCHEDULE: 'false'
      },
      logger
    });
    ({ server } = api);
  });
  afterAll(async () => api.close());

  test('API responses carry the strict policy and the usual hardening headers', async () => {
    for (const path of ['/healthz', '/api/v1/me', '/api/v1/nothing']) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.headers.get('content-security-policy')?.split(/;\s*/)).toEqual([
        "default-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'none'"
      ]);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('x-powered-by')).toBeNull();
      // Not production: no HSTS pinning a developer's localhost.
      expect(response.headers.get('strict-transport-security')).toBeNull();
    }
  });

  test('CORS answers the add-in origin only', async () => {
    const preflight = (origin: string) =>
      fetch(`${server.url}/api/v1/me`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' }
      });
    const allowed = await preflight('https://addin.example.com');
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://addin.example.com');
    const refused = await preflight('https://evil.example');
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    const simple = await fetch(`${server.url}/healthz`, { headers: { origin: 'https://evil.example' } });
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
  });

  test('the client secret and access tokens appear in no response and in no log line', async () => {
    const accessToken = await api.token({ email: 'ada@northwind.example', roles: ['Admin'] });
    const auth = { authorization: `Bearer ${accessToken}`, cookie: 'session=cookie-value-7' };
    const doc = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as { paths: Record<string, object> };
    const bodies: string[] = [JSON.stringify(doc)];
    for (const [path, methods] of Object.entries(doc.paths)) {
      if (!('get' in methods) || path.includes('{')) continue;
      const response = await fetch(`${server.url}${path}`, { headers: auth });
      bodies.push(await response.text());
    }
    bodies.push(await (await fetch(`${server.url}/addin/config.json`)).text());
    for (const body of bodies) expect(body).not.toContain(SECRET);
    // Logging a request with its headers, or the configuration, shows neither the token nor the secret.
    server.app.log.info({ req: { headers: auth } }, 'a request as a careless handler would log it');
    server.app.log.info({ mailbox: { clientSecret: SECRET }, accessToken }, 'a configuration object');
    await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${accessToken}x` } });
    const log = lines.join('');
    expect(log).toContain('a request as a careless handler would log it');
    expect(log).toContain('access token rejected');
    expect(log).not.toContain(SECRET);
    expect(log).not.toContain(accessToken.split('.')[2]);
    expect(log).not.toContain('cookie-value-7');
  });
});
