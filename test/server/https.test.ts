import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateCertificates } from 'office-addin-dev-certs';
import { startServer, type RunningServer } from '../../src/server/server.js';
import { testConfig } from '../helpers/config.js';

/* Outlook loads add-ins only over HTTPS: the server serves TLS with office-addin-dev-certs' certificates. */

let dir: string;
let server: RunningServer;
let ca: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dev-certs-'));
  const paths = { ca: join(dir, 'ca.crt'), cert: join(dir, 'localhost.crt'), key: join(dir, 'localhost.key') };
  await generateCertificates(paths.ca, paths.cert, paths.key, 1);
  ca = readFileSync(paths.ca, 'utf8');
  server = await startServer(testConfig({ HOST: 'localhost', DATABASE_URL: join(dir, 'db.sqlite') }), {
    https: { key: readFileSync(paths.key), cert: readFileSync(paths.cert) }
  });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

test('serves HTTPS on localhost with a certificate the dev CA vouches for', async () => {
  expect(server.url).toMatch(/^https:\/\/localhost:\d+$/);
  const body = await new Promise<string>((resolve, reject) => {
    const req = request(`${server.url}/healthz`, { ca }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString()));
      res.on('end', () => resolve(text));
    });
    req.on('error', reject);
    req.end();
  });
  expect(JSON.parse(body)).toEqual({ status: 'ok' });
});
