import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startTestApi, type TestApi } from '../helpers/api.js';
import { graphMessage } from '../helpers/messages.js';
import { ENGINES } from '../helpers/stores.js';

jest.setTimeout(60_000);

/*
 * The OpenAPI document at /api/openapi.json, checked by an independent linter and against the server itself:
 * - Redocly's `recommended` rules: no error, no warning (in dev mode, with the dev token route, and in entra
 *   mode, without it);
 * - the conventions every route must follow (a route added without them fails here, naming it): an
 *   operationId and a summary, problem documents for every error, 401 and 429 (with Retry-After) wherever a
 *   token is needed, a `maximum` on every `limit`, shared schemas named under components;
 * - what the server really sends: for a representative request per route and status, the status is one the
 *   document lists for that operation and the content type is the one it documents.
 */

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- a parsed document

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

function operations(document: Json): Array<{ method: string; path: string; operation: Json }> {
  return Object.entries(document.paths as Record<string, Json>).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method]).map((method) => ({ method, path, operation: item[method] as Json }))
  );
}

/** Follows a local $ref (#/components/...). */
function resolve(document: Json, node: Json): Json {
  if (typeof node.$ref !== 'string') return node;
  return (node.$ref as string)
    .slice(2)
    .split('/')
    .reduce((at: Json, key) => at[key] as Json, document);
}

async function redoclyProblems(document: Json): Promise<Json[]> {
  const dir = mkdtempSync(join(tmpdir(), 'openapi-'));
  try {
    const file = join(dir, 'openapi.json');
    writeFileSync(file, JSON.stringify(document));
    const { stdout } = await promisify(execFile)(process.execPath, ['test/helpers/redocly-lint.mjs', file]);
    return JSON.parse(stdout) as Json[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.each([
  ['dev', { AUTH_MODE: 'dev' }],
  [
    'entra',
    {
      AUTH_MODE: 'entra',
      ENTRA_API_AUDIENCE: '11111111-2222-4333-8444-555555555555',
      ENTRA_ADDIN_CLIENT_ID: '66666666-7777-4888-9999-000000000000',
      ENTRA_ALLOWED_TENANTS: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee'
    }
  ]
] as const)('the document in %s mode', (_mode, env) => {
  let api: TestApi;
  let document: Json;
  beforeAll(async () => {
    api = await startTestApi('sqlite', { env });
    document = (await api.call('GET', '/api/openapi.json')).body as Json;
  });
  afterAll(async () => api?.close());

  test('Redocly’s recommended rules: 0 errors, 0 warnings', async () => {
    const problems = await redoclyProblems(document);
    expect(problems.map((p) => `${p.severity} ${p.rule} ${p.where}: ${p.message}`)).toEqual([]);
  });

  test('every operation has its own operationId and a summary (add them to the route’s schema)', () => {
    const all = operations(document);
    expect(all.length).toBeGreaterThan(30);
    const missing = all
      .filter(({ operation }) => !/^[a-z][A-Za-z0-9]+$/.test(operation.operationId ?? '') || !operation.summary)
      .map(({ method, path }) => `${method.toUpperCase()} ${path}`);
    expect(missing).toEqual([]);
    const ids = all.map(({ operation }) => operation.operationId as string);
    expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([]);
    expect(document.servers).toEqual([expect.objectContaining({ url: expect.any(String) })]);
  });

  test('every error is a problem document; 401 wherever a token is needed; 429 with Retry-After everywhere', () => {
    for (const { method, path, operation } of operations(document)) {
      const where = `${method.toUpperCase()} ${path}`;
      for (const [status, given] of Object.entries(operation.responses as Json)) {
        if (!/^[45]/.test(status)) continue;
        const response = resolve(document, given as Json);
        expect([where, status, Object.keys(response.content ?? {})]).toEqual([
          where,
          status,
          ['application/problem+json']
        ]);
        expect([where, status, response.content['application/problem+json'].schema]).toEqual([
          where,
          status,
          { $ref: '#/components/schemas/Problem' }
        ]);
      }
      const secured = (operation.security ?? document.security).length > 0;
      expect([where, Object.keys(operation.responses)]).toEqual([
        where,
        expect.arrayContaining(secured ? ['401', '429'] : ['429'])
      ]);
      const tooMany = resolve(document, operation.responses['429'] as Json);
      expect([where, tooMany.headers?.['Retry-After']?.schema?.type]).toEqual([where, 'integer']);
    }
  });

  test('page sizes document their maximum; shared schemas are named under components and referenced', () => {
    const limits = operations(document).flatMap(({ operation }) =>
      ((operation.parameters ?? []) as Json[]).filter((parameter) => parameter.name === 'limit')
    );
    expect(limits.length).toBeGreaterThan(5);
    for (const limit of limits) expect(limit.schema.maximum).toBe(100);
    const named = Object.keys(document.components.schemas as Json);
    expect(named).toEqual(
      expect.arrayContaining(['Problem', 'Interaction', 'InteractionPage', 'Contact', 'Opportunity'])
    );
    const history = document.paths['/api/v1/interactions'].get.responses['200'].content['application/json'].schema;
    expect(history).toEqual({ $ref: '#/components/schemas/InteractionPage' });
    expect(document.components.schemas.InteractionPage.properties.items.items).toEqual({
      $ref: '#/components/schemas/Interaction'
    });
  });
});

/** The documented operation a concrete request path falls under. */
function documentedOperation(document: Json, method: string, url: string): { template: string; operation: Json } {
  const path = new URL(url, 'http://x').pathname;
  const matches = Object.keys(document.paths as Json).filter((template) =>
    new RegExp(`^${template.replace(/[.]/g, '\\.').replace(/\{[^}]+\}/g, '[^/]+')}$`).test(path)
  );
  // The most specific template wins (/interactions/status before /interactions/{id}).
  const template = matches.sort((a, b) => a.split('{').length - b.split('{').length)[0];
  const operation = template ? (document.paths[template][method.toLowerCase()] as Json | undefined) : undefined;
  if (!template || !operation) throw new Error(`${method} ${path} is not documented`);
  return { template, operation };
}

describe.each(ENGINES)('what the server sends is what the document says, on %s', (engine) => {
  let api: TestApi;
  let budgeted: TestApi;
  let document: Json;
  let tokens: Record<'salesperson' | 'manager' | 'admin', string>;
  beforeAll(async () => {
    api = await startTestApi(engine);
    // Another server whose users may make two requests a minute: the third is a 429.
    budgeted = await startTestApi(engine, { env: { RATE_LIMIT_USER_PER_MINUTE: '2' } });
    document = (await api.call('GET', '/api/openapi.json')).body as Json;
    const tenantId = 'aaaaaaaa-0000-4000-8000-000000000001';
    tokens = {
      salesperson: await api.token({ email: 'sam@northwind.example', name: 'Sam', tenantId }),
      manager: await api.token({ email: 'mia@northwind.example', name: 'Mia', roles: ['Manager'], tenantId }),
      admin: await api.token({ email: 'ada@northwind.example', name: 'Ada', roles: ['Admin'], tenantId })
    };
  });
  afterAll(async () => {
    await api?.close();
    await budgeted?.close();
  });

  async function check(
    server: TestApi,
    method: string,
    url: string,
    options: { as?: string; body?: unknown; headers?: Record<string, string> },
    expected: number
  ): Promise<Response> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.as) headers.authorization = `Bearer ${options.as}`;
    if (options.body !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(`${server.url}${url}`, {
      method,
      headers,
      ...(options.body !== undefined
        ? { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }
        : {})
    });
    await response.clone().arrayBuffer();
    const { template, operation } = documentedOperation(document, method, url);
    const where = `${method} ${template} → ${response.status}`;
    expect([where, response.status]).toEqual([where, expected]);
    const documented = operation.responses[String(response.status)] as Json | undefined;
    expect([where, documented !== undefined]).toEqual([where, true]);
    const content = Object.keys(resolve(document, documented ?? {}).content ?? {});
    const sent = (response.headers.get('content-type') ?? '').split(';')[0]?.trim();
    expect([where, content]).toEqual([where, [sent]]);
    return response;
  }

  test('a representative request for each route and status', async () => {
    const { salesperson, manager, admin } = tokens;
    await check(api, 'GET', '/api/v1/me', { as: salesperson }, 200);
    await check(api, 'GET', '/api/v1/me', {}, 401);
    await check(api, 'GET', '/api/v1/me', { as: 'not-a-token' }, 401);
    await check(api, 'POST', '/api/v1/dev/token', { body: { email: 'no' } }, 400);
    await check(api, 'GET', '/api/v1/contacts?query=a&limit=5', { as: salesperson }, 200);
    await check(api, 'GET', '/api/v1/contacts?limit=zero', { as: salesperson }, 400);
    await check(api, 'GET', '/api/v1/contacts/missing', { as: salesperson }, 404);
    const created = await check(
      api,
      'POST',
      '/api/v1/contacts',
      { as: salesperson, body: { name: 'Lena Berg', email: `lena.${engine}@fabrikam.example` } },
      201
    );
    const contactId = (created.headers.get('location') ?? '').split('/').pop() ?? '';
    await check(api, 'POST', '/api/v1/contacts', { as: salesperson, body: { name: 'Lena' } }, 400);
    await check(api, 'GET', `/api/v1/contacts/${contactId}`, { as: salesperson }, 200);
    await check(api, 'PATCH', `/api/v1/contacts/${contactId}`, { as: salesperson, body: { phone: '+46 8 123' } }, 200);
    await check(api, 'GET', '/api/v1/salespeople', { as: salesperson }, 200);
    await check(api, 'GET', '/api/v1/salespeople/missing', { as: salesperson }, 404);
    await check(
      api,
      'POST',
      '/api/v1/salespeople',
      { as: salesperson, body: { name: 'X', email: 'x@n.example' } },
      403
    );
    await check(api, 'GET', '/api/v1/teams', { as: salesperson }, 200);
    await check(
      api,
      'GET',
      `/api/v1/interactions?correspondent=lena.${engine}@fabrikam.example`,
      { as: salesperson },
      200
    );
    await check(api, 'GET', '/api/v1/interactions?correspondent=not-an-address', { as: salesperson }, 400);
    await check(api, 'GET', '/api/v1/interactions?limit=5000', { as: salesperson }, 200);
    await check(
      api,
      'GET',
      '/api/v1/interactions/status?internetMessageId=%3Ca%40b.example%3E',
      { as: salesperson },
      200
    );
    await check(api, 'GET', '/api/v1/interactions/missing', { as: salesperson }, 404);
    await check(api, 'POST', '/api/v1/interactions/log-thread', { as: salesperson, body: { messages: 'no' } }, 400);
    const thread = [graphMessage(`lena.${engine}@fabrikam.example`, ['sam@northwind.example'])];
    await check(api, 'POST', '/api/v1/interactions/log-thread', { as: salesperson, body: { messages: thread } }, 200);
    await check(api, 'POST', '/api/v1/interactions/log-meeting', { as: salesperson, body: { event: 'no' } }, 400);
    const event = {
      iCalUId: `uid-${engine}`,
      subject: 'Review',
      start: { dateTime: '2026-11-03T09:00:00.0000000', timeZone: 'UTC' },
      end: { dateTime: '2026-11-03T10:00:00.0000000', timeZone: 'UTC' },
      organizer: { emailAddress: { address: `lena.${engine}@fabrikam.example` } },
      attendees: [{ type: 'required', emailAddress: { address: 'sam@northwind.example' } }]
    };
    await check(api, 'POST', '/api/v1/interactions/log-meeting', { as: salesperson, body: { event } }, 200);
    const opportunity = await check(
      api,
      'POST',
      '/api/v1/opportunities',
      { as: salesperson, body: { description: 'Renewal', contactId } },
      201
    );
    const opportunityId = ((await opportunity.clone().json()) as Json).id as string;
    await check(
      api,
      'PATCH',
      `/api/v1/opportunities/${opportunityId}`,
      { as: salesperson, body: { stage: 'proposal' } },
      200
    );
    await check(api, 'GET', `/api/v1/opportunities/${opportunityId}`, { as: salesperson }, 200);
    await check(api, 'PATCH', '/api/v1/settings', { as: admin, body: { historyVisibility: 'organization' } }, 200);
    await check(api, 'POST', '/api/v1/teams', { as: admin, body: { name: `Nordics ${engine}` } }, 201);
    await check(api, 'GET', '/api/v1/opportunities', { as: salesperson }, 200);
    await check(api, 'GET', '/api/v1/opportunities/missing', { as: salesperson }, 404);
    await check(api, 'GET', '/api/v1/settings', { as: admin }, 200);
    await check(api, 'GET', '/api/v1/settings', { as: salesperson }, 403);
    await check(api, 'GET', '/api/v1/audit', { as: admin }, 200);
    await check(api, 'GET', '/api/v1/team/summary', { as: manager }, 200);
    await check(api, 'GET', '/api/v1/team/summary', { as: salesperson }, 403);
    await check(api, 'GET', '/api/v1/team/interactions', { as: manager }, 200);
    await check(api, 'GET', '/api/v1/team/interactions.csv', { as: manager }, 200);
    await check(api, 'GET', '/api/v1/admin/mailbox/settings', { as: admin }, 200);
    await check(api, 'GET', '/api/v1/admin/mailbox/health', { as: admin }, 200);
    await check(api, 'GET', '/api/v1/admin/mailbox/runs', { as: admin }, 200);
    await check(api, 'GET', '/api/v1/admin/mailbox/quarantine', { as: admin }, 200);
    await check(api, 'GET', '/api/v1/admin/setup', { as: admin }, 200);
    await check(api, 'GET', '/api/v1/admin/directory/problems', { as: admin }, 200);
    await check(api, 'GET', '/api/v1/admin/directory/problems', { as: salesperson }, 403);
  });

  test('a spent request budget: 429 as documented, with Retry-After', async () => {
    const token = await budgeted.token({ email: 'sam@northwind.example', name: 'Sam' });
    await check(budgeted, 'GET', '/api/v1/me', { as: token }, 200);
    await check(budgeted, 'GET', '/api/v1/contacts', { as: token }, 200);
    const refused = await check(budgeted, 'GET', '/api/v1/opportunities', { as: token }, 429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });
});
