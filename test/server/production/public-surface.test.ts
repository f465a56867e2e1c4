import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../../../src/server/server.js';
import { apiClient } from '../../helpers/api.js';
import { testConfig } from '../../helpers/config.js';
import { captureLog } from '../../helpers/log-capture.js';

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

const production = {
  NODE_ENV: 'production',
  ENTRA_API_AUDIENCE: '11111111-2222-4333-8444-555555555555',
  ENTRA_ADDIN_CLIENT_ID: '11111111-2222-4333-8444-666666666666',
  ENTRA_ALLOWED_TENANTS: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee'
};

test('production serves the bundles but not their source maps', async () => {
  const server = await startServer(testConfig({ ...production, DATABASE_URL: join(dir, 'db.sqlite') }), {
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
  const { lines, logger } = captureLog('info');
  const server = await startServer(
    testConfig({ AUTH_MODE: 'dev', LOG_FORMAT: 'json', DATABASE_URL: join(dir, 'db.sqlite') }),
    { logger }
  );
  try {
    const accessToken = await apiClient(server).token({ email: 'ana@northwind.example' });
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
