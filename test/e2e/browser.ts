import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

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
