import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { startServer, type RunningServer } from '../../src/server/server.js';
import { testConfig } from '../helpers/config.js';

/*
 * The built pane as the server sends it, over real HTTP (node:http, which neither decodes nor caches): the
 * build's precompressed copies picked by Accept-Encoding, a year's immutable caching for content-hashed files,
 * revalidation with ETag (304, no body) for the pages and the manifest. The same in development and production.
 */

const HASHED = 'taskpane.0123abcd.js';
const script = Buffer.from(`console.log(${JSON.stringify('the pane '.repeat(400))});`);
const page = Buffer.from(
  `<!doctype html><html><head><script defer src="${HASHED}"></script></head><body>${'<p>pane</p>'.repeat(80)}</body></html>`
);
const manifest = Buffer.from(`<?xml version="1.0"?><OfficeApp>${'<x/>'.repeat(300)}</OfficeApp>`);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'static-'));
  const root = join(dir, 'dist');
  mkdirSync(join(root, 'assets'), { recursive: true });
  // What webpack.config.js writes: each text file with its .br and .gz beside it; the manifest comes later, alone.
  for (const [name, content] of [
    [HASHED, script],
    ['taskpane.html', page]
  ] as const) {
    writeFileSync(join(root, name), content);
    writeFileSync(join(root, `${name}.br`), brotliCompressSync(content));
    writeFileSync(join(root, `${name}.gz`), gzipSync(content));
  }
  writeFileSync(join(root, 'manifest.xml'), manifest);
  writeFileSync(join(root, 'assets', 'icon-32.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

function get(url: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) })
      );
    })
      .on('error', reject)
      .end();
  });
}

const modes: Array<[string, Record<string, string>]> = [
  ['development', { AUTH_MODE: 'dev' }],
  [
    'production',
    {
      NODE_ENV: 'production',
      ENTRA_API_AUDIENCE: '11111111-2222-4333-8444-555555555555',
      ENTRA_ADDIN_CLIENT_ID: '66666666-7777-4888-9999-000000000000',
      ENTRA_ALLOWED_TENANTS: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee'
    }
  ]
];

describe.each(modes)('the built pane, served in %s', (mode, env) => {
  let server: RunningServer;
  let url: string;
  beforeAll(async () => {
    server = await startServer(testConfig({ DATABASE_URL: join(dir, `${mode}.sqlite`), ...env }), {
      staticRoot: join(dir, 'dist')
    });
    url = server.url;
  });
  afterAll(async () => server?.close());

  test('brotli when the browser takes it, gzip when it takes only that, the file itself otherwise', async () => {
    const br = await get(`${url}/${HASHED}`, { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toMatch(/^application\/javascript/);
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(Number(br.headers['content-length'])).toBe(br.body.length);
    expect(br.body.length).toBeLessThan(script.length / 4);
    expect(brotliDecompressSync(br.body)).toEqual(script);

    const gzip = await get(`${url}/${HASHED}`, { 'accept-encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.body)).toEqual(script);
    expect(
      (await get(`${url}/${HASHED}`, { 'accept-encoding': 'br;q=0, gzip;q=0.5' })).headers['content-encoding']
    ).toBe('gzip');

    for (const headers of [{}, { 'accept-encoding': 'identity' }] as Array<Record<string, string>>) {
      const plain = await get(`${url}/${HASHED}`, headers);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.body).toEqual(script);
    }
  });

  test('the page is compressed too, keeps its security headers, and each encoding has its own ETag', async () => {
    const br = await get(`${url}/taskpane.html`, { 'accept-encoding': 'br' });
    const gzip = await get(`${url}/taskpane.html`, { 'accept-encoding': 'gzip' });
    const plain = await get(`${url}/taskpane.html`);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(br.headers['content-security-policy']).toContain('frame-ancestors');
    // The built page, with the configuration the server adds to it (test/server/http/pane-page.test.ts).
    const withoutConfig = (body: Buffer) =>
      body.toString('utf8').replace(/<script id="addin-config"[^<]*<\/script>/, '');
    expect(withoutConfig(brotliDecompressSync(br.body))).toEqual(page.toString('utf8'));
    expect(plain.body).toEqual(brotliDecompressSync(br.body));
    expect(gunzipSync(gzip.body)).toEqual(plain.body);
    const etags = [br, gzip, plain].map((response) => response.headers.etag);
    expect(new Set(etags).size).toBe(3);
  });

  test('content-hashed files are cached for a year and never revalidated', async () => {
    for (const encoding of ['br', 'gzip', 'identity']) {
      const response = await get(`${url}/${HASHED}`, { 'accept-encoding': encoding });
      expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
  });

  test.each([['/taskpane.html'], ['/manifest.xml'], ['/assets/icon-32.png']])(
    '%s is revalidated: no-cache with an ETag, and a 304 without a body when unchanged',
    async (path) => {
      for (const encoding of ['br', 'gzip', 'identity']) {
        const first = await get(`${url}${path}`, { 'accept-encoding': encoding });
        expect(first.status).toBe(200);
        expect(first.headers['cache-control']).toBe('no-cache');
        const etag = String(first.headers.etag);
        expect(etag).toMatch(/^(W\/)?"[^"]+"$/);
        const again = await get(`${url}${path}`, { 'accept-encoding': encoding, 'if-none-match': etag });
        expect(again.status).toBe(304);
        expect(again.body.length).toBe(0);
        expect(again.headers.etag).toBe(etag);
        const changed = await get(`${url}${path}`, { 'accept-encoding': encoding, 'if-none-match': '"other"' });
        expect(changed.status).toBe(200);
      }
    }
  );

  test('a 304 answers a hashed file asked for conditionally, too', async () => {
    const first = await get(`${url}/${HASHED}`, { 'accept-encoding': 'br' });
    const again = await get(`${url}/${HASHED}`, {
      'accept-encoding': 'br',
      'if-none-match': String(first.headers.etag)
    });
    expect(again.status).toBe(304);
    expect(again.body.length).toBe(0);
  });
});

describe('the real build (npm run build:pane:test)', () => {
  let server: RunningServer;
  beforeAll(async () => {
    const dist = join(process.cwd(), 'dist');
    if (!existsSync(join(dist, 'taskpane.html'))) throw new Error('Build the pane first: npm run build:pane:test');
    server = await startServer(testConfig({ DATABASE_URL: join(dir, 'real.sqlite') }), { staticRoot: dist });
  });
  afterAll(async () => server?.close());

  test('the page and its scripts go out precompressed; the scripts are content-hashed and immutable', async () => {
    const page = await get(`${server.url}/taskpane.html`, { 'accept-encoding': 'br' });
    expect(page.headers['content-encoding']).toBe('br');
    expect(page.headers['cache-control']).toBe('no-cache');
    const scripts = [
      ...brotliDecompressSync(page.body)
        .toString('utf8')
        .matchAll(/<script[^>]+src="([^"]+)"/g)
    ]
      .map((match) => match[1] ?? '')
      .filter((src) => !src.startsWith('http'));
    expect(scripts.length).toBeGreaterThan(0);
    for (const src of scripts) {
      for (const encoding of ['br', 'gzip']) {
        const script = await get(`${server.url}/${src.replace(/^\//, '')}`, { 'accept-encoding': encoding });
        expect([src, script.status, script.headers['content-encoding']]).toEqual([src, 200, encoding]);
        expect(script.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      }
    }
  });
});
