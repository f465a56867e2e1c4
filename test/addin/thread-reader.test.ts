import { createServer, type Server } from 'node:http';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { createGraphClient, readThread, type GraphConnection } from '../../src/addin/graph/thread.js';
import { graphStandIn } from '../../src/stand-ins/graph/dev-mode.js';
import {
  DEMO_MAILBOX_USER,
  DEMO_MESSAGE_IDS,
  DEMO_SHARED_MAILBOX,
  demoMailbox,
  demoSharedMailbox,
  ewsIdFromRestId,
  type DemoMessage
} from '../../src/stand-ins/demo-mailbox.js';
import type { GraphMessage } from '../../src/shared/schemas/message.js';
import { GraphMetadata } from '../helpers/graph-metadata.js';
import { devTokens } from '../helpers/dev-tokens.js';

/*
 * The pane's thread reader (Microsoft's Graph client with our middleware) against the Graph stand-in over
 * real HTTP on loopback: the stand-in plugin alone in a Fastify app, with the API's dev tokens, the demo
 * mailbox at a fixed "now", and a record of every request it receives.
 */

const NOW = Date.parse('2026-11-22T10:37:00Z');
const graphMetadata = GraphMetadata.load();
const { messages } = demoMailbox(NOW);
const thread = (key: DemoMessage['thread']) => messages.filter((m) => m.thread === key);
const byId = (id: string) => {
  const message = messages.find((m) => m.graph.id === id);
  if (!message) throw new Error(`no demo message ${id}`);
  return message;
};
/** Oldest first, as the reader returns a thread; Graph's (immutable) ids. */
const chronological = (list: DemoMessage[]) =>
  [...list]
    .sort((a, b) => Date.parse(a.graph.receivedDateTime) - Date.parse(b.graph.receivedDateTime))
    .map((m) => m.graph.id);
/** What convertToRestId(itemId, v2_0) gives for an EWS id: '/' → '-', '+' → '_'. */
const convertToRestId = (ewsId: string) => ewsId.replace(/\//g, '-').replace(/\+/g, '_');
/** Graph returns `id` too (the reader asks for it), though the pane's message type does not name it. */
const idsOf = (list: GraphMessage[]) => list.map((m) => (m as GraphMessage & { id?: string }).id);

interface Received {
  method: string;
  url: URL;
  authorization: string | undefined;
  prefer: string | undefined;
  status?: number;
}

let app: FastifyInstance;
let origin: string;
let anaToken: string;
/** A dev token for anyone of the demo tenant. */
let tokenFor: (email: string) => Promise<string>;
const received: Received[] = [];
/** Rewrites the @odata.nextLink of the stand-in's pages, for one test. */
let rewriteNextLink: ((link: string) => string) | null = null;

beforeAll(async () => {
  const { issuer, verifyToken } = await devTokens();
  app = Fastify().withTypeProvider<TypeBoxTypeProvider>();
  app.addHook('onRequest', async (request) => {
    const record: Received = {
      method: request.method,
      url: new URL(request.url, 'http://stand-in'),
      authorization: request.headers.authorization,
      prefer: typeof request.headers.prefer === 'string' ? request.headers.prefer : undefined
    };
    received.push(record);
    (request as unknown as { record: Received }).record = record;
  });
  app.addHook('onResponse', async (request, reply) => {
    (request as unknown as { record: Received }).record.status = reply.statusCode;
  });
  app.addHook('onSend', async (_request, _reply, payload) => {
    if (!rewriteNextLink || typeof payload !== 'string' || !payload.includes('@odata.nextLink')) return payload;
    const page = JSON.parse(payload) as Record<string, unknown>;
    page['@odata.nextLink'] = rewriteNextLink(page['@odata.nextLink'] as string);
    return JSON.stringify(page);
  });
  await app.register(graphStandIn, { prefix: '/graph/v1.0', verifyToken, now: () => NOW });
  await app.listen({ host: '127.0.0.1', port: 0 });
  origin = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  tokenFor = async (email) => (await issuer.issue({ email })).accessToken;
  anaToken = (await issuer.issue({ email: DEMO_MAILBOX_USER.emailAddress, name: DEMO_MAILBOX_USER.displayName }))
    .accessToken;
});
afterAll(async () => app.close());

beforeEach(() => {
  received.length = 0;
  rewriteNextLink = null;
});
afterEach(() => {
  // Every request the reader sent is one Graph's v1.0 metadata defines.
  const requests = received.map(({ method, url }) => ({
    method,
    path: url.pathname.replace(/^\/graph\/v1\.0/, ''),
    query: url.search.slice(1)
  }));
  expect(requests.flatMap((request) => graphMetadata.problemsOf(request))).toEqual([]);
});

/** The pane's client: Graph at the stand-in's root, with Ana's token. */
const connect = (token: () => Promise<string> = async () => anaToken): GraphConnection =>
  createGraphClient(`${origin}/graph`, token);

const listRequests = () => received.filter((r) => r.url.pathname === '/graph/v1.0/me/messages');

test('the client’s root: the configured base URL, absolute, without a trailing slash', () => {
  expect(createGraphClient(`${origin}/graph/`, async () => anaToken).root).toBe(`${origin}/graph`);
});

describe('read mode: from Office’s item id to the whole conversation', () => {
  test('Office’s EWS id, converted as convertToRestId does, finds the message; its thread comes back with immutable ids', async () => {
    const open = byId(DEMO_MESSAGE_IDS.internal);
    // Office's itemId is the EWS form of the regular REST id; Graph cannot read it as it is.
    expect(open.office.itemId).toBe(ewsIdFromRestId(open.restId));
    expect(open.office.itemId).toMatch(/[/+]/);
    const restId = convertToRestId(open.office.itemId);
    expect(restId).toBe(open.restId);

    const read = await readThread(connect(), { restId, officeConversationId: open.office.conversationId });
    expect(idsOf(read)).toEqual(chronological(thread('internal')));
    expect(read[0]).toMatchObject({
      internetMessageId: open.graph.internetMessageId,
      conversationId: open.graph.conversationId,
      subject: open.graph.subject
    });

    // The message by its REST id (its '=' percent-encoded in the path), then the conversation; ids asked for
    // in their immutable form throughout.
    expect(received.map((r) => [r.method, r.url.pathname, r.status])).toEqual([
      ['GET', `/graph/v1.0/me/messages/${encodeURIComponent(restId)}`, 200],
      ['GET', '/graph/v1.0/me/messages', 200]
    ]);
    expect(received[0]?.url.searchParams.get('$select')).toBe('id,conversationId');
    expect(received.every((r) => r.prefer === 'IdType="ImmutableId"')).toBe(true);
    expect(idsOf(read)[0]).toBe(open.graph.id);
    expect(idsOf(read)[0]).not.toBe(open.restId);
  });

  test('an unconverted EWS id is refused by Graph, and the reader says so', async () => {
    const open = byId(DEMO_MESSAGE_IDS.internal);
    await expect(
      readThread(connect(), { restId: open.office.itemId, officeConversationId: open.office.conversationId })
    ).rejects.toMatchObject({ statusCode: 400, code: 'ErrorInvalidIdMalformed' });
  });

  test('Office’s conversation id differs from Graph’s (renewal): Graph’s own is used, the whole thread comes back oldest first', async () => {
    const open = byId(DEMO_MESSAGE_IDS.contactLatest);
    const renewal = thread('renewal');
    expect(open.office.conversationId).not.toBe(open.graph.conversationId);

    const read = await readThread(connect(), {
      restId: convertToRestId(open.office.itemId),
      officeConversationId: open.office.conversationId
    });
    expect(read).toHaveLength(renewal.length);
    expect(idsOf(read)).toEqual(chronological(renewal));
    const dates = read.map((m) => Date.parse(m.receivedDateTime ?? ''));
    expect(dates).toEqual([...dates].sort((a, b) => a - b));
    // The stand-in answers folder by folder, as Exchange does: the order above is the reader's own.
    const listed = listRequests()[0];
    expect(listed?.url.searchParams.get('$filter')).toBe(`conversationId eq '${open.graph.conversationId}'`);
  });

  test('a 60-message thread over two pages of 50: progress 50 then 60, nothing lost or repeated', async () => {
    const open = byId(DEMO_MESSAGE_IDS.longThreadLatest);
    const contract = thread('contract');
    expect(contract).toHaveLength(60);
    const progress = jest.fn();

    const read = await readThread(
      connect(),
      { restId: convertToRestId(open.office.itemId), officeConversationId: open.office.conversationId },
      progress
    );
    expect(progress.mock.calls).toEqual([[50], [60]]);
    expect(read).toHaveLength(60);
    expect(new Set(idsOf(read)).size).toBe(60);
    expect(idsOf(read)).toEqual(chronological(contract));

    const pages = listRequests();
    expect(pages.map((r) => [r.url.searchParams.get('$top'), r.url.searchParams.get('$skip'), r.status])).toEqual([
      ['50', null, 200],
      ['50', '50', 200]
    ]);
    // The second page keeps the query: the same filter and fields, the same id form.
    expect(pages[1]?.url.searchParams.get('$filter')).toBe(pages[0]?.url.searchParams.get('$filter'));
    expect(pages[1]?.url.searchParams.get('$select')).toBe(pages[0]?.url.searchParams.get('$select'));
    expect(pages[1]?.prefer).toBe('IdType="ImmutableId"');
  });

  test('a conversation id with "+" and "/" (pilot) finds its messages: "+" is not read as a space', async () => {
    const open = byId(DEMO_MESSAGE_IDS.encodedConversation);
    expect(open.graph.conversationId).toMatch(/\+/);
    expect(open.graph.conversationId).toMatch(/\//);

    const read = await readThread(connect(), {
      restId: convertToRestId(open.office.itemId),
      officeConversationId: open.office.conversationId
    });
    expect(idsOf(read)).toEqual(chronological(thread('pilot')));
    expect(listRequests()[0]?.url.searchParams.get('$filter')).toBe(`conversationId eq '${open.graph.conversationId}'`);
  });

  test('never asks Graph to sort (InefficientFilter with this filter), nor for more than the pane keeps', async () => {
    const open = byId(DEMO_MESSAGE_IDS.longThreadLatest);
    await readThread(connect(), {
      restId: convertToRestId(open.office.itemId),
      officeConversationId: open.office.conversationId
    });
    expect(received.length).toBeGreaterThan(0);
    for (const request of received) {
      expect(request.url.searchParams.has('$orderby')).toBe(false);
      expect(request.status).toBe(200);
    }
    const fields = listRequests()[0]?.url.searchParams.get('$select')?.split(',');
    expect(fields).toEqual(expect.arrayContaining(['id', 'internetMessageId', 'conversationId', 'receivedDateTime']));
    expect(fields).not.toContain('body');
  });
});

describe('a message in a shared mailbox: read from its owner’s mailbox (issue 21)', () => {
  const shared = demoSharedMailbox(NOW);
  const open = shared.find((m) => m.graph.id === DEMO_MESSAGE_IDS.sharedInquiry) as DemoMessage;
  const source = {
    restId: convertToRestId(open.office.itemId),
    officeConversationId: open.office.conversationId,
    mailbox: DEMO_SHARED_MAILBOX.emailAddress
  };

  test('/users/{owner}/messages, by the message’s REST id then its conversation, as /me is read', async () => {
    const read = await readThread(connect(), source);
    expect(idsOf(read)).toEqual(chronological(shared));
    const owner = `/graph/v1.0/users/${encodeURIComponent(DEMO_SHARED_MAILBOX.emailAddress)}/messages`;
    expect(received.map((r) => [r.method, r.url.pathname, r.status])).toEqual([
      ['GET', `${owner}/${encodeURIComponent(source.restId)}`, 200],
      ['GET', owner, 200]
    ]);
    expect(received.every((r) => r.prefer === 'IdType="ImmutableId"')).toBe(true);
    expect(received[1]?.url.searchParams.get('$orderby')).toBeNull();
  });

  test('a user the owner gave no access: Graph’s 403 ErrorAccessDenied reaches the caller', async () => {
    const mikko = await tokenFor('mikko.virtanen@northwind.example');
    await expect(
      readThread(
        connect(async () => mikko),
        source
      )
    ).rejects.toMatchObject({
      statusCode: 403,
      code: 'ErrorAccessDenied'
    });
  });
});

describe('compose mode: no saved message, only Office’s conversation id', () => {
  test('Office’s conversation id is Graph’s: the thread, without reading a message first', async () => {
    const pilot = thread('pilot');
    const officeConversationId = pilot[0]?.office.conversationId ?? '';
    expect(officeConversationId).toBe(pilot[0]?.graph.conversationId);

    const read = await readThread(connect(), { restId: null, officeConversationId });
    expect(idsOf(read)).toEqual(chronological(pilot));
    expect(received.map((r) => r.url.pathname)).toEqual(['/graph/v1.0/me/messages']);
  });

  test('Office’s conversation id differs from Graph’s (renewal): nothing found, no error', async () => {
    const draft = byId(DEMO_MESSAGE_IDS.composeDraft);
    expect(draft.office.conversationId).not.toBe(draft.graph.conversationId);
    expect(await readThread(connect(), { restId: null, officeConversationId: draft.office.conversationId })).toEqual(
      []
    );
  });

  test('no conversation at all (a new message): nothing read, no request', async () => {
    const progress = jest.fn();
    expect(await readThread(connect(), { restId: null, officeConversationId: null }, progress)).toEqual([]);
    expect(received).toEqual([]);
    expect(progress).not.toHaveBeenCalled();
  });
});

describe('the token', () => {
  test('every request to the configured Graph carries it as a Bearer token, fetched per request', async () => {
    const token = jest.fn(async () => anaToken);
    const open = byId(DEMO_MESSAGE_IDS.longThreadLatest);
    await readThread(connect(token), {
      restId: convertToRestId(open.office.itemId),
      officeConversationId: open.office.conversationId
    });
    expect(received).toHaveLength(3);
    expect(received.map((r) => r.authorization)).toEqual(Array(3).fill(`Bearer ${anaToken}`));
    expect(token).toHaveBeenCalledTimes(3);
  });

  test('Graph’s 401 reaches the caller as an error with status and code', async () => {
    const open = byId(DEMO_MESSAGE_IDS.internal);
    const source = { restId: convertToRestId(open.office.itemId), officeConversationId: open.office.conversationId };
    await expect(
      readThread(
        connect(async () => 'not-a-token'),
        source
      )
    ).rejects.toMatchObject({
      statusCode: 401,
      code: 'InvalidAuthenticationToken'
    });
    // Compose mode too: the list request fails the same way, not as an empty thread.
    await expect(
      readThread(
        connect(async () => `${anaToken.slice(0, -4)}AAAA`),
        { restId: null, officeConversationId: open.graph.conversationId }
      )
    ).rejects.toMatchObject({ statusCode: 401 });
  });

  test('a token that cannot be had fails the read before anything is sent', async () => {
    const open = byId(DEMO_MESSAGE_IDS.internal);
    await expect(
      readThread(
        connect(async () => {
          throw new Error('consent required');
        }),
        { restId: convertToRestId(open.office.itemId), officeConversationId: null }
      )
    ).rejects.toThrow('consent required');
    expect(received).toEqual([]);
  });

  describe('a next page on another origin is refused, and nothing is sent there', () => {
    const realFetch = globalThis.fetch;
    afterEach(() => {
      globalThis.fetch = realFetch;
    });
    /** The long thread: its next page is where each test moves it. */
    const readLongThread = () => {
      const open = byId(DEMO_MESSAGE_IDS.longThreadLatest);
      return readThread(connect(), {
        restId: convertToRestId(open.office.itemId),
        officeConversationId: open.office.conversationId
      });
    };

    test('https', async () => {
      const foreign = 'https://graph.elsewhere.example';
      const sent: string[] = [];
      globalThis.fetch = async (input, init) => {
        const request = new Request(input, init);
        if (new URL(request.url).origin === foreign) sent.push(request.url);
        return realFetch(input, init);
      };
      rewriteNextLink = (link) => link.replace(origin, foreign);
      await expect(readLongThread()).rejects.toThrow(/outside/);
      expect(sent).toEqual([]);
      expect(received.map((r) => r.authorization)).toEqual(Array(2).fill(`Bearer ${anaToken}`));
    });

    test('plain http', async () => {
      let foreignHits = 0;
      const server: Server = createServer((_request, response) => {
        foreignHits++;
        response.writeHead(200, { 'content-type': 'application/json' }).end('{"value":[]}');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const foreign = `http://localhost:${(server.address() as { port: number }).port}`;
        rewriteNextLink = (link) => link.replace(origin, foreign);
        await expect(readLongThread()).rejects.toThrow(/outside/);
        expect(foreignHits).toBe(0);
      } finally {
        await new Promise((resolve) => server.close(resolve));
      }
    });
  });
});
