import { startTestApi, type TestApi } from '../helpers/api.js';
import { ENGINES } from '../helpers/stores.js';

/*
 * Issue 19, defect 7: one code for invalid input (`invalid-request`), and none of Fastify's own codes
 * (FST_ERR_*) reaching a caller. Each case provokes a Fastify error, or our validation, over real HTTP.
 */

const TENANT = 'problem-codes-tenant';

describe.each(ENGINES)('problem codes on %s', (engine) => {
  let api: TestApi;
  let token: string;
  let admin: string;

  beforeAll(async () => {
    api = await startTestApi(engine);
    await api.testStore.store.directory.createSalesperson(TENANT, { name: 'Ana', email: 'ana@northwind.example' });
    token = await api.token({ email: 'ana@northwind.example', tenantId: TENANT });
    admin = await api.token({ email: 'root@northwind.example', tenantId: TENANT, roles: ['Admin'] });
  });
  afterAll(async () => {
    await api?.close();
  });

  const post = (path: string, body: string, contentType: string | null, as = token) =>
    fetch(`${api.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${as}`, ...(contentType ? { 'content-type': contentType } : {}) },
      body
    });

  test.each([
    ['bad JSON', () => post('/api/v1/notes', '{"subject": ', 'application/json'), 400, 'invalid-request'],
    ['an empty JSON body', () => post('/api/v1/notes', '', 'application/json'), 400, 'invalid-request'],
    ['a wrong content type', () => post('/api/v1/notes', 'subject=hi', 'text/plain'), 415, 'unsupported-media-type'],
    [
      'a body over the limit',
      () => post('/api/v1/notes', JSON.stringify({ body: 'x'.repeat(1024 * 1024 + 1) }), 'application/json'),
      413,
      'body-too-large'
    ],
    ['an unknown field', () => post('/api/v1/notes', '{"colour":"red"}', 'application/json'), 400, 'invalid-request'],
    [
      'nesting too deep',
      () => post('/api/v1/notes', `${'['.repeat(40)}${']'.repeat(40)}`, 'application/json'),
      400,
      'invalid-request'
    ],
    [
      'a query that fails its schema',
      () =>
        fetch(`${api.url}/api/v1/team/interactions?direction=sideways`, {
          headers: { authorization: `Bearer ${admin}` }
        }),
      400,
      'invalid-request'
    ],
    [
      'a malformed URL',
      () => fetch(`${api.url}/api/v1/interactions/%E0%A4%A`, { headers: { authorization: `Bearer ${token}` } }),
      400,
      'invalid-request'
    ],
    [
      'a path parameter over the length limit',
      () =>
        fetch(`${api.url}/api/v1/interactions/${'a'.repeat(200)}`, { headers: { authorization: `Bearer ${token}` } }),
      414,
      'path-too-long'
    ],
    [
      'a CSV import sent as JSON',
      () => post('/api/v1/admin/directory/import?kind=contacts', '{}', 'application/json', admin),
      415,
      'unsupported-media-type'
    ]
  ])('%s: a problem document with our code', async (_name, send, status, code) => {
    const response = await send();
    const problem = (await response.json()) as { status: number; code: string; type: string; detail: string };
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect({ status: response.status, code: problem.code }).toEqual({ status, code });
    expect(problem.type).toBe(`urn:interaction-log:problem:${code}`);
    expect(JSON.stringify(problem)).not.toMatch(/fst_err/i);
    expect(problem.detail).not.toMatch(/FST_/);
  });
});
