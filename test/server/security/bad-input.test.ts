import { startTestApi, type TestApi } from '../../helpers/api.js';
import { graphMessage } from '../../helpers/messages.js';
import { ENGINES } from '../../helpers/stores.js';

/*
 * Bad input that answered 500 (issue 15, item 8): JSON nested thousands deep, a leap second, forged cursors.
 * Each is a 400 problem document that names the field, on both engines.
 */

const LEAP_SECOND = '2016-12-31T23:59:60Z';
const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const FORGED_CURSORS: unknown[] = [
  [0.5, 'x'],
  [1e300, 'x'],
  [9.3e18, 'x'],
  [-1e300, 'x'],
  [1, 'nul\u0000id'],
  ['nul\u0000key', 'x']
];
const CURSOR_ROUTES = [
  '/api/v1/interactions',
  '/api/v1/team/interactions',
  '/api/v1/opportunities',
  '/api/v1/contacts',
  '/api/v1/salespeople',
  '/api/v1/audit',
  '/api/v1/admin/mailbox/runs',
  '/api/v1/admin/mailbox/quarantine'
];
const DATE_ROUTES = [
  '/api/v1/interactions',
  '/api/v1/team/interactions',
  '/api/v1/team/summary',
  '/api/v1/team/interactions.csv'
];

const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

describe.each(ENGINES)('bad input on %s', (engine) => {
  const tenantId = 'tenant-bad-input';
  let api: TestApi;
  let admin: string;

  beforeAll(async () => {
    api = await startTestApi(engine);
    admin = await api.token({ email: 'ada@northwind.example', name: 'Ada', roles: ['Admin', 'Manager'], tenantId });
    await api.call('POST', '/api/v1/contacts', { as: admin, body: { name: 'Lena', email: 'lena@fabrikam.example' } });
    await api.call('POST', '/api/v1/interactions/log-thread', {
      as: admin,
      body: { messages: [graphMessage('lena@fabrikam.example', ['ada@northwind.example'])] }
    });
  });
  afterAll(async () => api.close());

  const expectProblem = (response: { status: number; headers: Headers; body: { detail?: unknown } }, url: string) => {
    expect({ url, status: response.status }).toEqual({ url, status: 400 });
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(typeof response.body.detail).toBe('string');
  };

  test('JSON nested 10,000 deep is a 400, with a token and on the unauthenticated dev token route', async () => {
    const deep = `{"messages":[{"internetMessageId":"<a@b>","extra":${nested(10_000)}}]}`;
    const attempts: Array<[string, string | undefined]> = [
      ['/api/v1/interactions/log-thread', admin],
      ['/api/v1/contacts', admin],
      ['/api/v1/dev/token', undefined]
    ];
    for (const [path, as] of attempts) {
      const body = path === '/api/v1/dev/token' ? `{"email":${nested(10_000)}}` : deep;
      const response = await api.call('POST', path, { ...(as ? { as } : {}), body });
      expectProblem(response, path);
      expect(response.body.detail).toMatch(/nested/);
    }
    // Ordinary nesting still goes through, and brackets inside strings (escaped quotes too) are text.
    const ordinary = await api.call('POST', '/api/v1/interactions/log-thread', {
      as: admin,
      body: `{"messages":[{"internetMessageId":"<ok@b>","subject":"\\"${'['.repeat(100)}","extra":${nested(20)}}]}`
    });
    expect(ordinary.status).toBe(200);
  });

  test('a leap second in a date filter is a 400 naming the field', async () => {
    for (const route of DATE_ROUTES) {
      for (const field of ['from', 'to']) {
        const url = `${route}?${field}=${encodeURIComponent(LEAP_SECOND)}`;
        const response = await api.call('GET', url, { as: admin });
        expectProblem(response, url);
        expect(response.body.errors?.[0]?.pointer).toBe(`#/${field}`);
      }
    }
  });

  test('forged cursors are a 400 naming the cursor on every paged route', async () => {
    for (const route of CURSOR_ROUTES) {
      for (const forged of FORGED_CURSORS) {
        const url = `${route}?cursor=${cursorOf(forged)}`;
        const response = await api.call('GET', url, { as: admin });
        expectProblem(response, `${url} ${JSON.stringify(forged)}`);
        expect(response.body.errors?.[0]?.pointer).toBe('#/cursor');
      }
    }
  });

  test('forged cursors of a search are a 400 naming the cursor', async () => {
    for (const forged of [
      ['ranked', -1, 1e300, 'x'],
      ['ranked', -1, 0.5, 'x'],
      ['ranked', 'best', 1, 'x']
    ]) {
      const url = `/api/v1/interactions?q=renewal&cursor=${cursorOf(forged)}`;
      const response = await api.call('GET', url, { as: admin });
      expectProblem(response, `${url} ${JSON.stringify(forged)}`);
      expect(response.body.errors?.[0]?.pointer).toBe('#/cursor');
    }
  });
});
