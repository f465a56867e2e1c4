import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { loadConfig } from '../../src/server/config.js';
import { startServer, type RunningServer, type StartOptions } from '../../src/server/server.js';

/*
 * Real headless Chromium (Debian's), driven by playwright-core. Office.js is requested from Microsoft's
 * CDN exactly as in Outlook; the request is answered with the Office stand-in from the same build.
 */

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const DIST = resolve('dist');
export const ARTIFACTS = resolve('test-results');
const OFFICE_JS = 'https://appsforoffice.microsoft.com/**';

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // Without the networking flags Chromium keeps calling Google's hosts, which this network refuses.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync'
    ]
  });
}

/** A fresh context (no cache, no storage) whose Office.js is the stand-in; the pane is 360 px wide like Outlook's. */
export async function paneContext(browser: Browser, options: { dark?: boolean } = {}): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: { width: 360, height: 760 },
    colorScheme: options.dark ? 'dark' : 'light'
  });
  await context.route(OFFICE_JS, (route) =>
    route.fulfill({ path: join(DIST, 'office-stand-in.js'), contentType: 'text/javascript' })
  );
  return context;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

export interface DemoSite {
  /** The real server over a fresh embedded store with the demo organization, serving the built pane. */
  server: RunningServer;
  browser: Browser;
  close(): Promise<void>;
}

/**
 * What every browser test starts from: the built pane with its stand-ins, the demo data, and Chromium.
 * `env` adds server settings (automatic logging's MAILBOX_*), `options` the server's test hooks.
 */
export async function startDemoSite(
  env: Record<string, string> = {},
  options: Omit<StartOptions, 'staticRoot'> = {}
): Promise<DemoSite> {
  if (!existsSync(join(DIST, 'office-stand-in.js'))) {
    throw new Error('Build the pane with its stand-ins first: npm run build:pane:test');
  }
  const dir = mkdtempSync(join(tmpdir(), 'e2e-'));
  const server = await startServer(
    loadConfig({ PORT: '0', HOST: '127.0.0.1', SEED_DEMO: 'true', DATABASE_URL: join(dir, 'db.sqlite'), ...env }),
    { ...options, staticRoot: DIST }
  );
  const browser = await launchBrowser();
  return {
    server,
    browser,
    async close() {
      await browser.close();
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
