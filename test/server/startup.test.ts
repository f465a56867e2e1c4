import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../../src/server/config.js';
import { startServer } from '../../src/server/server.js';
import { DEMO_TENANT_ID } from '../../src/shared/demo.js';
import { apiClient } from '../helpers/api.js';

/* How the server comes up: demo data on an empty store, modes, the migrate command, refusals. */

const run = promisify(execFile);
const tsx = join('node_modules', '.bin', 'tsx');
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'startup-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const baseEnv = () => ({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: join(dir, 'data', 'log.sqlite') });

test('the first start on an empty store seeds the demo tenant, and only the first', async () => {
  const first = await startServer(loadConfig(baseEnv()));
  try {
    const accessToken = await apiClient(first).token({ email: 'ana.lopez@northwind.example' });
    const get = async (path: string) =>
      (await fetch(`${first.url}${path}`, { headers: { authorization: `Bearer ${accessToken}` } })).json() as Promise<{
        items: unknown[];
        nextCursor: string | null;
        salesperson?: { name: string };
      }>;
    expect((await get('/api/v1/salespeople?limit=100')).items).toHaveLength(6);
    expect((await get('/api/v1/contacts?limit=100')).items).toHaveLength(20);
    expect((await get('/api/v1/opportunities?limit=100')).items.length).toBeGreaterThanOrEqual(8);
    let entries = 0;
    let cursor: string | null = null;
    do {
      const page: { items: unknown[]; nextCursor: string | null } = await get(
        `/api/v1/interactions?limit=100${cursor ? `&cursor=${cursor}` : ''}`
      );
      entries += page.items.length;
      cursor = page.nextCursor;
    } while (cursor);
    expect(entries).toBeGreaterThanOrEqual(300);
    // The demo user is linked to the seeded salesperson, not duplicated.
    expect(((await get('/api/v1/me')) as unknown as { salesperson: { name: string } }).salesperson.name).toBe(
      'Ana López'
    );
  } finally {
    await first.close();
  }
  const second = await startServer(loadConfig(baseEnv()));
  try {
    expect((await second.store.directory.listSalespeople(DEMO_TENANT_ID, { limit: 100 })).items).toHaveLength(6);
  } finally {
    await second.close();
  }
});

test('SEED_DEMO=false starts empty', async () => {
  const server = await startServer(loadConfig({ ...baseEnv(), SEED_DEMO: 'false' }));
  try {
    expect(await server.store.isEmpty()).toBe(true);
  } finally {
    await server.close();
  }
});

test('outside dev mode the dev token endpoint does not exist', async () => {
  const server = await startServer(
    loadConfig({
      ...baseEnv(),
      AUTH_MODE: 'entra',
      ENTRA_API_AUDIENCE: 'api://interaction-log',
      ENTRA_ADDIN_CLIENT_ID: '11111111-2222-4333-8444-555555555555',
      ENTRA_ALLOWED_TENANTS: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
      ENTRA_JWKS_URL: 'http://127.0.0.1:9/keys'
    })
  );
  try {
    const response = await fetch(`${server.url}/api/v1/dev/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'ana@northwind.example' })
    });
    expect(response.status).toBe(404);
    expect(await server.store.isEmpty()).toBe(true);
  } finally {
    await server.close();
  }
});

test('npm run migrate applies the migrations once', async () => {
  const env = { ...process.env, DATABASE_URL: join(dir, 'm.sqlite') };
  const first = await run(tsx, ['src/server/cli/migrate.ts'], { env });
  expect(first.stdout).toMatch(/Applied 0001_initial/);
  const second = await run(tsx, ['src/server/cli/migrate.ts'], { env });
  expect(second.stdout).toMatch(/up to date/);
});

test('the server refuses to start in dev mode in production, saying why', async () => {
  const env = { ...process.env, ...baseEnv(), NODE_ENV: 'production', AUTH_MODE: 'dev' };
  const failure = await run(tsx, ['src/server/main.ts'], { env }).then(
    () => null,
    (error: { code: number; stderr: string }) => error
  );
  expect(failure?.code).toBe(1);
  expect(failure?.stderr).toMatch(/AUTH_MODE=dev is refused/);
});

/** Runs `npm start`'s server process until `ready` holds for its standard output; returns that output once stopped. */
async function startMain(
  env: Record<string, string>,
  ready: (output: string) => boolean,
  whileRunning: (output: () => string) => Promise<void>
): Promise<string> {
  const child = spawn(tsx, ['src/server/main.ts'], { env: { ...process.env, ...baseEnv(), ...env } });
  let output = '';
  let errors = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  try {
    await new Promise<void>((resolve, reject) => {
      const check = () => (ready(output) ? resolve() : undefined);
      child.stdout.on('data', check);
      void exited.then(() => reject(new Error(`the server exited:\n${output}${errors}`)));
    });
    await whileRunning(() => output);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
  return output;
}

test('in development the server says where to go, and logs one short line per request', async () => {
  let lines: string[] = [];
  await startMain(
    { NODE_ENV: 'development' },
    (output) => /Stop it with Ctrl\+C/.test(output),
    async (output) => {
      const url = /Task pane preview:\s+(http:\/\/\S+)\/preview\.html/.exec(output())?.[1];
      expect(url).toBeDefined();
      expect(output()).toContain(`Manager and admin preview:`);
      expect(output()).toContain(`${url}/preview.html?devRoles=Manager,Admin`);
      expect(output()).toMatch(/Demo data:\s+seeded now \(the Northwind demo organization, \d+ logged emails\)/);
      const described = /API description:\s+(\S+)/.exec(output())?.[1];
      expect((await fetch(described!)).status).toBe(200);
      await fetch(`${url}/healthz?address=someone@contoso.example`);
      // The line is written by a worker thread: wait for it.
      while (!/GET \/healthz 200 \d+ ms/.test(output())) await new Promise((resolve) => setTimeout(resolve, 20));
      lines = output().split('\n');
    }
  );
  const requestLines = lines.filter((line) => line.includes('/healthz'));
  expect(requestLines).toHaveLength(1);
  expect(requestLines[0]).not.toMatch(/^\s*\{/);
  expect(requestLines[0]).not.toContain('contoso.example');
});

test('in production the start is logged as JSON with the same facts', async () => {
  const output = await startMain(
    {
      NODE_ENV: 'production',
      ENTRA_API_AUDIENCE: 'api://interaction-log',
      ENTRA_ADDIN_CLIENT_ID: '11111111-2222-4333-8444-555555555555',
      ENTRA_ALLOWED_TENANTS: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee',
      ENTRA_JWKS_URL: 'http://127.0.0.1:9/keys'
    },
    (text) => /listening on/.test(text),
    async () => undefined
  );
  const entries = output
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as { msg: string; links?: Record<string, string>; demo?: string });
  const started = entries.find((entry) => entry.msg.includes('listening on'));
  expect(started?.demo).toBe('off (SEED_DEMO=false)');
  expect(Object.values(started?.links ?? {})).toEqual(
    expect.arrayContaining([expect.stringMatching(/\/taskpane\.html$/), expect.stringMatching(/\/api\/openapi\.json$/)])
  );
});
