import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer, type StartOptions } from '../../../src/server/server.js';
import { startGraphMailbox, TEST_LIMITS } from '../../../src/stand-ins/graph/stand-in.js';
import { graphStandInEnv, testConfig } from '../../helpers/config.js';
import { captureLog } from '../../helpers/log-capture.js';
import { addAnaAndLena, fromLenaToAna } from '../../helpers/messages.js';

/*
 * The server as a load balancer sees it, in process: /healthz and /readyz through a drained shutdown, and
 * which client address it believes behind a proxy (TRUST_PROXY).
 */

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'lifecycle-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const start = (env: Record<string, string> = {}, logger?: StartOptions['logger']) =>
  startServer(testConfig({ DATABASE_URL: join(dir, 'db.sqlite'), ...env }), logger ? { logger } : {});

const get = async (server: RunningServer, path: string, headers: Record<string, string> = {}) => {
  const response = await fetch(`${server.url}${path}`, { headers });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

test('readyz answers 503 from the start of shutdown while requests are still served, then the port closes', async () => {
  const server = await start({ SHUTDOWN_DRAIN_SECONDS: '0.6' });
  expect(await get(server, '/readyz')).toEqual({ status: 200, body: { status: 'ready', store: 'sqlite' } });
  expect(await get(server, '/healthz')).toEqual({ status: 200, body: { status: 'ok' } });

  const closed = server.close();
  expect(server.shuttingDown).toBe(true);
  expect(server.close()).toBe(closed); // a second signal does not start a second shutdown
  const ready = await get(server, '/readyz');
  expect(ready.status).toBe(503);
  expect(ready.body).toMatchObject({ type: 'urn:interaction-log:problem:shutting-down', status: 503 });
  // Still alive and still serving while the load balancer moves away.
  expect((await get(server, '/healthz')).status).toBe(200);
  const token = await fetch(`${server.url}/api/v1/dev/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'ana@northwind.example' })
  });
  expect(token.status).toBe(200);
  const { accessToken } = (await token.json()) as { accessToken: string };
  expect((await get(server, '/api/v1/me', { authorization: `Bearer ${accessToken}` })).status).toBe(200);

  await closed;
  await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
});

describe('TRUST_PROXY', () => {
  /** The client address Fastify logged for a request sent with X-Forwarded-For. */
  async function loggedClientAddress(env: Record<string, string>): Promise<string | undefined> {
    const { lines, logger } = captureLog('info');
    const server = await start({ LOG_FORMAT: 'json', ...env }, logger);
    try {
      await get(server, '/healthz', { 'x-forwarded-for': '203.0.113.9', 'x-forwarded-proto': 'https' });
    } finally {
      await server.close();
    }
    const incoming = lines
      .map((line) => JSON.parse(line) as { msg?: string; req?: { remoteAddress?: string; url?: string } })
      .find((entry) => entry.msg === 'incoming request' && entry.req?.url === '/healthz');
    return incoming?.req?.remoteAddress;
  }

  test('unset: the forwarded address is not believed', async () => {
    expect(await loggedClientAddress({})).toBe('127.0.0.1');
  });

  test('the proxy on loopback trusted: the client address is the forwarded one', async () => {
    expect(await loggedClientAddress({ TRUST_PROXY: '127.0.0.1' })).toBe('203.0.113.9');
    expect(await loggedClientAddress({ TRUST_PROXY: 'true' })).toBe('203.0.113.9');
  });

  test('a proxy elsewhere trusted: a request from loopback is not believed', async () => {
    expect(await loggedClientAddress({ TRUST_PROXY: '10.0.0.0/8' })).toBe('127.0.0.1');
  });
});

test('shutdown stops automatic logging between pages; a later start finishes the mailbox, nothing twice', async () => {
  const SHARED = 'interaction-log@northwind.example';
  const TENANT = 'tenant-shutdown';
  const TOTAL = 400;
  const standIn = await startGraphMailbox({ mailboxes: [SHARED], limits: TEST_LIMITS });
  const startWithMailbox = () =>
    startServer(
      testConfig({ DATABASE_URL: join(dir, 'db.sqlite'), ...graphStandInEnv(standIn), MAILBOX_SCHEDULE: 'false' }),
      { mailbox: { msalConfigurationFor: () => standIn.msalConfiguration() } }
    );
  try {
    const first = await startWithMailbox();
    await addAnaAndLena(first.store, TENANT);
    await first.store.mailbox.saveSettings(TENANT, { enabled: true, mailboxAddress: SHARED, batchSize: 5 }, null);
    standIn.seed(
      SHARED,
      fromLenaToAna(TOTAL, (i) => `Backlog ${i}`)
    );
    const archived = () => standIn.folderContents(SHARED, 'Archive').length;
    const run = first.mailbox.runOnce(TENANT, 'manual');
    while (archived() === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await first.close();
    const stopped = await run;
    expect(stopped.status).toBe('succeeded'); // stopped cleanly, not failed
    const afterStop = archived();
    expect(afterStop).toBeLessThan(TOTAL);
    expect(stopped.logged).toBe(afterStop); // everything recorded was also filed: nothing half-done
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(archived()).toBe(afterStop); // and nothing moved after the store closed

    const second = await startWithMailbox();
    try {
      const rest = await second.mailbox.runOnce(TENANT, 'manual');
      expect(rest.logged).toBe(TOTAL - afterStop);
      expect(archived()).toBe(TOTAL);
      expect(standIn.mailbox(SHARED).stats().moves).toBe(TOTAL);
    } finally {
      await second.close();
    }
  } finally {
    await standIn.close();
  }
});
