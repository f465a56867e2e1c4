import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { startServer } from '../../src/server/server.js';
import { DEMO_MESSAGE_IDS } from '../../src/stand-ins/demo-mailbox.js';
import { testConfig } from '../helpers/config.js';
import { DIST, launchBrowser, paneContext } from '../e2e/browser.js';

/*
 * npm run bench:pane — what the task pane costs a salesperson when it opens:
 * 1. the bytes on the wire through our own server (headers and bodies as Chromium received them, from the
 *    DevTools protocol), for a cold load (empty cache) and a warm one (the same browser opening the pane again:
 *    the page revalidated with a 304, the content-hashed scripts straight from its cache), split into the pane's
 *    files and the data it fetches (its configuration, the API, dev mode's Graph stand-in); Office.js comes
 *    from Microsoft's CDN and is not counted;
 * 2. the build's compressed first load (the page and the entry's scripts, .gz and .br as the server sends them);
 * 3. over 20 cold loads in headless Chromium (a fresh browser context each: empty cache), the time from
 *    Office.onReady to the history on screen, with the API on loopback and the demo data.
 * Targets: pane files ≤ 150 KB on the wire cold, ≤ 5 KB warm; p95 ≤ 300 ms.
 */

const LOADS = Number(process.env.BENCH_PANE_LOADS ?? 20);
const FIRST_LOAD_TARGET_BYTES = 150 * 1024;
const REPEAT_LOAD_TARGET_BYTES = 5 * 1024;
const TARGET_P95_MS = 300;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};
const kb = (bytes: number) => +(bytes / 1024).toFixed(1);

/** The page and the scripts it starts with, as the build precompressed them. */
function builtFirstLoad(): Array<{ file: string; raw: number; gzip: number; brotli: number }> {
  const html = readFileSync(join(DIST, 'taskpane.html'), 'utf8');
  const scripts = [...html.matchAll(/<script[^>]+src="([^"]+)"/g)]
    .map((match) => match[1] ?? '')
    .filter((src) => !src.startsWith('http'))
    .map((src) => src.replace(/^\//, ''));
  const size = (file: string) => (existsSync(join(DIST, file)) ? statSync(join(DIST, file)).size : NaN);
  return ['taskpane.html', ...scripts].map((file) => ({
    file,
    raw: size(file),
    gzip: size(`${file}.gz`),
    brotli: size(`${file}.br`)
  }));
}

interface WireLoad {
  pane: number;
  data: number;
  requests: number;
  fromCache: number;
  notModified: number;
  encodings: Set<string>;
  /** Each of the pane's files: path, status, bytes received, where it came from. */
  files: string[];
}

/** Data the pane fetches rather than the pane itself. */
const isData = (path: string) => /^\/(?:api|graph|addin)\//.test(path);

/**
 * Opens the pane in `context` and adds up what crossed the wire from `origin` until the history shows. Office.js
 * is answered with the stand-in through the DevTools protocol: Playwright's own routing would switch the
 * browser's cache off, and the warm load is all about that cache.
 */
async function loadOnWire(context: BrowserContext, url: string, origin: string): Promise<WireLoad> {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const standIn = readFileSync(join(DIST, 'office-stand-in.js')).toString('base64');
  await cdp.send('Fetch.enable', { patterns: [{ urlPattern: 'https://appsforoffice.microsoft.com/*' }] });
  cdp.on('Fetch.requestPaused', (event) => {
    void cdp.send('Fetch.fulfillRequest', {
      requestId: event.requestId,
      responseCode: 200,
      responseHeaders: [{ name: 'content-type', value: 'text/javascript' }],
      body: standIn
    });
  });
  const urls = new Map<string, string>();
  const statuses = new Map<string, string>();
  const load: WireLoad = {
    pane: 0,
    data: 0,
    requests: 0,
    fromCache: 0,
    notModified: 0,
    encodings: new Set(),
    files: []
  };
  // A revalidated response shows as the cached 200; the status that crossed the wire comes with the extra info.
  const wireStatus = new Map<string, number>();
  cdp.on('Network.requestWillBeSent', (event) => urls.set(event.requestId, event.request.url));
  cdp.on('Network.responseReceivedExtraInfo', (event) => wireStatus.set(event.requestId, event.statusCode));
  cdp.on('Network.responseReceived', (event) => {
    if (!event.response.url.startsWith(origin)) return;
    const notModified = (wireStatus.get(event.requestId) ?? event.response.status) === 304;
    const cached = event.response.fromDiskCache || event.response.fromPrefetchCache;
    if (notModified) load.notModified++;
    if (cached) load.fromCache++;
    statuses.set(event.requestId, cached ? 'cache' : notModified ? '304' : String(event.response.status));
    const encoding = Object.entries(event.response.headers).find(([name]) => name.toLowerCase() === 'content-encoding');
    if (encoding && !isData(new URL(event.response.url).pathname)) load.encodings.add(String(encoding[1]));
  });
  cdp.on('Network.requestServedFromCache', (event) => {
    if (!urls.get(event.requestId)?.startsWith(origin) || statuses.get(event.requestId) === 'cache') return;
    load.fromCache++;
    statuses.set(event.requestId, 'cache');
  });
  cdp.on('Network.loadingFinished', (event) => {
    const address = urls.get(event.requestId);
    if (!address?.startsWith(origin)) return;
    load.requests++;
    const path = new URL(address).pathname;
    if (isData(path)) {
      load.data += event.encodedDataLength;
      return;
    }
    load.pane += event.encodedDataLength;
    load.files.push(`${path} ${statuses.get(event.requestId) ?? '?'} ${event.encodedDataLength} B`);
  });
  await page.goto(url);
  await page.waitForFunction(() => performance.getEntriesByName('pane:history-rendered').length > 0, undefined, {
    timeout: 15_000
  });
  await page.waitForLoadState('networkidle');
  await cdp.detach();
  await page.close();
  return load;
}

async function main(): Promise<void> {
  console.log('Building the pane (production, with the Office stand-in for loading it outside Outlook)…');
  execFileSync('npx', ['webpack', '--mode', 'production', '--env', 'standIn'], { stdio: 'ignore' });

  const built = builtFirstLoad();
  console.log('Built first load (the page and its entry scripts):');
  for (const file of built) {
    console.log(`  ${file.file}: ${kb(file.raw)} KB raw, ${kb(file.gzip)} KB .gz, ${kb(file.brotli)} KB .br`);
  }
  const lazy = readFileSync(join(DIST, 'taskpane.html'), 'utf8');
  const eager = /msal|graph|dialogs/.test(lazy);

  const dir = mkdtempSync(join(tmpdir(), 'bench-pane-'));
  const server = await startServer(testConfig({ SEED_DEMO: 'true', DATABASE_URL: join(dir, 'db.sqlite') }), {
    staticRoot: DIST
  });
  const browser = await launchBrowser();
  const readyToHistory: number[] = [];
  const navigationToHistory: number[] = [];
  let cold: WireLoad;
  let warm: WireLoad;
  try {
    const url = `${server.url}/taskpane.html?message=${encodeURIComponent(DEMO_MESSAGE_IDS.contactLatest)}`;
    // One browser profile, two visits: the first with an empty cache, the second as a returning user.
    const visits = await browser.newContext({ viewport: { width: 360, height: 760 } });
    cold = await loadOnWire(visits, url, server.url);
    warm = await loadOnWire(visits, url, server.url);
    await visits.close();
    for (let load = 0; load <= LOADS; load++) {
      const context = await paneContext(browser);
      const page = await context.newPage();
      await page.goto(url);
      await page.waitForFunction(() => performance.getEntriesByName('pane:history-rendered').length > 0, undefined, {
        timeout: 15_000
      });
      const marks = await page.evaluate(() => ({
        ready: performance.getEntriesByName('pane:office-ready')[0]?.startTime ?? NaN,
        history: performance.getEntriesByName('pane:history-rendered')[0]?.startTime ?? NaN
      }));
      await context.close();
      if (load === 0) continue; // the first load also warms the server's statement caches
      readyToHistory.push(marks.history - marks.ready);
      navigationToHistory.push(marks.history);
    }
  } finally {
    await browser.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }

  const p50 = percentile(readyToHistory, 50);
  const p95 = percentile(readyToHistory, 95);
  const sum = (pick: (file: (typeof built)[number]) => number) => built.reduce((total, file) => total + pick(file), 0);
  console.log('\nTask pane');
  console.table({
    'built first load, .gz (KB)': { value: kb(sum((f) => f.gzip)), target: '≤ 150 (build budget)', met: '' },
    'built first load, .br (KB)': { value: kb(sum((f) => f.brotli)), target: '', met: '' },
    'cold load, pane files on the wire (KB)': {
      value: kb(cold.pane),
      target: '≤ 150',
      met: cold.pane <= FIRST_LOAD_TARGET_BYTES
    },
    'cold load, data on the wire (KB)': { value: kb(cold.data), target: '', met: '' },
    'warm load, pane files on the wire (KB)': {
      value: kb(warm.pane),
      target: '≤ 5',
      met: warm.pane <= REPEAT_LOAD_TARGET_BYTES
    },
    'warm load, data on the wire (KB)': { value: kb(warm.data), target: '', met: '' },
    'Office.onReady → history, p50 (ms)': { value: +p50.toFixed(1), target: '', met: '' },
    'Office.onReady → history, p95 (ms)': { value: +p95.toFixed(1), target: '≤ 300', met: p95 <= TARGET_P95_MS },
    'navigation → history, p50 (ms)': { value: +percentile(navigationToHistory, 50).toFixed(1), target: '', met: '' },
    'navigation → history, p95 (ms)': { value: +percentile(navigationToHistory, 95).toFixed(1), target: '', met: '' }
  });
  const describe = (load: WireLoad) =>
    `${load.requests} requests, ${load.notModified} answered 304, ${load.fromCache} from the browser's cache, ` +
    `pane files encoded as ${[...load.encodings].join(', ') || 'nothing'}: ${load.files.join('; ')}`;
  console.log(`cold: ${describe(cold)}\nwarm: ${describe(warm)}`);
  console.log(
    `${LOADS} cold loads; MSAL, the Graph client and the dialogs ${eager ? 'ARE' : 'are not'} in the first load.`
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
