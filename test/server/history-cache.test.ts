import { get as httpGet, type IncomingHttpHeaders } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { OTHER_WRITERS_LAG_MS } from '../../src/server/store/index.js';
import { JsonBody, ResponseCache } from '../../src/server/http/response-cache.js';
import { newId } from '../../src/server/store/ids.js';
import { startTestApi, type TestApi } from '../helpers/api.js';
import { graphMessage } from '../helpers/messages.js';

/*
 * The contact history is served from a cache of serialized pages on the embedded store. It must never
 * answer with a page older than the last write, whoever wrote it: this process, or another one on the file.
 */

/** A clock a test moves by hand: `change(tag)` is a write to that tag; `down` is a lost listener. */
function handClock() {
  let seq = 0;
  const changed = new Map<string, number>();
  const clock = {
    down: false,
    now: () => (clock.down ? null : seq),
    changedAt: (tag: string) => changed.get(tag) ?? 0,
    change(tag: string) {
      seq += 1;
      changed.set(tag, seq);
    },
    caughtUp: async () => undefined,
    close: async () => undefined
  };
  return clock;
}

describe('ResponseCache', () => {
  const body = (content: string, tags: string[] = ['t']) => new JsonBody(Buffer.from(content), tags);
  const text = (kept: JsonBody) => kept.identity.toString();

  test('answers from memory while its tags do not change, and reads again when one does', async () => {
    const clock = handClock();
    let reads = 0;
    const cache = new ResponseCache({ maxBytes: 1024, clock });
    const produce = async () => body(`read ${++reads}`, ['t', 'contact-a']);
    expect(text(await cache.serve('k', produce))).toBe('read 1');
    expect(text(await cache.serve('k', produce))).toBe('read 1');
    expect(text(await cache.serve('other', async () => body(`read ${++reads}`, ['t', 'contact-b'])))).toBe('read 2');
    clock.change('contact-b');
    expect(text(await cache.serve('k', produce))).toBe('read 1');
    clock.change('contact-a');
    expect(text(await cache.serve('k', produce))).toBe('read 3');
    expect(cache.counts).toEqual({ hits: 2, misses: 3 });
  });

  test('does not keep what was read while one of its tags changed', async () => {
    const clock = handClock();
    let reads = 0;
    const cache = new ResponseCache({ maxBytes: 1024, clock });
    const racing = async () => {
      reads += 1;
      clock.change('t');
      return body(`read ${reads}`);
    };
    await cache.serve('k', racing);
    expect(cache.size).toBe(0);
    expect(text(await cache.serve('k', async () => body('fresh')))).toBe('fresh');
    expect(text(await cache.serve('k', async () => body('not asked')))).toBe('fresh');
  });

  test('keeps and serves nothing while the clock cannot vouch, or with a budget of 0', async () => {
    const down = handClock();
    const cache = new ResponseCache({ maxBytes: 1024, clock: down });
    await cache.serve('k', async () => body('before'));
    down.down = true;
    expect(text(await cache.serve('k', async () => body('while down')))).toBe('while down');
    expect(cache.peek('k')).toBeUndefined();
    down.down = false;
    expect(text(await cache.serve('k', async () => body('not asked')))).toBe('before');

    const off = new ResponseCache({ maxBytes: 0, clock: handClock() });
    let reads = 0;
    await off.serve('k', async () => body(`read ${++reads}`));
    expect(text(await off.serve('k', async () => body(`read ${++reads}`)))).toBe('read 2');
  });

  test('stays within its byte budget, dropping the least recently used', async () => {
    const cache = new ResponseCache({ maxBytes: 200, clock: handClock() });
    // 30 bytes of zeros gzip to 23: each entry weighs 30 + 23 + 2 (its key), so 200 bytes hold three.
    for (const key of ['k1', 'k2', 'k3', 'k4']) await cache.serve(key, async () => new JsonBody(Buffer.alloc(30)));
    expect(cache.size).toBe(3);
    let reread = false;
    await cache.serve('k1', async () => {
      reread = true;
      return new JsonBody(Buffer.alloc(30));
    });
    expect(reread).toBe(true);
  });
});

describe('GET /api/v1/interactions with the cache on the embedded store', () => {
  let api: TestApi;
  let ana: string;
  const tenantId = 'tenant-history-cache';
  const history = (as: string) => api.call('GET', '/api/v1/interactions?correspondent=lena@fabrikam.example', { as });

  beforeAll(async () => {
    api = await startTestApi('sqlite');
    ana = await api.token({ email: 'ana@northwind.example', name: 'Ana López', tenantId });
    await api.call('GET', '/api/v1/me', { as: ana });
    const created = await api.call('POST', '/api/v1/contacts', {
      as: ana,
      body: { name: 'Lena', email: 'lena@fabrikam.example' }
    });
    expect(created.status).toBe(201);
  });
  afterAll(async () => api.close());

  test('a logged thread shows at once, and so does what another process wrote to the file', async () => {
    const empty = await history(ana);
    expect(empty.status).toBe(200);
    expect(empty.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(empty.body.items).toEqual([]);
    expect((await history(ana)).body).toEqual(empty.body);

    const message = graphMessage('lena@fabrikam.example', ['ana@northwind.example']);
    const logged = await api.call('POST', '/api/v1/interactions/log-thread', {
      as: ana,
      body: { messages: [message] }
    });
    expect(logged.body.logged).toHaveLength(1);
    const afterLog = await history(ana);
    expect(afterLog.body.items.map((i: { internetMessageId: string }) => i.internetMessageId)).toEqual([
      message.internetMessageId
    ]);

    // The test's own connection is another writer, as the mailbox CLI or a second server would be.
    const { store } = api.testStore;
    const [lena] = (await store.directory.listContacts(tenantId, { limit: 10, email: 'lena@fabrikam.example' })).items;
    const [anaRecord] = (await store.directory.listSalespeople(tenantId, { limit: 10 })).items;
    if (!lena || !anaRecord) throw new Error('seeded people missing');
    await store.interactions.insertNew(tenantId, [
      {
        id: newId(),
        internetMessageId: '<from-another-process@fabrikam.example>',
        conversationId: null,
        occurredAt: Date.now() + 60_000,
        direction: 'inbound',
        subject: 'Written elsewhere',
        preview: '',
        contact: { id: lena.id, name: lena.name, email: lena.email },
        salesperson: { id: anaRecord.id, name: anaRecord.name, email: anaRecord.email },
        source: 'mailbox',
        webLink: null,
        loggedBy: null,
        loggedAt: Date.now()
      }
    ]);
    await new Promise((lag) => setTimeout(lag, OTHER_WRITERS_LAG_MS + 1));
    const afterOther = await history(ana);
    expect(afterOther.body.items.map((i: { subject: string }) => i.subject)[0]).toBe('Written elsewhere');
    expect(afterOther.body.items).toHaveLength(2);
  });

  const rawHistory = (acceptEncoding: string) => {
    const address = new URL(api.url);
    return new Promise<{ headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      const request = httpGet(
        {
          host: address.hostname,
          port: address.port,
          path: '/api/v1/interactions?correspondent=lena@fabrikam.example',
          headers: { authorization: `Bearer ${ana}`, 'accept-encoding': acceptEncoding }
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => resolve({ headers: response.headers, body: Buffer.concat(chunks) }));
        }
      );
      request.on('error', reject);
    });
  };

  // Encoding names are case-insensitive (RFC 9110 §8.4.1).
  test.each(['br;q=1, gzip;q=0.8', 'GZIP', 'Br, GZip;q=0.5'])(
    'a client that accepts gzip (%p) gets the page gzipped, the same JSON once unzipped',
    async (acceptEncoding) => {
      const plain = await history(ana);
      const zipped = await rawHistory(acceptEncoding);
      expect(zipped.headers['content-encoding']).toBe('gzip');
      expect(zipped.headers.vary).toContain('accept-encoding');
      expect(JSON.parse(gunzipSync(zipped.body).toString('utf8'))).toEqual(plain.body);
    }
  );

  test.each(['gzip;q=0', 'br', 'identity'])(
    'a client that refuses gzip (%p) gets the page as it is',
    async (header) => {
      const plain = await history(ana);
      const sent = await rawHistory(header);
      expect(sent.headers['content-encoding']).toBeUndefined();
      expect(JSON.parse(sent.body.toString('utf8'))).toEqual(plain.body);
    }
  );

  test('two tenants asking for the same address never share an answer', async () => {
    const other = await api.token({ email: 'ana@northwind.example', name: 'Ana López', tenantId: 'tenant-elsewhere' });
    const mine = await history(ana);
    expect(mine.body.items.length).toBeGreaterThan(0);
    const theirs = await history(other);
    expect(theirs.status).toBe(200);
    expect(theirs.body.items).toEqual([]);
  });
});

describe('a kept history page is sent only to a caller who may have it', () => {
  let api: TestApi;
  const tenantId = 'tenant-kept-pages';
  const url = '/api/v1/interactions?correspondent=lena@fabrikam.example';
  const token = {} as Record<'admin' | 'ana' | 'ben', string>;
  const sellersOf = (items: Array<{ salesperson: { email: string } }>) =>
    items.map((item) => item.salesperson.email.split('@')[0]).sort();

  beforeAll(async () => {
    api = await startTestApi('sqlite', { env: { RATE_LIMIT_USER_PER_MINUTE: '30' } });
    token.admin = await api.token({ email: 'admin@northwind.example', roles: ['Admin'], tenantId });
    const lena = await api.call('POST', '/api/v1/contacts', {
      as: token.admin,
      body: { name: 'Lena', email: 'lena@fabrikam.example' }
    });
    expect(lena.status).toBe(201);
    for (const who of ['ana', 'ben'] as const) {
      token[who] = await api.token({ email: `${who}@northwind.example`, tenantId });
      const logged = await api.call('POST', '/api/v1/interactions/log-thread', {
        as: token[who],
        body: { messages: [graphMessage('lena@fabrikam.example', [`${who}@northwind.example`])] }
      });
      expect(logged.body.logged).toHaveLength(1);
    }
  });
  afterAll(async () => api.close());

  test('without a valid token a kept URL is a 401, and a caller past their budget gets a 429', async () => {
    expect((await api.call('GET', url, { as: token.ana })).status).toBe(200);
    expect((await api.call('GET', url, { as: token.ana })).status).toBe(200);
    const anonymous = await api.call('GET', url);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.items).toBeUndefined();
    const forged = await api.call('GET', url, { as: `${token.ana.slice(0, -4)}AAAA` });
    expect(forged.status).toBe(401);

    // ben spends his budget on the kept page: the next request is refused, however cheap it would have been.
    const statuses: number[] = [];
    for (let i = 0; i < 31; i += 1) statuses.push((await api.call('GET', url, { as: token.ben })).status);
    // He logged a thread before: 29 more requests fit in his 30.
    expect(statuses.indexOf(429)).toBe(29);
    expect(statuses.slice(29)).toEqual([429, 429]);
  });

  test('callers who see different histories never share a page, and a changed setting shows on the next read', async () => {
    const read = async (as: string) => {
      const response = await api.call('GET', url, { as });
      expect(response.status).toBe(200);
      return sellersOf(response.body.items);
    };
    const setVisibility = async (historyVisibility: string) => {
      const changed = await api.call('PATCH', '/api/v1/settings', { as: token.admin, body: { historyVisibility } });
      expect(changed.status).toBe(200);
    };
    expect(await read(token.admin)).toEqual(['ana', 'ben']);
    expect(await read(token.ana)).toEqual(['ana', 'ben']);
    await setVisibility('own');
    // The admin's page is kept for the whole tenant; ana now sees only her own entries, each time she asks.
    expect(await read(token.admin)).toEqual(['ana', 'ben']);
    expect(await read(token.admin)).toEqual(['ana', 'ben']);
    expect(await read(token.ana)).toEqual(['ana']);
    expect(await read(token.ana)).toEqual(['ana']);
    await setVisibility('organization');
    expect(await read(token.ana)).toEqual(['ana', 'ben']);
  });

  test('the same history asked for in other words is the same; a URL that fails validation is refused each time', async () => {
    const kept = await api.call('GET', url, { as: token.admin });
    const reworded = await api.call('GET', '/api/v1/interactions?correspondent=Lena%40Fabrikam.example&limit=25', {
      as: token.admin
    });
    expect(reworded.status).toBe(200);
    expect(reworded.body).toEqual(kept.body);
    for (let i = 0; i < 2; i += 1) {
      const refused = await api.call('GET', `${url}&colour=blue`, { as: token.admin });
      expect(refused.status).toBe(400);
      expect(refused.body.errors[0].pointer).toBe('#/colour');
    }
  });
});
