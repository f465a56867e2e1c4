import Database from 'better-sqlite3';
import fc from 'fast-check';
import { startTestApi, type TestApi } from '../../helpers/api.js';
import { HOSTILE_STRINGS, NUL_STRING } from '../../helpers/hostile.js';
import { graphMessage } from '../../helpers/messages.js';

/*
 * Property-based: arbitrary bodies, query strings and path ids against every route of the OpenAPI document,
 * as an admin and as a salesperson. Always a success or a 4xx problem document, never a 5xx, and nothing
 * stored when a request is refused (every table's row count before and after). Then hostile strings round-trip
 * through the API as data.
 */

const RUNS = 12;
const tenantId = 'tenant-fuzz';

interface Operation {
  method: string;
  path: string;
  queryNames: string[];
  bodyNames: string[];
}

let api: TestApi;
let admin: string;
let ana: string;
let db: Database.Database;
let operations: Operation[] = [];
const knownIds: string[] = [];

function rowCounts(): Record<string, number> {
  const tables = db
    .prepare(
      "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%'"
    )
    .pluck()
    .all() as string[];
  return Object.fromEntries(
    tables.map((table) => [table, db.prepare(`select count(*) from "${table}"`).pluck().get() as number])
  );
}

beforeAll(async () => {
  api = await startTestApi('sqlite', {
    RATE_LIMIT_USER_PER_MINUTE: '100000000',
    RATE_LIMIT_TENANT_PER_MINUTE: '100000000'
  });
  admin = await api.token({ email: 'ada@northwind.example', name: 'Ada', roles: ['Admin'], tenantId });
  ana = await api.token({ email: 'ana@northwind.example', name: 'Ana', tenantId });
  const me = await api.call('GET', '/api/v1/me', { as: ana });
  await api.call('GET', '/api/v1/me', { as: admin });
  const contact = await api.call('POST', '/api/v1/contacts', {
    as: ana,
    body: { name: 'Lena', email: 'lena@fabrikam.example' }
  });
  const logged = await api.call('POST', '/api/v1/interactions/log-thread', {
    as: ana,
    body: { messages: [graphMessage('lena@fabrikam.example', ['ana@northwind.example'])] }
  });
  const team = await api.call('POST', '/api/v1/teams', { as: admin, body: { name: 'East' } });
  const opportunity = await api.call('POST', '/api/v1/opportunities', {
    as: ana,
    body: { description: 'Deal', contactId: contact.body.id }
  });
  knownIds.push(me.body.salesperson.id, contact.body.id, logged.body.logged[0].id, team.body.id, opportunity.body.id);

  const doc = (await api.call('GET', '/api/openapi.json')).body as {
    paths: Record<
      string,
      Record<
        string,
        {
          parameters?: Array<{ in: string; name: string }>;
          requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown> } }> };
        }
      >
    >;
  };
  operations = Object.entries(doc.paths)
    .filter(([path]) => path.startsWith('/api/v1/') && !path.startsWith('/api/v1/dev/'))
    .flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        method: method.toUpperCase(),
        path,
        queryNames: (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
        bodyNames: Object.keys(operation.requestBody?.content['application/json']?.schema.properties ?? {})
      }))
    );
  db = new Database(api.testStore.url, { readonly: true, fileMustExist: true });
});
afterAll(async () => {
  db?.close();
  await api.close();
});

test('the OpenAPI document lists the routes the fuzzing covers', () => {
  const names = operations.map((o) => `${o.method} ${o.path}`);
  expect(names).toEqual(
    expect.arrayContaining([
      'GET /api/v1/interactions',
      'POST /api/v1/interactions/log-thread',
      'GET /api/v1/interactions/{id}',
      'PATCH /api/v1/opportunities/{id}',
      'PATCH /api/v1/settings',
      'GET /api/v1/audit',
      'POST /api/v1/contacts'
    ])
  );
  expect(operations.length).toBeGreaterThanOrEqual(20);
});

const text = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.constantFrom(...HOSTILE_STRINGS, '', ' ', '0', '-1', '1e309', 'null', 'true', '[]', '{}', 'a@b.example'),
  fc.integer().map(String),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString())
);
const json = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    text,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(text, tie('value'), { maxKeys: 4 })
  )
})).value;

/** Bodies that look like what the route takes, so validation lets some through to the handlers. */
const bodyFor = (operation: Operation) =>
  fc.oneof(
    json,
    fc.record(Object.fromEntries(operation.bodyNames.map((name) => [name, json])), { requiredKeys: [] }),
    fc.record(
      Object.fromEntries(operation.bodyNames.map((name) => [name, fc.oneof(text, fc.constantFrom(...knownIds))])),
      { requiredKeys: [] }
    ),
    fc.constant({ messages: [graphMessage('lena@fabrikam.example', ['ana@northwind.example'])] })
  );

const queryFor = (operation: Operation) =>
  fc
    .array(
      fc.tuple(
        fc.oneof(fc.constantFrom(...operation.queryNames, 'limit', 'cursor', 'x'), fc.string({ maxLength: 8 })),
        fc.oneof(text, fc.constantFrom(...knownIds))
      ),
      { maxLength: 5 }
    )
    .map((pairs) => new URLSearchParams(pairs).toString());

const pathFor = (operation: Operation) =>
  fc
    .oneof(
      fc.constantFrom(...knownIds),
      text.filter((t) => t.length > 0)
    )
    .map((id) => operation.path.replace(/\{[^}]+\}/g, encodeURIComponent(id)));

async function expectWellBehaved(method: string, url: string, as: string, body?: unknown): Promise<void> {
  const before = method === 'GET' ? null : rowCounts();
  const response = await api.call(method, url, { as, ...(body === undefined ? {} : { body }) });
  expect({ url, status: response.status < 500 }).toEqual({ url, status: true });
  if (response.status >= 400) {
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status: response.status, title: expect.any(String) });
    expect(typeof response.body.detail).toBe('string');
    if (before) expect({ url, counts: rowCounts() }).toEqual({ url, counts: before });
  }
}

test('arbitrary bodies, query strings and ids: never a 5xx, refusals are problem documents and store nothing', async () => {
  for (const operation of operations) {
    for (const as of [admin, ana]) {
      await fc.assert(
        fc.asyncProperty(pathFor(operation), queryFor(operation), bodyFor(operation), async (path, query, body) => {
          const url = query ? `${path}?${query}` : path;
          await expectWellBehaved(operation.method, url, as, operation.method === 'GET' ? undefined : body);
        }),
        { numRuns: RUNS }
      );
    }
  }
});

test('hostile strings round-trip through the API as data', async () => {
  for (const [index, hostile] of HOSTILE_STRINGS.entries()) {
    const email = `hostile${index}@fabrikam.example`;
    const created = await api.call('POST', '/api/v1/contacts', {
      as: ana,
      body: { name: hostile.slice(0, 200), email, company: hostile.slice(0, 200) }
    });
    expect(created.status).toBe(201);
    const read = await api.call('GET', `/api/v1/contacts/${created.body.id}`, { as: ana });
    expect(read.body).toMatchObject({ name: hostile.slice(0, 200).trim(), company: hostile.slice(0, 200) });
    const message = graphMessage(email, ['ana@northwind.example'], { subject: hostile });
    const logged = await api.call('POST', '/api/v1/interactions/log-thread', {
      as: ana,
      body: { messages: [message] }
    });
    expect(logged.status).toBe(200);
    const history = await api.call('GET', `/api/v1/interactions?correspondent=${encodeURIComponent(email)}`, {
      as: ana
    });
    expect(history.body.items.map((i: { subject: string }) => i.subject)).toEqual([hostile]);
    expect(history.body.items[0].contact.name).toBe(hostile.slice(0, 200).trim());
    // Search treats it as text too: SQL-like and LIKE-pattern characters match literally.
    const found = await api.call('GET', `/api/v1/contacts?query=${encodeURIComponent(hostile.slice(0, 30))}`, {
      as: ana
    });
    expect(found.status).toBe(200);
    expect(found.body.items.map((c: { id: string }) => c.id)).toContain(created.body.id);
  }
  // A planted script link is not kept: the entry is logged without a link.
  const planted = await api.call('POST', '/api/v1/interactions/log-thread', {
    as: ana,
    body: {
      messages: [
        graphMessage('lena@fabrikam.example', ['ana@northwind.example'], {
          webLink: 'javascript:alert(document.domain)'
        }),
        graphMessage('lena@fabrikam.example', ['ana@northwind.example'], {
          webLink: 'data:text/html,<script>x</script>'
        })
      ]
    }
  });
  expect(planted.body.logged.map((entry: { webLink: string | null }) => entry.webLink)).toEqual([null, null]);
  const wildcard = await api.call('GET', `/api/v1/contacts?query=${encodeURIComponent('%')}`, { as: ana });
  expect(wildcard.body.items.every((c: { name: string; email: string }) => `${c.name}${c.email}`.includes('%'))).toBe(
    true
  );
});

describe('NUL characters on PostgreSQL', () => {
  let pgApi: TestApi;
  let as: string;
  beforeAll(async () => {
    pgApi = await startTestApi('postgres');
    as = await pgApi.token({ email: 'ana@northwind.example', tenantId: 'tenant-nul' });
    await pgApi.call('POST', '/api/v1/contacts', { as, body: { name: 'Lena', email: 'lena@fabrikam.example' } });
  });
  afterAll(async () => pgApi.close());

  test('are refused with a 400 naming the field, wherever they come; nothing is stored', async () => {
    const message = graphMessage('lena@fabrikam.example', ['ana@northwind.example'], { subject: NUL_STRING });
    const attempts: Array<[string, string, unknown, string]> = [
      ['POST', '/api/v1/contacts', { name: NUL_STRING, email: 'nul@fabrikam.example' }, '#/name'],
      ['POST', '/api/v1/interactions/log-thread', { messages: [message] }, '#/messages/0/subject'],
      ['GET', `/api/v1/contacts?query=${encodeURIComponent(NUL_STRING)}`, undefined, '#/query'],
      ['GET', `/api/v1/interactions/${encodeURIComponent(NUL_STRING)}`, undefined, '#/id']
    ];
    for (const [method, path, body, pointer] of attempts) {
      const response = await pgApi.call(method, path, { as, ...(body === undefined ? {} : { body }) });
      expect({ path, status: response.status, pointer: response.body.errors?.[0]?.pointer }).toEqual({
        path,
        status: 400,
        pointer
      });
    }
    expect((await pgApi.call('GET', '/api/v1/interactions', { as })).body.items).toEqual([]);
  });

  test('automatic logging drops them from subjects instead of failing the message', async () => {
    const { logMessages } = await import('../../../src/server/domain/logging.js');
    await pgApi.server.store.directory.salespersonForUser('tenant-nul', {
      userId: 'x',
      email: 'ana@northwind.example',
      name: 'Ana'
    });
    const result = await logMessages(
      pgApi.server.store,
      'tenant-nul',
      [
        graphMessage('lena@fabrikam.example', ['ana@northwind.example'], {
          subject: NUL_STRING,
          bodyPreview: NUL_STRING
        })
      ],
      { source: 'mailbox', loggedBy: null }
    );
    expect(result.logged.map((entry) => [entry.subject, entry.preview])).toEqual([['beforeafter', 'beforeafter']]);
  });
});
