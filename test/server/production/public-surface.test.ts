import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { loadConfig } from '../../../src/server/config.js';
import { startServer } from '../../../src/server/server.js';

/*
 * What a production server shows that it should not: source maps of the pane (they give away the sources), and
 * contacts' addresses in the info-level log (request URLs carry them in their query strings).
 */

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'surface-'));
  mkdirSync(join(dir, 'dist'));
  writeFileSync(join(dir, 'dist', 'taskpane.1234abcd.js'), 'console.log("pane");\n');
  writeFileSync(join(dir, 'dist', 'taskpane.1234abcd.js.map'), '{"version":3,"sources":["src/addin/secret.ts"]}');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const env = { PORT: '0', HOST: '127.0.0.1', SEED_DEMO: 'false' };
const production = {
  ...env,
  NODE_ENV: 'production',
  ENTRA_API_AUDIENCE: '11111111-2222-4333-8444-555555555555',
  ENTRA_ADDIN_CLIENT_ID: '11111111-2222-4333-8444-666666666666',
  ENTRA_ALLOWED_TENANTS: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee'
};

test('production serves the bundles but not their source maps', async () => {
  const server = await startServer(loadConfig({ ...production, DATABASE_URL: join(dir, 'db.sqlite') }), {
    staticRoot: join(dir, 'dist')
  });
  try {
    expect((await fetch(`${server.url}/taskpane.1234abcd.js`)).status).toBe(200);
    const map = await fetch(`${server.url}/taskpane.1234abcd.js.map`);
    expect(map.status).toBe(404);
    expect(await map.text()).not.toContain('secret.ts');
  } finally {
    await server.close();
  }
});

test("info-level request logs keep the path and drop the query string, with the contacts' addresses in it", async () => {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    }
  });
  const server = await startServer(loadConfig({ ...env, AUTH_MODE: 'dev', DATABASE_URL: join(dir, 'db.sqlite') }), {
    logger: { level: 'info', stream }
  });
  try {
    const { accessToken } = (await (
      await fetch(`${server.url}/api/v1/dev/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'ana@northwind.example' })
      })
    ).json()) as { accessToken: string };
    const response = await fetch(`${server.url}/api/v1/interactions?correspondent=lena.berg%40fabrikam.example`, {
      headers: { authorization: `Bearer ${accessToken}` }
    });
    expect(response.status).toBe(200);
  } finally {
    await server.close();
  }
  const log = lines.join('\n');
  expect(log).not.toMatch(/lena\.berg|fabrikam/i);
  const urls = lines
    .map((line) => JSON.parse(line) as { req?: { url?: string } })
    .flatMap((entry) => (entry.req?.url ? [entry.req.url] : []));
  expect(urls).toContain('/api/v1/interactions?[redacted]');
});
