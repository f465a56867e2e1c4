import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { bumpVersion, readAddinId, readVersion } from '../../src/manifest/build-manifest.js';
import { startServer } from '../../src/server/server.js';
import { checkAgainstPrevious, referencedFiles } from '../../src/manifest/build-production.js';
import { testConfig } from '../helpers/config.js';
import { descendants, iconProblems, manifestProblems, parseManifest, validateWithXsd } from '../helpers/manifest.js';

/*
 * npm run build:production: the pane and its manifest for one public origin, in one folder the server serves.
 * The build runs once for real (webpack, about a minute) into a temporary folder; the refusals come before it.
 */

jest.setTimeout(300_000);

const run = promisify(execFile);
const CLIENT_ID = '3f2a9c1e-7b4d-4e8a-9c6f-1d2e3f4a5b6c';
const API_APP_ID = '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a';
const dev = readFileSync('manifest.xml', 'utf8');

const build = (...args: string[]) =>
  run(join('node_modules', '.bin', 'tsx'), ['src/manifest/build-production.ts', ...args], {
    maxBuffer: 16 * 1024 * 1024
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error
  );
const registration = ['--url', 'https://addin.contoso.com', '--client-id', CLIENT_ID, '--api-client-id', API_APP_ID];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'production-build-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a build for https://addin.contoso.com', () => {
  let out: string;
  let result: { code: number; stdout: string; stderr: string };
  let manifest: string;

  beforeAll(async () => {
    out = join(dir, 'dist');
    const previous = join(dir, 'deployed.xml');
    writeFileSync(previous, dev.replace(/<Version>[^<]*<\/Version>/, '<Version>0.9.0.0</Version>'));
    result = await build(...registration, '--out', out, '--previous', previous);
    manifest = existsSync(join(out, 'manifest.xml')) ? readFileSync(join(out, 'manifest.xml'), 'utf8') : '';
  });

  test('succeeds and says what the server needs', () => {
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`Version 0.9.0.0 (deployed) → ${readVersion(dev)}.`);
    expect(result.stderr).toContain(`ENTRA_ADDIN_CLIENT_ID=${CLIENT_ID}`);
    expect(result.stderr).toContain(`ENTRA_API_AUDIENCE=${API_APP_ID}\n`);
    expect(result.stderr).toContain('brk-multihub://addin.contoso.com ');
    // Both manifests, from the same source: the unified one is checked in unified-manifest.test.ts.
    const unified = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as { extensions: unknown[] };
    expect(JSON.stringify(unified.extensions)).toContain(readAddinId(manifest));
    expect(existsSync(join(out, 'app-package.zip'))).toBe(true);
  });

  test('writes a manifest that is valid and points only at the public origin', () => {
    expect(validateWithXsd(join(out, 'manifest.xml')).status).toBe(0);
    expect(manifestProblems(manifest, 'addin.contoso.com', join(out, 'assets'))).toEqual([]);
    expect(manifest).not.toMatch(/localhost/);
  });

  test('every file the manifest points at is in the folder, icons at their declared sizes', () => {
    const files = referencedFiles(manifest, 'https://addin.contoso.com');
    expect(files).toEqual(expect.arrayContaining(['taskpane.html', 'support.html', 'assets/icon-80.png']));
    for (const file of files) expect([file, existsSync(join(out, file))]).toEqual([file, true]);
    expect(iconProblems(parseManifest(manifest), join(out, 'assets'))).toEqual([]);
  });

  test('the pane page loads its production bundle, which exists, and nothing of the stand-ins is shipped', () => {
    const page = readFileSync(join(out, 'taskpane.html'), 'utf8');
    const scripts = [...page.matchAll(/<script[^>]*src="([^"]+)"/g)].map((m) => m[1] ?? '');
    const own = scripts.filter((src) => !src.startsWith('https://'));
    expect(own).toEqual([expect.stringMatching(/^\/?taskpane\.[0-9a-f]{8}\.js$/)]);
    for (const src of own) expect(existsSync(join(out, src))).toBe(true);
    expect(scripts).toContain('https://appsforoffice.microsoft.com/lib/1/hosted/office.js');
    const shipped = readdirSync(out);
    expect(shipped.filter((file) => /preview|stand-in/.test(file))).toEqual([]);
    // The Entra ids come from the server at run time (/addin/config.json), not from the bundle.
    const bundles = shipped.filter((file) => file.endsWith('.js'));
    for (const bundle of bundles) expect(readFileSync(join(out, bundle), 'utf8')).not.toContain(CLIENT_ID);
  });

  test('one production server serves the built pane, its manifest and the API on one origin', async () => {
    const server = await startServer(
      testConfig({
        NODE_ENV: 'production',
        DATABASE_URL: join(dir, 'serve.sqlite'),
        ENTRA_API_AUDIENCE: API_APP_ID,
        ENTRA_ADDIN_CLIENT_ID: CLIENT_ID,
        ENTRA_ALLOWED_TENANTS: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee'
      }),
      { staticRoot: out }
    );
    try {
      const get = (path: string) => fetch(`${server.url}${path}`);
      expect((await get('/taskpane.html')).status).toBe(200);
      expect(await (await get('/manifest.xml')).text()).toBe(manifest);
      expect((await get('/assets/icon-80.png')).headers.get('content-type')).toBe('image/png');
      // The pane learns the registration from the server, as built by the same ids.
      expect(await (await get('/addin/config.json')).json()).toMatchObject({
        authMode: 'entra',
        entra: { clientId: CLIENT_ID, apiScope: `api://${API_APP_ID}/access_as_user` }
      });
      expect((await get('/readyz')).status).toBe(200);
      expect((await get('/api/v1/me')).status).toBe(401);
      // Nothing of dev mode: no token endpoint, no stand-ins.
      expect((await fetch(`${server.url}/api/v1/dev/token`, { method: 'POST' })).status).toBe(404);
      expect((await get('/preview.html')).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  test('WebApplicationInfo carries the add-in’s registration and its Application ID URI', () => {
    const info = descendants(parseManifest(manifest)).find((e) => e.name === 'WebApplicationInfo');
    expect(info?.children.find((e) => e.name === 'Id')?.text).toBe(CLIENT_ID);
    expect(info?.children.find((e) => e.name === 'Resource')?.text).toBe(`api://addin.contoso.com/${CLIENT_ID}`);
  });
});

describe('refusals, before anything is built', () => {
  let deployed: Server;
  let deployedXml = dev;
  let deployedUrl: string;
  beforeAll(async () => {
    deployed = createServer((request, response) => {
      if (request.url === '/manifest.xml') response.writeHead(200, { 'content-type': 'text/xml' }).end(deployedXml);
      else response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => deployed.listen(0, '127.0.0.1', resolve));
    deployedUrl = `http://127.0.0.1:${(deployed.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => deployed.close(() => resolve())));

  const refused = async (args: string[], message: RegExp) => {
    const out = join(dir, `refused-${Math.random().toString(36).slice(2)}`);
    const result = await build(...args, '--out', out);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(message);
    expect(existsSync(out)).toBe(false);
  };

  test('the same version as the deployed manifest (fetched from the server)', async () => {
    deployedXml = dev;
    await refused([...registration, '--previous', `${deployedUrl}/manifest.xml`], /is not higher than the deployed/);
  });

  test('a lower version than the deployed one', async () => {
    deployedXml = bumpVersion(dev, 'minor');
    await refused([...registration, '--previous', `${deployedUrl}/manifest.xml`], /manifest:bump/);
  });

  test('another add-in Id than the deployed one', async () => {
    deployedXml = dev.replace(/<Id>83ee7bb6-[^<]*<\/Id>/, '<Id>11111111-2222-4333-8444-555555555555</Id>');
    await refused([...registration, '--previous', `${deployedUrl}/manifest.xml`], /differs from the deployed one/);
  });

  test('a previous manifest that cannot be read, when one was named', async () => {
    await refused([...registration, '--previous', `${deployedUrl}/missing.xml`], /answered HTTP 404/);
    await refused([...registration, '--previous', join(dir, 'nothing.xml')], /does not exist/);
  });

  test('a bad registration', async () => {
    await refused(['--url', 'http://addin.contoso.com', '--client-id', CLIENT_ID], /must use https/);
  });

  test('missing arguments are a usage error', async () => {
    const result = await build('--url', 'https://addin.contoso.com');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('build:production needs --client-id.');
  });
});

describe('checkAgainstPrevious', () => {
  test('a higher version of the same add-in passes; compared part by part, not as text', () => {
    const at = (version: string) => dev.replace(/<Version>[^<]*<\/Version>/, `<Version>${version}</Version>`);
    expect(() => checkAgainstPrevious(at('1.9.0.0'), at('1.10.0.0'))).not.toThrow();
    expect(() => checkAgainstPrevious(at('1.10.0.0'), at('1.9.0.0'))).toThrow(/not higher/);
    expect(() => checkAgainstPrevious(at('1.0'), at('1.0.0.1'))).not.toThrow();
  });
});
