import { spawn, type ChildProcess } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { TEST_ENV } from '../../helpers/config.js';
import { graphMessage } from '../../helpers/messages.js';

/*
 * Graceful shutdown under load, on the real process (src/server/main.ts) as an orchestrator stops it: a burst of
 * heavy requests, SIGTERM while they are being served, and then every request has its complete answer, /readyz
 * turned 503, the process exits 0 and the store holds exactly what was answered.
 */

jest.setTimeout(120_000);

const REQUESTS = 24;
const MESSAGES_PER_REQUEST = 200;
const CONTACTS = 8;

interface LogEntry {
  msg?: string;
  reqId?: string;
  req?: { url?: string };
}

interface ChildServer {
  child: ChildProcess;
  url: string;
  log: LogEntry[];
  exit: Promise<number | null>;
  /** Resolves once `predicate` holds for the log so far (checked on every new line). */
  until(predicate: (log: LogEntry[]) => boolean): Promise<void>;
}

/** The server as `npm start` runs it (tsx), JSON logs on standard output. */
async function startChild(env: Record<string, string>): Promise<ChildServer> {
  const child = spawn(join('node_modules', '.bin', 'tsx'), ['src/server/main.ts'], {
    env: { ...process.env, NODE_ENV: 'development', LOG_FORMAT: 'json', ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  });
  const log: LogEntry[] = [];
  const waiters: { predicate: (log: LogEntry[]) => boolean; resolve: () => void }[] = [];
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  createInterface({ input: child.stdout! }).on('line', (line) => {
    try {
      log.push(JSON.parse(line) as LogEntry);
    } catch {
      log.push({ msg: line });
    }
    for (const waiter of [...waiters]) {
      if (waiter.predicate(log)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  });
  const until = (predicate: (log: LogEntry[]) => boolean) =>
    predicate(log)
      ? Promise.resolve()
      : Promise.race([
          new Promise<void>((resolve) => waiters.push({ predicate, resolve })),
          exit.then((code) => {
            throw new Error(`the server exited (${code}) while the test waited:\n${stderr}`);
          })
        ]);
  await until((entries) => entries.some((e) => e.msg?.includes('Interaction log API listening on')));
  const listening = log.find((e) => e.msg?.includes('listening on'))?.msg ?? '';
  const url = /listening on (http:\/\/\S+)/.exec(listening)?.[1] ?? '';
  return { child, url, log, exit, until };
}

let dir: string;
let databaseUrl: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'shutdown-'));
  databaseUrl = join(dir, 'db.sqlite');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function json(url: string, init: RequestInit = {}): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, init);
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : null };
}

/** A salesperson and contacts, then REQUESTS bodies of MESSAGES_PER_REQUEST messages each from those contacts. */
async function prepare(server: ChildServer) {
  const { body } = await json(`${server.url}/api/v1/dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'ana@northwind.example', name: 'Ana López' })
  });
  const headers = {
    authorization: `Bearer ${(body as { accessToken: string }).accessToken}`,
    'content-type': 'application/json'
  };
  const contacts = Array.from({ length: CONTACTS }, (_, i) => `contact${i}@fabrikam.example`);
  for (const email of contacts) {
    const created = await json(`${server.url}/api/v1/contacts`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ name: email.split('@')[0], email })
    });
    expect(created.status).toBe(201);
  }
  const bodies = Array.from({ length: REQUESTS }, () =>
    JSON.stringify({
      messages: Array.from({ length: MESSAGES_PER_REQUEST }, (_, i) =>
        graphMessage(contacts[i % CONTACTS] ?? '', ['ana@northwind.example'])
      )
    })
  );
  return { headers, bodies };
}

const logThreadIds = (log: LogEntry[]) =>
  new Set(
    log
      .filter((e) => e.msg === 'incoming request' && e.req?.url === '/api/v1/interactions/log-thread')
      .map((e) => e.reqId)
  );
const logThreadIncoming = (log: LogEntry[]) => logThreadIds(log).size;
const logThreadCompleted = (log: LogEntry[]) => {
  const ids = logThreadIds(log);
  return log.filter((e) => e.msg === 'request completed' && ids.has(e.reqId)).length;
};

/** Entries in the store the server left behind (read straight from the file: the server is gone). */
function storedEntries(): number {
  const db = new Database(databaseUrl, { readonly: true });
  try {
    return (db.prepare('select count(*) as n from interactions').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/**
 * A POST whose body goes out in two halves, the second when `secondHalf` resolves: the request is in flight at the
 * server (its headers arrived) for as long as the test wants.
 */
function postInTwoHalves(url: string, headers: Record<string, string>, body: string, secondHalf: Promise<void>) {
  const bytes = Buffer.from(body);
  const half = Math.floor(bytes.length / 2);
  return new Promise<{ status: number; body: unknown }>((resolve, reject) => {
    const request = httpRequest(url, {
      method: 'POST',
      headers: { ...headers, 'content-length': String(bytes.length) }
    });
    request.on('error', reject);
    request.on('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as unknown }));
      response.on('error', reject);
    });
    request.write(bytes.subarray(0, half));
    void secondHalf.then(() => request.end(bytes.subarray(half)));
  });
}

test('SIGTERM while requests are in flight: each gets its whole answer, then the process exits 0', async () => {
  const server = await startChild({
    ...TEST_ENV,
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'info',
    SHUTDOWN_DRAIN_SECONDS: '0'
  });
  const { headers, bodies } = await prepare(server);

  let sendRest = () => {};
  const rest = new Promise<void>((resolve) => (sendRest = resolve));
  const responses = bodies.map((body) =>
    postInTwoHalves(`${server.url}/api/v1/interactions/log-thread`, headers, body, rest)
  );
  // Every request has reached the server and none can have been answered: half of each body is still to come.
  await server.until((log) => logThreadIncoming(log) === REQUESTS);
  expect(logThreadCompleted(server.log)).toBe(0);
  server.child.kill('SIGTERM');
  await server.until((log) => log.some((e) => e.msg?.startsWith('SIGTERM: finishing in-flight requests')));
  // The listener closes at once: a new connection is refused while the accepted requests go on.
  await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  sendRest();

  const answers = await Promise.all(responses);
  for (const answer of answers) {
    expect(answer.status).toBe(200);
    expect((answer.body as { logged: unknown[] }).logged).toHaveLength(MESSAGES_PER_REQUEST);
  }
  expect(await server.exit).toBe(0);
  expect(server.log.map((e) => e.msg)).toContain(
    'shut down: requests finished, mailbox processor stopped, store closed'
  );
  expect(storedEntries()).toBe(REQUESTS * MESSAGES_PER_REQUEST);
});

test('with a drain time, /readyz answers 503 at once while requests, old and new, are still served', async () => {
  const server = await startChild({
    ...TEST_ENV,
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'info',
    SHUTDOWN_DRAIN_SECONDS: '2'
  });
  const { headers, bodies } = await prepare(server);
  expect((await json(`${server.url}/readyz`)).status).toBe(200);

  const half = REQUESTS / 2;
  const early = bodies
    .slice(0, half)
    .map((body) => json(`${server.url}/api/v1/interactions/log-thread`, { method: 'POST', headers, body }));
  await server.until((log) => logThreadIncoming(log) === half);
  server.child.kill('SIGTERM');
  await server.until((log) => log.some((e) => e.msg?.startsWith('shutting down: /readyz answers 503')));

  const ready = await json(`${server.url}/readyz`);
  expect(ready).toMatchObject({ status: 503, body: { type: 'urn:interaction-log:problem:shutting-down' } });
  expect((await json(`${server.url}/healthz`)).status).toBe(200);
  // A load balancer that has not noticed yet still gets answers.
  const late = bodies
    .slice(half)
    .map((body) => json(`${server.url}/api/v1/interactions/log-thread`, { method: 'POST', headers, body }));

  const answers = await Promise.all([...early, ...late]);
  expect(answers.map((answer) => answer.status)).toEqual(bodies.map(() => 200));
  expect(await server.exit).toBe(0);
  expect(storedEntries()).toBe(REQUESTS * MESSAGES_PER_REQUEST);
});
