import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Client, GraphError, PageIterator, type PageCollection } from '@microsoft/microsoft-graph-client';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { generateCertificates } from 'office-addin-dev-certs';
import { graphStandIn } from '../../src/stand-ins/graph/dev-mode.js';
import { validatorCompiler } from '../../src/server/http/validation.js';
import {
  DEMO_MESSAGE_IDS,
  DEMO_SHARED_MAILBOX,
  demoMailbox,
  demoSharedMailbox,
  type DemoMessage
} from '../../src/stand-ins/demo-mailbox.js';
import { DevTokenRequest } from '../../src/shared/schemas/auth.js';
import { devTokens } from '../helpers/dev-tokens.js';
import { GraphMetadata } from '../helpers/graph-metadata.js';

/*
 * The Graph stand-in over real loopback HTTP(S): its answers as raw HTTP, and through Microsoft's own Graph
 * client the way the pane uses it. Real Graph is HTTPS-only, and so is the client's auth middleware (it
 * attaches tokens to https:// URLs only, custom hosts included), so the client runs against the stand-in
 * over HTTPS with a test CA.
 */

const NOW = Date.parse('2026-11-22T10:37:00Z');
const { messages, events } = demoMailbox(NOW);
const metadata = GraphMetadata.load();
const ANA = { email: 'ana.lopez@northwind.example', name: 'Ana López' };
const IMMUTABLE = { prefer: 'IdType="ImmutableId"' };
const thread = (key: DemoMessage['thread']) => messages.filter((m) => m.thread === key);
const byId = (id: string) => messages.find((m) => m.graph.id === id) as DemoMessage;
const filterFor = (conversationId: string) =>
  `$filter=${encodeURIComponent(`conversationId eq '${conversationId.replace(/'/g, "''")}'`)}`;

interface StandIn {
  url: string;
  token(request: DevTokenRequest): Promise<string>;
  close(): Promise<void>;
}

/** Just the plugin at /graph/v1.0, with dev tokens from POST /api/v1/dev/token as the API issues them. */
async function startStandIn(
  host: string,
  https?: { key: Buffer; cert: Buffer },
  fetchFn: typeof fetch = fetch
): Promise<StandIn> {
  const { issuer, verifyToken } = await devTokens();
  const app = Fastify({ ...(https ? { https } : {}) } as FastifyServerOptions).withTypeProvider<TypeBoxTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.post('/api/v1/dev/token', { schema: { body: DevTokenRequest } }, async (request) => issuer.issue(request.body));
  await app.register(graphStandIn, { prefix: '/graph/v1.0', verifyToken, now: () => NOW });
  await app.listen({ host, port: 0 });
  const { port } = app.server.address() as { port: number };
  const url = `${https ? 'https' : 'http'}://${host}:${port}`;
  return {
    url,
    async token(request) {
      const response = await fetchFn(`${url}/api/v1/dev/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request)
      });
      return ((await response.json()) as { accessToken: string }).accessToken;
    },
    close: () => app.close()
  };
}

describe('over HTTP, as raw requests', () => {
  let standIn: StandIn;
  let ana: string;
  let mikko: string;
  beforeAll(async () => {
    standIn = await startStandIn('127.0.0.1');
    ana = await standIn.token(ANA);
    mikko = await standIn.token({ email: 'mikko.virtanen@northwind.example' });
  });
  afterAll(async () => standIn.close());

  async function get(path: string, token: string | null = ana, headers: Record<string, string> = {}) {
    const response = await fetch(`${standIn.url}/graph/v1.0${path}`, {
      headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) }
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever Graph answered
    return { status: response.status, headers: response.headers, body: (await response.json()) as any };
  }
  const list = async (query: string, headers: Record<string, string> = IMMUTABLE) =>
    get(`/me/messages?${query}`, ana, headers);

  test('a request without a valid token gets 401 InvalidAuthenticationToken in Graph’s error shape', async () => {
    const none = await get('/me/messages', null, { 'client-request-id': 'abc-123' });
    expect(none.status).toBe(401);
    expect(none.body).toEqual({
      error: {
        code: 'InvalidAuthenticationToken',
        message: 'Access token is empty.',
        innerError: { date: expect.any(String), 'request-id': expect.any(String), 'client-request-id': 'abc-123' }
      }
    });
    expect(none.headers.get('request-id')).toBe(none.body.error.innerError['request-id']);
    expect(none.headers.get('client-request-id')).toBe('abc-123');
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer realm=""/);
    const forged = await get('/me/messages', `${ana.slice(0, -4)}AAAA`);
    expect(forged.status).toBe(401);
    expect(forged.body.error).toMatchObject({
      code: 'InvalidAuthenticationToken',
      message: 'Access token validation failure.'
    });
  });

  test('GET /me/messages/{id} with $select answers those properties, id, @odata.etag and @odata.context', async () => {
    const message = byId(DEMO_MESSAGE_IDS.contactLatest);
    const response = await get(`/me/messages/${message.graph.id}?$select=subject,conversationId`, ana, IMMUTABLE);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json; odata\.metadata=minimal/);
    expect(response.headers.get('preference-applied')).toBe('IdType="ImmutableId"');
    expect(response.body).toEqual({
      '@odata.context': expect.stringMatching(
        new RegExp(
          `^${standIn.url.replace(/\./g, '\\.')}/graph/v1\\.0/\\$metadata#users\\('[0-9a-f-]{36}'\\)/messages\\(subject,conversationId\\)/\\$entity$`
        )
      ),
      '@odata.etag': `W/"${message.graph.changeKey}"`,
      id: message.graph.id,
      subject: 'RE: Pricing for the 2027 renewal',
      conversationId: message.graph.conversationId
    });
  });

  test('ids come back immutable only when asked; either form of an id finds the message', async () => {
    const message = byId(DEMO_MESSAGE_IDS.newLead);
    const full = await get(`/me/messages/${message.restId}`, ana, IMMUTABLE);
    expect(full.status).toBe(200);
    const { '@odata.context': context, '@odata.etag': etag, ...properties } = full.body;
    expect(context).toMatch(/\/messages\/\$entity$/);
    expect(etag).toBe(`W/"${message.graph.changeKey}"`);
    expect(properties).toEqual(message.graph);
    expect(metadata.valueProblems('message', full.body)).toEqual([]);

    const regular = await get(`/me/messages/${message.graph.id}?$select=id`);
    expect(regular.body.id).toBe(message.restId);
    expect(regular.headers.get('preference-applied')).toBeNull();
    const among = await get(`/me/messages/${message.graph.id}?$select=id`, ana, {
      prefer: 'outlook.body-content-type="text", IdType="ImmutableId"'
    });
    expect(among.body.id).toBe(message.graph.id);
  });

  test('unknown, malformed (EWS-format) and other people’s ids, and unknown properties, fail as in Graph', async () => {
    const message = byId(DEMO_MESSAGE_IDS.contactLatest);
    const unknown = await get(`/me/messages/${message.graph.id.slice(0, -4)}AAAA`);
    expect([unknown.status, unknown.body.error.code, unknown.body.error.message]).toEqual([
      404,
      'ErrorItemNotFound',
      'The specified object was not found in the store.'
    ]);
    const ews = await get(`/me/messages/${encodeURIComponent(message.office.itemId)}`);
    expect([ews.status, ews.body.error.code]).toEqual([400, 'ErrorInvalidIdMalformed']);
    const notMine = await get(`/me/messages/${message.graph.id}`, mikko);
    expect(notMine.status).toBe(404);
    const property = await get(`/me/messages/${message.graph.id}?$select=subject,sizeInBytes`);
    expect(property.status).toBe(400);
    expect(property.body.error).toMatchObject({
      code: 'RequestBroker--ParseUri',
      message: "Could not find a property named 'sizeInBytes' on type 'microsoft.graph.message'."
    });
  });

  test('GET /me/events/{id}: a demo meeting as Graph’s event type has it, without the body (Calendars.ReadBasic)', async () => {
    expect(events.map((e) => e.key)).toEqual(['renewal-review', 'pilot-results']);
    for (const event of events) {
      const path = `/me/events/${event.restId}`;
      expect(metadata.problemsOf({ method: 'GET', path, query: '' })).toEqual([]);
      const response = await get(path, ana, IMMUTABLE);
      expect(response.status).toBe(200);
      const { '@odata.context': context, '@odata.etag': etag, ...properties } = response.body;
      expect(context).toMatch(/\/\$metadata#users\('[0-9a-f-]{36}'\)\/events\/\$entity$/);
      expect(etag).toBe(`W/"${event.graph.changeKey}"`);
      // Microsoft's metadata is the oracle of the answer: every property and value is the event type's.
      expect(metadata.valueProblems('event', response.body)).toEqual([]);
      const { body: _body, bodyPreview: _preview, ...basic } = event.graph;
      expect(properties).toEqual(basic);
      expect(
        properties.attendees.some(
          (a: { emailAddress: { address: string } }) => !a.emailAddress.address.endsWith('@northwind.example')
        )
      ).toBe(true);
    }
    // The oracle catches what Graph's event type does not allow.
    const served = (await get(`/me/events/${events[0]!.restId}`)).body;
    expect(
      metadata.valueProblems('event', { ...served, showAs: 'away', attendees: [{ type: 'guest' }], size: 1 })
    ).toEqual([
      'event/showAs: "away" is not one of freeBusyStatus\'s members (unknown, free, tentative, busy, oof, workingElsewhere)',
      'event/attendees/0/type: "guest" is not one of attendeeType\'s members (required, optional, resource)',
      "event/size: not a property of 'event'"
    ]);
  });

  test('an event by either id form, with $select; others’ calendars, bad ids and unknown properties fail as in Graph', async () => {
    const [event] = events;
    const selected = await get(`/me/events/${event!.graph.id}?$select=iCalUId,subject`);
    expect(selected.status).toBe(200);
    expect(selected.body).toEqual({
      '@odata.context': expect.stringMatching(/\/events\(iCalUId,subject\)\/\$entity$/),
      '@odata.etag': `W/"${event!.graph.changeKey}"`,
      id: event!.restId,
      iCalUId: event!.graph.iCalUId,
      subject: event!.graph.subject
    });
    expect(metadata.valueProblems('event', selected.body)).toEqual([]);
    // Calendars.ReadBasic: asking for the body does not give it.
    expect((await get(`/me/events/${event!.restId}?$select=body,subject`)).body).not.toHaveProperty('body');
    expect((await get(`/me/events/${event!.restId}`, mikko)).status).toBe(404);
    expect((await get(`/me/events/${encodeURIComponent(event!.office.itemId)}`)).body.error.code).toBe(
      'ErrorInvalidIdMalformed'
    );
    expect((await get(`/me/events/${event!.restId}?$select=iCalUId,uid`)).status).toBe(400);
    expect((await get(`/me/events/${event!.restId}?$top=1`)).status).toBe(400);
    expect((await get('/me/events')).status).toBe(400);
  });

  test('$filter=conversationId eq ... returns the whole thread (draft included), in no particular order', async () => {
    const renewal = thread('renewal');
    const response = await list(`${filterFor(renewal[0]?.graph.conversationId ?? '')}&$select=id,receivedDateTime`);
    expect(response.status).toBe(200);
    expect(response.body['@odata.context']).toMatch(/\/messages\(id,receivedDateTime\)$/);
    const ids = response.body.value.map((m: { id: string }) => m.id);
    expect(new Set(ids)).toEqual(new Set(renewal.map((m) => m.graph.id)));
    const dates = response.body.value.map((m: { receivedDateTime: string }) => m.receivedDateTime);
    expect(dates).not.toEqual([...dates].sort());
    expect(dates).not.toEqual([...dates].sort().reverse());
    expect(response.body['@odata.nextLink']).toBeUndefined();

    // Office's conversation id of this thread is not Graph's: it finds nothing.
    const office = await list(filterFor(renewal[0]?.office.conversationId ?? ''));
    expect(office.body.value).toEqual([]);
    // OData quoting: '' is a quote inside the literal.
    const quoted = await list(filterFor("it's"));
    expect([quoted.status, quoted.body.value]).toEqual([200, []]);
  });

  test('a conversation id with "+" must be percent-encoded: unencoded, "+" reads as a space', async () => {
    const pilot = thread('pilot');
    const id = pilot[0]?.graph.conversationId ?? '';
    expect(id).toContain('+');
    expect((await list(filterFor(id))).body.value).toHaveLength(3);
    const raw = await list(`$filter=conversationId eq '${id}'`);
    expect([raw.status, raw.body.value]).toEqual([200, []]);
  });

  test('$orderby with the conversationId filter is InefficientFilter; other filters and bad options are refused', async () => {
    const id = thread('security')[0]?.graph.conversationId ?? '';
    const ordered = await list(`${filterFor(id)}&$orderby=receivedDateTime desc`);
    expect(ordered.status).toBe(400);
    expect(ordered.body.error).toMatchObject({
      code: 'InefficientFilter',
      message: 'The restriction or sort order is too complex for this operation.'
    });
    const other = await list(`$filter=${encodeURIComponent("contains(subject,'x')")}`);
    expect([other.status, other.body.error.code]).toEqual([400, 'BadRequest']);
    const top = await list('$top=ten');
    expect([top.status, top.body.error.code]).toEqual([400, 'BadRequest']);
    const twice = await list('$select=id&$select=subject');
    expect([twice.status, twice.body.error.code]).toEqual([400, 'BadRequest']);
    const expand = await list('$expand=attachments');
    expect([expand.status, expand.body.error.code]).toEqual([400, 'BadRequest']);
  });

  test('no query option is silently ignored: what the stand-in does not implement is 400, on one message too', async () => {
    const id = thread('security')[0]?.graph.id ?? '';
    for (const response of [
      await list('$levels=2'),
      await get(`/me/messages/${id}?$expand=attachments`),
      await get(`/me/messages/${id}?$top=1`),
      await get(`/me/messages/${id}?$filter=${encodeURIComponent("subject eq 'x'")}`)
    ]) {
      expect([response.status, response.body.error?.code]).toEqual([400, 'BadRequest']);
    }
  });

  test('without a filter: newest first by default, $orderby allowed, 10 per page, at most 1000', async () => {
    const first = await list('$select=receivedDateTime');
    expect(first.body.value).toHaveLength(10);
    const dates = first.body.value.map((m: { receivedDateTime: string }) => m.receivedDateTime);
    expect(dates).toEqual([...dates].sort().reverse());
    const oldest = await list('$select=receivedDateTime&$orderby=receivedDateTime asc&$top=1');
    expect(oldest.body.value[0].receivedDateTime).toBe([...messages].map((m) => m.graph.receivedDateTime).sort()[0]);
    const all = await list('$select=id&$top=5000');
    expect(all.body.value).toHaveLength(messages.length);
    expect(all.body['@odata.nextLink']).toBeUndefined();
  });

  test('pages through a 60-message thread with an absolute @odata.nextLink that keeps the query', async () => {
    const contract = thread('contract');
    const seen: string[] = [];
    let next: string | undefined =
      `${standIn.url}/graph/v1.0/me/messages?${filterFor(contract[0]?.graph.conversationId ?? '')}&$select=id,subject&$top=25`;
    const links: string[] = [];
    while (next) {
      const response = await fetch(next, { headers: { authorization: `Bearer ${ana}`, ...IMMUTABLE } });
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- Graph's page
      const page = (await response.json()) as any;
      seen.push(...page.value.map((m: { id: string }) => m.id));
      next = page['@odata.nextLink'];
      if (next) links.push(next);
    }
    expect(seen).toHaveLength(60);
    expect(new Set(seen)).toEqual(new Set(contract.map((m) => m.graph.id)));
    expect(links).toHaveLength(2);
    expect(links[0]).toMatch(new RegExp(`^${standIn.url.replace(/\./g, '\\.')}/graph/v1\\.0/me/messages\\?`));
    const params = new URL(links[0] ?? '').searchParams;
    expect(params.get('$skip')).toBe('25');
    expect(params.get('$top')).toBe('25');
    expect(params.get('$select')).toBe('id,subject');
    expect(params.get('$filter')).toBe(`conversationId eq '${contract[0]?.graph.conversationId ?? ''}'`);
  });

  test('anyone but the demo user has an empty mailbox', async () => {
    const response = await get('/me/messages', mikko);
    expect([response.status, response.body.value]).toEqual([200, []]);
  });

  test("the team's shared mailbox: its delegate reads it as /users/{address}, anyone else gets 403 ErrorAccessDenied", async () => {
    const shared = demoSharedMailbox(NOW);
    const latest = shared.find((m) => m.graph.id === DEMO_MESSAGE_IDS.sharedInquiry) as DemoMessage;
    const path = `/users/${encodeURIComponent(DEMO_SHARED_MAILBOX.emailAddress)}/messages`;
    const one = await get(`${path}/${encodeURIComponent(latest.restId)}?$select=id,conversationId`, ana, IMMUTABLE);
    expect([one.status, one.body.id, one.body.conversationId]).toEqual([
      200,
      latest.graph.id,
      latest.graph.conversationId
    ]);
    const conversation = await get(`${path}?${filterFor(latest.graph.conversationId)}&$select=id`, ana, IMMUTABLE);
    expect(conversation.status).toBe(200);
    expect(conversation.body.value.map((m: { id: string }) => m.id).sort()).toEqual(
      shared.map((m) => m.graph.id).sort()
    );
    // The shared mailbox's messages are not in Ana's own.
    expect((await get(`/me/messages/${encodeURIComponent(latest.restId)}`)).status).toBe(404);

    const refused = await get(path, mikko);
    expect([refused.status, refused.body.error.code]).toEqual([403, 'ErrorAccessDenied']);
    // Ana's address in another tenant is someone else: no access either.
    const namesake = await standIn.token({ ...ANA, tenantId: '0a0b0c0d-1111-4222-8333-444455556666' });
    expect((await get(path, namesake)).body.error?.code).toBe('ErrorAccessDenied');
    // Nor is anyone's own mailbox open to a colleague.
    const anaId = (await get('/me/messages?$top=1')).body['@odata.context'].match(/users\('([^']+)'\)/)[1];
    expect((await get(`/users/${anaId}/messages`, mikko)).body.error?.code).toBe('ErrorAccessDenied');
  });

  test('unknown paths and methods answer as Graph does', async () => {
    const folder = await get('/me/calendar/events');
    expect(folder.status).toBe(400);
    expect(folder.body.error).toMatchObject({
      code: 'BadRequest',
      message: "Resource not found for the segment 'calendar'."
    });
    const post = await fetch(`${standIn.url}/graph/v1.0/me/messages`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ana}`, 'content-type': 'application/json' },
      body: '{}'
    });
    expect(post.status).toBe(405);
  });
});

/** fetch over node:https trusting one CA: Node's own fetch cannot be given a CA without a new dependency. */
function fetchTrusting(ca: string): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
    return new Promise<Response>((resolve, reject) => {
      const outgoing = httpsRequest(
        request.url,
        { method: request.method, headers: Object.fromEntries(request.headers), ca },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('end', () => {
            const headers = new Headers();
            for (const [name, value] of Object.entries(incoming.headers)) {
              for (const one of Array.isArray(value) ? value : [value ?? '']) headers.append(name, one);
            }
            const status = incoming.statusCode ?? 500;
            resolve(new Response([204, 304].includes(status) ? null : Buffer.concat(chunks), { status, headers }));
          });
        }
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  };
}

describe('through @microsoft/microsoft-graph-client, as the pane reads a thread', () => {
  let dir: string;
  let standIn: StandIn;
  let client: Client;
  const realFetch = globalThis.fetch;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'graph-stand-in-'));
    const paths = { ca: join(dir, 'ca.crt'), cert: join(dir, 'localhost.crt'), key: join(dir, 'localhost.key') };
    await generateCertificates(paths.ca, paths.cert, paths.key, 1);
    globalThis.fetch = fetchTrusting(readFileSync(paths.ca, 'utf8'));
    standIn = await startStandIn('localhost', { key: readFileSync(paths.key), cert: readFileSync(paths.cert) });
    client = Client.init({
      baseUrl: `${standIn.url}/graph`, // the client appends the version, then the path
      defaultVersion: 'v1.0',
      customHosts: new Set(['localhost']),
      authProvider: (done) => {
        standIn.token(ANA).then(
          (token) => done(null, token),
          (error: unknown) => done(error, null)
        );
      }
    });
  });
  afterAll(async () => {
    globalThis.fetch = realFetch;
    await standIn.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('from Office’s EWS item id to every message of the conversation, page by page', async () => {
    const open = byId(DEMO_MESSAGE_IDS.longThreadLatest);
    // What the pane holds: Office's EWS id, converted as convertToRestId does.
    const restId = open.office.itemId.replace(/\//g, '-').replace(/\+/g, '_');
    const message = (await client
      .api(`/me/messages/${encodeURIComponent(restId)}`)
      .header('Prefer', IMMUTABLE.prefer)
      .select(['id', 'conversationId'])
      .get()) as { id: string; conversationId: string };
    expect(message).toMatchObject({ id: open.graph.id, conversationId: open.graph.conversationId });

    const first = (await client
      .api('/me/messages')
      .header('Prefer', IMMUTABLE.prefer)
      .filter(encodeURIComponent(`conversationId eq '${message.conversationId}'`))
      .select(['id', 'internetMessageId', 'receivedDateTime'])
      .top(25)
      .get()) as PageCollection;
    const read: string[] = [];
    await new PageIterator(
      client,
      first,
      (item: { internetMessageId: string }) => {
        read.push(item.internetMessageId);
        return true;
      },
      { headers: { Prefer: IMMUTABLE.prefer } }
    ).iterate();
    expect(read).toHaveLength(60);
    expect(new Set(read)).toEqual(new Set(thread('contract').map((m) => m.graph.internetMessageId)));
  });

  test('a filter the client sends unencoded loses the "+" of a conversation id', async () => {
    const id = thread('pilot')[0]?.graph.conversationId ?? '';
    const raw = (await client.api('/me/messages').filter(`conversationId eq '${id}'`).get()) as PageCollection;
    expect(raw.value).toEqual([]);
    const encoded = (await client
      .api('/me/messages')
      .filter(encodeURIComponent(`conversationId eq '${id}'`))
      .get()) as PageCollection;
    expect(encoded.value).toHaveLength(3);
  });

  test('Graph errors reach the caller as GraphError with status and code', async () => {
    const id = thread('renewal')[0]?.graph.conversationId ?? '';
    const ordered = client
      .api('/me/messages')
      .filter(encodeURIComponent(`conversationId eq '${id}'`))
      .orderby('receivedDateTime desc')
      .get();
    await expect(ordered).rejects.toBeInstanceOf(GraphError);
    await expect(ordered).rejects.toMatchObject({ statusCode: 400, code: 'InefficientFilter' });
    await expect(
      client.api(`/me/messages/AAkALgAAAAAAHYQDEapmEc2byACqAC-EWg0A${'A'.repeat(44)}nope`).get()
    ).rejects.toMatchObject({
      statusCode: 404,
      code: 'ErrorItemNotFound'
    });
  });

  test('over plain HTTP the client attaches no token, custom host or not, and Graph answers 401', async () => {
    const plain = await startStandIn('127.0.0.1', undefined, realFetch);
    globalThis.fetch = realFetch;
    try {
      const token = await plain.token(ANA);
      const httpClient = Client.init({
        baseUrl: `${plain.url}/graph`,
        customHosts: new Set(['127.0.0.1']),
        authProvider: (done) => done(null, token)
      });
      await expect(httpClient.api('/me/messages').get()).rejects.toMatchObject({
        statusCode: 401,
        code: 'InvalidAuthenticationToken'
      });
    } finally {
      globalThis.fetch = fetchTrusting(readFileSync(join(dir, 'ca.crt'), 'utf8'));
      await plain.close();
    }
  });
});
