import { connect, type Socket } from 'node:net';
import { startTestApi, type TestApi } from '../../helpers/api.js';

/*
 * Slow and greedy clients over raw sockets: a body trickled after an early error answer, a body or headers
 * trickled slower than the request timeout, a silent connection, and more connections from one address than it
 * may hold. The server runs with a 1 s request timeout (30 s by default) and 5 connections per address.
 */

jest.setTimeout(30_000);

const TIMEOUT_S = 1;
const MAX_PER_ADDRESS = 5;
/** Generous: the timeout, Node's check interval, and a loaded machine. */
const CLOSED_WITHIN_MS = 6000;

let api: TestApi;
let token: string;
beforeAll(async () => {
  api = await startTestApi('sqlite', {
    env: {
      REQUEST_TIMEOUT_SECONDS: String(TIMEOUT_S),
      MAX_CONNECTIONS_PER_ADDRESS: String(MAX_PER_ADDRESS)
    }
  });
  token = await api.token({ email: 'ana@northwind.example' });
});
afterAll(() => api.close());

interface RawClient {
  socket: Socket;
  /** Everything the server sent so far. */
  received: () => string;
  /** Resolves with the milliseconds until the server closed the socket, or null if it did not within `ms`. */
  closedWithin: (ms: number) => Promise<number | null>;
  /** Writes one byte every `everyMs` until the socket closes. */
  trickle: (everyMs: number) => void;
}

/** `from`: another loopback address, so the test's other connections (fetch keeps some) do not count. */
async function rawClient(from?: string): Promise<RawClient> {
  const { port } = new URL(api.url);
  const socket = connect({ host: '127.0.0.1', port: Number(port), ...(from ? { localAddress: from } : {}) });
  socket.on('error', () => undefined);
  await new Promise<void>((resolve) => socket.once('connect', resolve));
  const opened = performance.now();
  let data = '';
  socket.on('data', (chunk: Buffer) => (data += chunk.toString('latin1')));
  const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(performance.now() - opened)));
  let trickler: NodeJS.Timeout | undefined;
  void closed.then(() => clearInterval(trickler));
  return {
    socket,
    received: () => data,
    closedWithin: (ms) => {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)));
      return Promise.race([closed, timeout]).finally(() => clearTimeout(timer));
    },
    trickle(everyMs) {
      trickler = setInterval(() => {
        if (!socket.destroyed && socket.writable) socket.write('a');
      }, everyMs);
    }
  };
}

const postHead = (authorization?: string) =>
  'POST /api/v1/interactions/log-thread HTTP/1.1\r\n' +
  'Host: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n' +
  (authorization ? `Authorization: Bearer ${authorization}\r\n` : '') +
  '\r\n';

test('an error answered before the body was read closes the connection: a trickled body is not waited for', async () => {
  const client = await rawClient();
  client.socket.write(postHead());
  client.trickle(100);
  const closedAfter = await client.closedWithin(CLOSED_WITHIN_MS);
  expect(client.received()).toMatch(/^HTTP\/1\.1 401 /);
  expect(client.received().toLowerCase()).toContain('connection: close');
  expect(closedAfter).not.toBeNull();
});

test('an error answer to a request without a body keeps the connection for the next request', async () => {
  const client = await rawClient();
  client.socket.write('GET /no-such-path HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  client.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
  await client.closedWithin(CLOSED_WITHIN_MS);
  expect(client.received()).toMatch(/^HTTP\/1\.1 404 [\s\S]*HTTP\/1\.1 200 /);
});

test('a body trickled slower than the request timeout loses the socket', async () => {
  const client = await rawClient();
  client.socket.write(postHead(token));
  client.trickle(100);
  expect(await client.closedWithin(CLOSED_WITHIN_MS)).not.toBeNull();
});

test('headers trickled slower than the request timeout lose the socket', async () => {
  const client = await rawClient();
  client.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
  client.trickle(100);
  expect(await client.closedWithin(CLOSED_WITHIN_MS)).not.toBeNull();
});

test('a connection that sends nothing is closed', async () => {
  const client = await rawClient();
  expect(await client.closedWithin(CLOSED_WITHIN_MS)).not.toBeNull();
});

test(`one address holds at most ${MAX_PER_ADDRESS} connections; the next is closed at once, and room comes back`, async () => {
  const from = '127.0.0.3';
  const held = await Promise.all(Array.from({ length: MAX_PER_ADDRESS }, () => rawClient(from)));
  try {
    const extra = await rawClient(from);
    expect(await extra.closedWithin(CLOSED_WITHIN_MS / 4)).not.toBeNull();
    for (const client of held) expect(client.socket.destroyed).toBe(false);

    held[0]?.socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const next = await rawClient(from);
    next.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    await next.closedWithin(CLOSED_WITHIN_MS);
    expect(next.received()).toMatch(/^HTTP\/1\.1 200 /);
  } finally {
    for (const client of held) client.socket.destroy();
  }
});
