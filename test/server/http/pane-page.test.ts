import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pickEncoding, withAddinConfig } from '../../../src/server/http/pane-page.js';
import { startServer, type RunningServer } from '../../../src/server/server.js';
import { ADDIN_CONFIG_ELEMENT_ID } from '../../../src/shared/addin-page.js';
import type { AddinConfig } from '../../../src/shared/schemas/addin-config.js';
import { testConfig } from '../../helpers/config.js';

/*
 * The pane's page carries its runtime configuration, so the pane starts without asking for it: in both modes the
 * page holds what /addin/config.json says, where the pane's entry reads it, and nothing in it can end the block.
 */

const PAGE =
  '<!doctype html><html><head><script src="https://appsforoffice.microsoft.com/lib/1/hosted/office.js"></script></head><body><div id="root"></div></body></html>';

const ENTRA = {
  NODE_ENV: 'production',
  ENTRA_API_AUDIENCE: '11111111-2222-4333-8444-555555555555',
  ENTRA_ADDIN_CLIENT_ID: '66666666-7777-4888-9999-000000000000',
  ENTRA_ALLOWED_TENANTS: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee'
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pane-page-'));
  mkdirSync(join(dir, 'dist'));
  writeFileSync(join(dir, 'dist', 'taskpane.html'), PAGE);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The data block's content as the browser reads it: everything up to the first `</script>`. */
const configIn = (html: string): unknown => {
  const block = new RegExp(`<script id="${ADDIN_CONFIG_ELEMENT_ID}" type="application/json">(.*?)</script>`, 's');
  return JSON.parse(block.exec(html)?.[1] ?? 'null');
};

describe.each([
  ['dev', { AUTH_MODE: 'dev' }],
  ['entra', ENTRA]
])('the page served in %s mode', (mode, env) => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startServer(testConfig({ DATABASE_URL: join(dir, `${mode}.sqlite`), ...env }), {
      staticRoot: join(dir, 'dist')
    });
  });
  afterAll(async () => server?.close());

  test('holds the configuration /addin/config.json answers, in the head, and the page around it unchanged', async () => {
    const page = await (await fetch(`${server.url}/taskpane.html`)).text();
    const config = (await (await fetch(`${server.url}/addin/config.json`)).json()) as AddinConfig;
    expect(config.authMode).toBe(mode);
    expect(configIn(page)).toEqual(config);
    expect(page).toMatch(/<script id="addin-config" type="application\/json">[^<]*<\/script><\/head>/);
    expect(page.replace(/<script id="addin-config"[^<]*<\/script>/, '')).toBe(PAGE);
  });

  test('the page with the Office stand-in (dev mode only) carries it too', async () => {
    const page = await (await fetch(`${server.url}/taskpane.html?standIn=1`)).text();
    const config = (await (await fetch(`${server.url}/addin/config.json`)).json()) as AddinConfig;
    expect(configIn(page)).toEqual(config);
    expect(page.includes('/office-stand-in.js')).toBe(mode === 'dev');
  });

  test('asked for with a query (as Outlook may), it is the same page', async () => {
    const plain = await (await fetch(`${server.url}/taskpane.html`)).text();
    expect(await (await fetch(`${server.url}/taskpane.html?et=&_host_Info=Outlook`)).text()).toBe(plain);
  });
});

test('nothing in the configuration can end its block early', () => {
  const hostile = { authMode: 'dev', apiBaseUrl: '</script><script>alert(1)</script>' } as unknown as AddinConfig;
  const page = withAddinConfig(PAGE, hostile);
  expect(page).not.toContain('</script><script>');
  expect(configIn(page)).toEqual(hostile);
});

test('a page without a head is left as it is (the pane then asks /addin/config.json)', () => {
  const bare = '<div id="root"></div>';
  expect(withAddinConfig(bare, { authMode: 'dev', apiBaseUrl: '', graphBaseUrl: '/graph', entra: null })).toBe(bare);
});

test.each([
  [undefined, 'identity'],
  ['gzip, deflate, br', 'br'],
  ['gzip', 'gzip'],
  ['br;q=0, gzip;q=0.5', 'gzip'],
  ['BR;q=0.1', 'br'],
  ['br;q=0, gzip;q=0', 'identity'],
  ['identity', 'identity']
])('Accept-Encoding %p picks %p', (header, expected) => {
  expect(pickEncoding(header)).toBe(expected);
});
