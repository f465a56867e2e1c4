import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { loadConfig } from '../../src/server/config.js';
import { startServer } from '../../src/server/server.js';
import { DEMO_MESSAGE_IDS } from '../../src/shared/demo-mailbox.js';
import { DIST, launchBrowser, paneContext } from '../e2e/browser.js';

/*
 * npm run bench:pane — what the task pane costs a salesperson when it opens:
 * 1. the gzip bytes of the JavaScript it loads first (the entry's scripts in taskpane.html), and
 * 2. over 20 cold loads in headless Chromium (a fresh browser context each: empty cache), the time from
 *    Office.onReady to the history on screen, with the API on loopback and the demo data.
 * Targets: ≤ 150 KB gzip first load; p95 ≤ 300 ms.
 */

const LOADS = 20;
const BUDGET_BYTES = 150 * 1024;
const TARGET_P95_MS = 300;

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};

function firstLoadBytes(): { files: Array<{ file: string; raw: number; gzip: number }>; gzip: number } {
  const html = readFileSync(join(DIST, 'taskpane.html'), 'utf8');
  const scripts = [...html.matchAll(/<script[^>]+src="([^"]+)"/g)]
    .map((match) => match[1] ?? '')
    .filter((src) => !src.startsWith('http'));
  const files = scripts.map((src) => {
    const content = readFileSync(join(DIST, src.replace(/^\//, '')));
    return { file: src, raw: content.length, gzip: gzipSync(content, { level: 9 }).length };
  });
  return { files, gzip: files.reduce((sum, f) => sum + f.gzip, 0) };
}

async function main(): Promise<void> {
  console.log('Building the pane (production, with the Office stand-in for loading it outside Outlook)…');
  execFileSync('npx', ['webpack', '--mode', 'production', '--env', 'standIn'], { stdio: 'ignore' });

  const bytes = firstLoadBytes();
  for (const file of bytes.files) {
    console.log(`  ${file.file}: ${(file.raw / 1024).toFixed(1)} KB raw, ${(file.gzip / 1024).toFixed(1)} KB gzip`);
  }
  const lazy = readFileSync(join(DIST, 'taskpane.html'), 'utf8');
  const eager = /msal|graph|dialogs/.test(lazy);

  const dir = mkdtempSync(join(tmpdir(), 'bench-pane-'));
  const server = await startServer(
    loadConfig({ PORT: '0', HOST: '127.0.0.1', SEED_DEMO: 'true', DATABASE_URL: join(dir, 'db.sqlite') }),
    { staticRoot: DIST }
  );
  const browser = await launchBrowser();
  const readyToHistory: number[] = [];
  const navigationToHistory: number[] = [];
  try {
    const url = `${server.url}/taskpane.html?message=${encodeURIComponent(DEMO_MESSAGE_IDS.contactLatest)}`;
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
  console.log('\nTask pane');
  console.table({
    'first load (gzip KB)': {
      value: +(bytes.gzip / 1024).toFixed(1),
      target: '≤ 150',
      met: bytes.gzip <= BUDGET_BYTES
    },
    'Office.onReady → history, p50 (ms)': { value: +p50.toFixed(1), target: '', met: '' },
    'Office.onReady → history, p95 (ms)': { value: +p95.toFixed(1), target: '≤ 300', met: p95 <= TARGET_P95_MS },
    'navigation → history, p50 (ms)': { value: +percentile(navigationToHistory, 50).toFixed(1), target: '', met: '' },
    'navigation → history, p95 (ms)': { value: +percentile(navigationToHistory, 95).toFixed(1), target: '', met: '' }
  });
  console.log(
    `${LOADS} cold loads; MSAL, the Graph client and the dialogs ${eager ? 'ARE' : 'are not'} in the first load.`
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
