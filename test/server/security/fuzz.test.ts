import Database from 'better-sqlite3';
import fc from 'fast-check';
import pg from 'pg';
import { startTestApi, type TestApi } from '../../helpers/api.js';
import { HOSTILE_STRINGS, NUL_STRING } from '../../helpers/hostile.js';
import { graphMessage } from '../../helpers/messages.js';
import { ENGINES, POSTGRES_URL, type EngineName } from '../../helpers/stores.js';

/*
 * Property-based: arbitrary bodies, query strings (forged cursors and odd dates among them) and path ids against
 * every route of the OpenAPI document, as an admin and as a salesperson, on both engines. Always a success or a
 * 4xx problem document, never a 5xx, and nothing stored when a request is refused (every table's row count
 * before and after). Then hostile strings round-trip through the API as data.
 */

const RUNS = 12;
const tenantId = 'tenant-fuzz';

interface Operation {
  method: string;
  path: string;
  queryNames: string[];
  bodyNames: string[];
}

/** Row counts of every table of a store, to see that a refused request stored nothing. */
interface TableCounter {
  counts(): Promise<Record<string, number>>;
  close(): Promise<void>;
}

function sqliteCounter(file: string): TableCounter {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  return {
    async counts() {
      const tables = db
        .prepare(
          "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like 'kysely_%'"
        )
        .pluck()
        .all() as string[];
      return Object.fromEntries(
        tables.map((table) => [table, db.prepare(`select count(*) from "${table}"`).pluck().get() as number])
      );
    },
    async close() {
      db.close();
    }
  };
}

async function postgresCounter(schema: string): Promise<TableCounter> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  const tables = await client.query<{ table_name: string }>(
    "select table_name from information_schema.tables where table_schema = $1 and table_name not like 'kysely_%'",
    [schema]
  );
  // One statement for every table's count.
  const countAll = tables.rows
    .map(({ table_name: table }) => `select '${table}' as name, count(*) as n from "${schema}"."${table}"`)
    .join(' union all ');
  return {
    async counts() {
      const result = await client.query<{ name: string; n: string }>(countAll);
      return Object.fromEntries(result.rows.map((row) => [row.name, Number(row.n)]));
    },
    close: () => client.end()
  };
}

const counterFor = (engine: EngineName, api: TestApi): Promise<TableCounter> =>
  engine === 'sqlite' ? Promise.resolve(sqliteCounter(api.testStore.url)) : postgresCounter(api.testStore.pgSchema!);

/** Cursors as a client could forge them: any JSON (numbers beyond every integer type among them), base64url. */
const forgedCursor = fc
  .oneof(
    fc.tuple(
      fc.oneof(fc.double(), fc.constantFrom(0.5, 1e300, -1e300, 9.3e18, -9.3e18, 2 ** 63, 1e21), fc.string()),
      fc.oneof(fc.string(), fc.integer())
    ),
    fc.constantFrom<unknown[]>([0.5, 'x'], [1e300, 'x'], [9.3e18, 'x'], [1, 'nul\u0000'], ['\u0000', 'x'], [1]),
    fc.jsonValue()
  )
  .map((value) => Buffer.from(JSON.stringify(value) ?? 'null').toString('base64url'));

/** Date-times at the edges of what RFC 3339 and JavaScript accept. */
const oddDate = fc.oneof(
  fc.constantFrom(
    '2016-12-31T23:59:60Z',
    '2016-12-31T23:59:60.999+00:00',
    '1990-12-31T15:59:60-08:00',
    '0000-01-01T00:00:00Z',
    '9999-12-31T23:59:59.999Z',
    '2026-02-30T00:00:00Z',
    '2026-12-06T24:00:00Z',
    '2026-12-06T09:00:00+14:00',
    '2026-12-06t09:00:00z',
    '2026-12-06T09:00:00.123456789Z'
  ),
  fc.date({ noInvalidDate: true }).map((d) => d.toISOString())
);

describe.each(ENGINES)('route fuzzing on %s', (engine) => {
  let api: TestApi;
  let admin: string;
  let ana: string;
  let counter: TableCounter;
  let operations: Operation[] = [];
  const knownIds: string[] = [];

  beforeAll(async () => {
    api = await startTestApi(engine, {
      env: {
        RATE_LIMIT_USER_PER_MINUTE: '100000000',
        RATE_LIMIT_TENANT_PER_MINUTE: '100000000'
      }
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
    counter = await counterFor(engine, api);
  });
  afterAll(async () => {
    await counter?.close();
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
    fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
    oddDate,
    forgedCursor
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
          fc.oneof(
            fc.constantFrom(...operation.queryNames, 'limit', 'cursor', 'from', 'to', 'x'),
            fc.string({ maxLength: 8 })
          ),
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
    const before = method === 'GET' ? null : await counter.counts();
    const response = await api.call(method, url, { as, ...(body === undefined ? {} : { body }) });
    expect({ url, status: response.status < 500 }).toEqual({ url, status: true });
    if (response.status >= 400) {
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({ status: response.status, title: expect.any(String) });
      expect(typeof response.body.detail).toBe('string');
      if (before) expect({ url, counts: await counter.counts() }).toEqual({ url, counts: before });
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

  test('forged cursors and odd dates on every route that takes them: never a 5xx', async () => {
    const cursorOf = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const paged = operations.filter(
      (o) => o.method === 'GET' && (o.queryNames.includes('cursor') || o.queryNames.includes('from'))
    );
    expect(paged.length).toBeGreaterThanOrEqual(6);
    for (const operation of paged) {
      for (const as of [admin, ana]) {
        await fc.assert(
          fc.asyncProperty(
            fc.option(forgedCursor, { nil: undefined }),
            fc.option(oddDate, { nil: undefined }),
            fc.option(oddDate, { nil: undefined }),
            async (cursor, from, to) => {
              const params = new URLSearchParams();
              if (cursor !== undefined && operation.queryNames.includes('cursor')) params.set('cursor', cursor);
              if (from !== undefined && operation.queryNames.includes('from')) params.set('from', from);
              if (to !== undefined && operation.queryNames.includes('to')) params.set('to', to);
              await expectWellBehaved('GET', `${operation.path}?${params.toString()}`, as);
            }
          ),
          {
            numRuns: RUNS,
            // The inputs that once answered 500, tried every time.
            examples: [
              [cursorOf([0.5, 'x']), '2016-12-31T23:59:60Z', undefined],
              [cursorOf([1e300, 'x']), undefined, '2016-12-31T23:59:60Z'],
              [cursorOf([9.3e18, 'x']), undefined, undefined]
            ]
          }
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
    const { logThread } = await import('../../../src/server/usecases/log-messages.js');
    await pgApi.server.store.directory.salespersonForUser('tenant-nul', {
      userId: 'x',
      email: 'ana@northwind.example',
      name: 'Ana'
    });
    const result = await logThread(
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
