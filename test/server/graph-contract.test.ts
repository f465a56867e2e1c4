import { createServer } from 'node:http';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { createGraphClient, readMeetingUid, readThread, THREAD_FIELDS } from '../../src/addin/graph/thread.js';
import { graphStandIn } from '../../src/stand-ins/graph/dev-mode.js';
import { INBOX_FIELDS, type MailboxGraph } from '../../src/server/mailbox/graph.js';
import { appOnlyTokenSource } from '../../src/server/mailbox/tokens.js';
import { validateMailboxSetup } from '../../src/server/mailbox/validation.js';
import { DEFAULT_MAILBOX_SETTINGS } from '../../src/server/store/index.js';
import { LOGGED_MESSAGE_FIELDS } from '../../src/shared/graph-fields.js';
import {
  DEMO_MAILBOX_USER,
  DEMO_MESSAGE_IDS,
  demoMailbox,
  GRAPH_MESSAGE_PROPERTIES
} from '../../src/stand-ins/demo-mailbox.js';
import { EVENT_TYPE, FOLDER_TYPE, MESSAGE_TYPE } from '../../src/stand-ins/graph/graph-api.js';
import { isMove, startGraphMailbox, TEST_LIMITS, type GraphMailbox } from '../../src/stand-ins/graph/stand-in.js';
import { GraphMetadata, type GraphRequestRecord } from '../helpers/graph-metadata.js';
import { devTokens } from '../helpers/dev-tokens.js';
import { fromLenaToAna } from '../helpers/messages.js';
import { standInGraph } from '../helpers/stand-in-graph.js';

/*
 * Microsoft's Graph v1.0 metadata is the oracle for every Graph request the product makes: the processor's
 * and the admin checks' (src/server/mailbox/) against the mailbox stand-in, and the pane's thread reader
 * (src/addin/graph/thread.ts) against the dev stand-in, each recorded as the stand-in received it and
 * checked against the CSDL. The stand-ins themselves may offer only what the metadata defines.
 */

const metadata = GraphMetadata.load();
const SHARED = 'interaction-log@northwind.example';
const REFUSALS = 'refusals@northwind.example';
const problemsOf = (requests: GraphRequestRecord[]) => requests.flatMap((r) => metadata.problemsOf(r));

describe('the oracle', () => {
  const get = (path: string, query = '') => metadata.problemsOf({ method: 'GET', path, query });

  test('accepts what Microsoft documents: the folder size as an extended property, a conversation filter', () => {
    expect(
      get(
        '/users/a%40b.example/mailFolders/AAMkAD',
        `$select=totalItemCount&$expand=${encodeURIComponent("singleValueExtendedProperties($filter=id eq 'Long 0x0E08')")}`
      )
    ).toEqual([]);
    expect(get('/me/messages', "$filter=conversationId eq 'AAQk'&$select=id,from,toRecipients&$top=50")).toEqual([]);
    expect(get('/users/x/mailFolders/inbox/messages', "$filter=from/emailAddress/address eq 'a@b'")).toEqual([]);
    expect(
      metadata.problemsOf({
        method: 'POST',
        path: '/users/x/messages/AAkALg/move',
        query: '',
        body: { destinationId: 'AAMk' }
      })
    ).toEqual([]);
  });

  test('refuses what the metadata does not define', () => {
    expect(get('/users/x/mailFolders/inbox', '$select=totalItemCount,sizeInBytes')).toEqual([
      "GET /users/x/mailFolders/inbox?$select=totalItemCount,sizeInBytes: $select: 'sizeInBytes' is not a property of 'mailFolder'"
    ]);
    expect(get('/users/x/mailFolder/inbox')).toHaveLength(1);
    expect(get('/users/x/messages/AAkALg/moveTo')).toHaveLength(1);
    expect(get('/users/x/mailFolders', '$expand=messages')).toEqual([]);
    expect(get('/users/x', '$expand=mailFolders')[0]).toMatch(/cannot be expanded/);
    expect(get('/users/x/mailFolders/inbox', '$expand=extendedProperties')[0]).toMatch(/not a navigation property/);
    expect(get('/users/x/messages', '$filter=isJunk eq true')[0]).toMatch(/'isJunk' is not a property of 'message'/);
    expect(get('/users/x/messages', "$filter=contains(subject,'x')")[0]).toMatch(/cannot read/);
    expect(get('/users/x/messages', '$orderby=size desc')[0]).toMatch(/'size' is not a property/);
    expect(get('/users/x/mailFolders', 'includeHiddenFolders=true')[0]).toMatch(/custom query option/);
    expect(get('/users/x/messages', '$levels=2')[0]).toMatch(/not an OData system query option/);
    expect(
      metadata.problemsOf({ method: 'POST', path: '/users/x/messages/A/move', query: '', body: { folder: 'y' } })
    ).toHaveLength(1);
  });
});

describe('the processor and the admin checks (src/server/mailbox) against Graph v1.0 metadata', () => {
  let standIn: GraphMailbox;
  let graph: MailboxGraph;

  beforeAll(async () => {
    standIn = await startGraphMailbox({ mailboxes: [SHARED], limits: TEST_LIMITS });
    graph = standInGraph(standIn, SHARED, 0);
  });
  afterAll(async () => standIn.close());

  test('what the metadata does not define, the stand-in refuses with 400 as Graph does', async () => {
    const token = await appOnlyTokenSource(standIn.msalConfiguration(), 'https://graph.microsoft.com/.default')();
    // Another mailbox, so that the log of SHARED holds only the product's requests.
    const [message] = standIn.mailbox(REFUSALS).seed([{ subject: 'Refusals' }]);
    const user = `/users/${encodeURIComponent(REFUSALS)}`;
    const undefinedRequests: GraphRequestRecord[] = [
      { method: 'GET', path: `${user}/mailFolders/inbox`, query: '$select=totalItemCount,sizeInBytes' },
      { method: 'GET', path: `${user}/mailFolder/inbox`, query: '' },
      { method: 'GET', path: `${user}/mailFolders/inbox`, query: '$expand=extendedProperties' },
      { method: 'GET', path: `${user}/messages`, query: '$select=subject,isJunk' },
      { method: 'GET', path: `${user}/messages`, query: encodeURIComponent('$filter') + '=isJunk%20eq%20true' },
      { method: 'GET', path: `${user}/messages`, query: '$orderby=size%20desc' },
      { method: 'GET', path: `${user}/messages`, query: '$levels=2' },
      {
        method: 'POST',
        path: `${user}/messages/${message!.immutableId}/moveTo`,
        query: '',
        body: { destinationId: 'inbox' }
      }
    ];
    for (const request of undefinedRequests) {
      expect(metadata.problemsOf(request)).not.toEqual([]);
      const response = await fetch(`${standIn.graphUrl}${request.path}${request.query ? `?${request.query}` : ''}`, {
        method: request.method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        ...(request.body ? { body: JSON.stringify(request.body) } : {})
      });
      const body = (await response.json()) as { error?: { code?: string; message?: string } };
      expect([`${request.method} ${request.path}?${request.query}`, response.status]).toEqual([
        `${request.method} ${request.path}?${request.query}`,
        400
      ]);
      expect(body.error?.message).toEqual(expect.any(String));
    }
  });

  test('every request of every MailboxGraph operation, and of the admin checks, is defined by the metadata', async () => {
    const seeded = standIn.seed(
      SHARED,
      fromLenaToAna(4, (i) => `Contract ${i}`)
    );
    const exercised = new Set<string>();
    const use = <K extends keyof MailboxGraph>(name: K) => {
      exercised.add(name);
      return graph[name];
    };
    const page = await use('inboxPage')(null, 2);
    await graph.inboxPage(page[1]?.receivedDateTime ?? null, 2);
    const archive = (await use('findFolderId')('Archive')) ?? '';
    // Reconciliation lists the processor's folders by id, from a time on.
    await use('folderPage')(archive, page[0]?.receivedDateTime ?? null, 2);
    await use('ensureFolder')('Logged mail');
    await use('getMessage')(seeded[0]!.immutableId);
    await use('inboxCount')();
    await use('folderFigures')('inbox');
    await graph.folderFigures(archive);
    await use('newestReceived')('inbox');
    // Moves: plain, to a well-known folder, one answered 504 after it happened, a whole $batch answered 504.
    const inbox = standIn.mailbox(SHARED).folder('inbox')?.id ?? '';
    await use('move')([{ messageId: seeded[0]!.immutableId, sourceId: inbox, destinationId: archive }]);
    standIn.mailbox(SHARED).moveAnswers504(1);
    await graph.move([{ messageId: seeded[1]!.immutableId, sourceId: 'inbox', destinationId: 'archive' }]);
    standIn.batchAnswers504(1);
    await graph.move([{ messageId: seeded[2]!.immutableId, sourceId: 'inbox', destinationId: archive }]);
    await use('findInFolder')(archive, seeded[0]!.internetMessageId ?? '');
    // Delta: a first round, then a round from its delta link (with one message moved in between).
    let delta = await use('inboxDelta')(null, 1);
    while (delta.nextLink) delta = await graph.inboxDelta(delta.nextLink, 1);
    await graph.move([{ messageId: seeded[3]!.immutableId, sourceId: 'inbox', destinationId: archive }]);
    expect((await graph.inboxDelta(delta.deltaLink, 10)).removed).toEqual([seeded[3]!.immutableId]);
    // Subscriptions: created (the handshake answered by a stand-in endpoint) and renewed.
    const endpoint = createServer((request, response) => {
      const token = new URL(request.url ?? '/', 'http://x').searchParams.get('validationToken') ?? '';
      response.writeHead(200, { 'content-type': 'text/plain' }).end(token);
    });
    await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
    const hook = `http://127.0.0.1:${(endpoint.address() as { port: number }).port}`;
    try {
      const expirationDateTime = new Date(Date.now() + 86_400_000).toISOString();
      const subscription = await use('createSubscription')({
        changeType: 'created',
        notificationUrl: `${hook}/notifications`,
        lifecycleNotificationUrl: `${hook}/lifecycle`,
        resource: `users/${SHARED}/mailFolders('inbox')/messages`,
        expirationDateTime,
        clientState: 'secret'
      });
      await use('renewSubscription')(subscription.id, expirationDateTime);
      expect(await graph.renewSubscription('00000000-0000-0000-0000-000000000000', expirationDateTime)).toBeNull();
    } finally {
      await new Promise((resolve) => endpoint.close(resolve));
    }
    await validateMailboxSetup({
      configured: true,
      settings: { ...DEFAULT_MAILBOX_SETTINGS, mailboxAddress: SHARED },
      token: async () => 'token',
      graph: () => graph,
      directoryProblems: async () => ({
        missing: [],
        invalid: [],
        duplicates: [],
        counts: { missing: 0, invalid: 0, duplicates: 0 }
      }),
      setupValues: { mailboxAddress: SHARED }
    });

    // Nothing of the interface is left out of this test.
    expect([...exercised].sort()).toEqual(
      Object.keys(graph)
        .filter((k) => k !== 'counters')
        .sort()
    );
    const requests = [...standIn.mailbox(SHARED).requests(), ...standIn.subscriptionRequests()];
    expect(requests.some((r) => r.path.endsWith('/messages/delta'))).toBe(true);
    expect(standIn.subscriptionRequests().map((r) => `${r.method} ${r.status}`)).toEqual([
      'POST 201',
      'PATCH 200',
      'PATCH 404'
    ]);
    expect(requests.some((r) => isMove({ service: 'graph', viaBatch: false, ...r }))).toBe(true);
    expect(problemsOf(requests)).toEqual([]);
    expect(requests.some((r) => /\$expand=/.test(decodeURIComponent(r.query)))).toBe(true);
  });
});

describe('the pane’s thread reader (src/addin/graph/thread.ts) against Graph v1.0 metadata', () => {
  let app: FastifyInstance;
  const received: GraphRequestRecord[] = [];

  afterAll(async () => app?.close());

  test('every request of reading a thread, in read and in compose mode, with paging, and a meeting’s iCalUId, is defined by the metadata', async () => {
    const { issuer, verifyToken } = await devTokens();
    const NOW = Date.parse('2026-11-22T10:37:00Z');
    app = Fastify().withTypeProvider<TypeBoxTypeProvider>();
    app.addHook('onRequest', async (request) => {
      const url = new URL(request.url, 'http://stand-in');
      received.push({
        method: request.method,
        path: url.pathname.replace(/^\/graph\/v1\.0/, ''),
        query: url.search.slice(1)
      });
    });
    await app.register(graphStandIn, { prefix: '/graph/v1.0', verifyToken, now: () => NOW });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const origin = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    const token = (await issuer.issue({ email: DEMO_MAILBOX_USER.emailAddress, name: DEMO_MAILBOX_USER.displayName }))
      .accessToken;
    const connection = createGraphClient(`${origin}/graph`, async () => token);
    const open = demoMailbox(NOW).messages.find((m) => m.graph.id === DEMO_MESSAGE_IDS.internal)!;

    expect(
      (await readThread(connection, { restId: open.restId, officeConversationId: open.office.conversationId })).length
    ).toBeGreaterThan(0);
    await readThread(connection, { restId: null, officeConversationId: open.graph.conversationId });
    const [meeting] = demoMailbox(NOW).events;
    expect(await readMeetingUid(connection, meeting!.restId)).toBe(meeting!.graph.iCalUId);
    expect(received.some((r) => r.path.startsWith('/me/events/'))).toBe(true);
    expect(received.length).toBeGreaterThanOrEqual(4);
    expect(problemsOf(received)).toEqual([]);
  });
});

test('the message fields the log keeps, the processor reads and the pane reads are message properties', () => {
  const fields = [...LOGGED_MESSAGE_FIELDS, ...INBOX_FIELDS, ...THREAD_FIELDS];
  expect(fields.flatMap((field) => metadata.propertyPathProblems('message', field))).toEqual([]);
});

describe('the stand-ins offer only what the metadata defines', () => {
  test('the mailbox stand-in: selectable, filterable and sortable properties of messages, folders and events', () => {
    for (const [typeName, type] of [
      ['message', MESSAGE_TYPE],
      ['mailFolder', FOLDER_TYPE],
      ['event', EVENT_TYPE]
    ] as const) {
      const paths = [...type.selectable, ...Object.keys(type.filterable), ...type.sortable];
      expect(paths.flatMap((path) => metadata.propertyPathProblems(typeName, path))).toEqual([]);
      for (const navigation of type.expandable ?? []) expect(metadata.selectable(typeName)).toContain(navigation);
    }
  });

  test('Graph’s default message properties and the ones the stand-in sorts by', () => {
    const paths = [...GRAPH_MESSAGE_PROPERTIES, ...MESSAGE_TYPE.sortable];
    expect(paths.flatMap((path) => metadata.propertyPathProblems('message', path))).toEqual([]);
  });
});
