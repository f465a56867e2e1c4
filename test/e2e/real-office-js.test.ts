import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { OFFICE_TELEMETRY_FRAME } from '../../src/server/http/security-headers.js';
import { useDemoSite } from './browser.js';

jest.setTimeout(60_000);

/*
 * The pane with Microsoft's real office.js (the npm @microsoft/office-js copy, served at its CDN address) and no
 * Outlook around it: someone opening the add-in's URL in a browser. Office.onReady resolves without a host and
 * there is no mailbox, so the pane must say where it works instead of failing; and office.js, which frames
 * Microsoft's telemetry service as it starts, must run under the pane's production Content Security Policy
 * without a single violation. Nothing leaves the machine: Microsoft's hosts are answered locally and every
 * other address is refused (and reported).
 */

const OFFICE_JS_DIST = resolve('node_modules/@microsoft/office-js/dist');
const OFFICE_CDN = 'https://appsforoffice.microsoft.com/lib/1/hosted/';

const PRODUCTION = {
  NODE_ENV: 'production',
  SEED_DEMO: 'false',
  ENTRA_API_AUDIENCE: '11111111-2222-4333-8444-555555555555',
  ENTRA_ADDIN_CLIENT_ID: '66666666-7777-4888-9999-000000000000',
  ENTRA_ALLOWED_TENANTS: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee'
};

interface Visit {
  page: Page;
  context: BrowserContext;
  violations: string[];
  /** Addresses off our origin the page asked for, answered locally. */
  microsoft: string[];
  /** Addresses off our origin that were refused. */
  refused: string[];
}

async function openWithRealOfficeJs(browser: Browser, origin: string, locale: string): Promise<Visit> {
  const context = await browser.newContext({ viewport: { width: 360, height: 760 }, locale });
  const visit: Visit = { page: await context.newPage(), context, violations: [], microsoft: [], refused: [] };
  await context.route(
    (url) => url.origin !== origin,
    async (route) => {
      const url = route.request().url();
      if (url.startsWith(OFFICE_CDN)) {
        const file = join(OFFICE_JS_DIST, new URL(url).pathname.slice(new URL(OFFICE_CDN).pathname.length));
        if (existsSync(file)) {
          visit.microsoft.push(url);
          return route.fulfill({ path: file, contentType: 'text/javascript' });
        }
      }
      if (url.startsWith(`${OFFICE_TELEMETRY_FRAME}/`)) {
        visit.microsoft.push(url);
        return route.fulfill({ body: '<!doctype html><title>telemetry</title>', contentType: 'text/html' });
      }
      visit.refused.push(url);
      return route.abort();
    }
  );
  await context.exposeFunction('reportViolation', (text: string) => visit.violations.push(text));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { reportViolation(text: string): void }).reportViolation(
        `${event.violatedDirective} ${event.blockedURI}`
      );
    });
  });
  visit.page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) visit.violations.push(message.text());
  });
  visit.page.setDefaultTimeout(15_000);
  await visit.page.goto(`${origin}/taskpane.html`);
  return visit;
}

/** Waits until office.js has framed its telemetry page (it does so while starting). */
async function telemetryFramed(visit: Visit): Promise<void> {
  for (let waited = 0; waited < 10_000; waited += 100) {
    if (visit.page.frames().some((frame) => frame.url().startsWith(OFFICE_TELEMETRY_FRAME))) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`office.js framed no telemetry page; frames: ${visit.page.frames().map((f) => f.url())}`);
}

describe('production server', () => {
  const site = useDemoSite(() => ({ env: PRODUCTION }));

  test('a clear page in the browser’s language, no raw error, and not one CSP violation', async () => {
    const visit = await openWithRealOfficeJs(site.browser, site.server.url, 'fi-FI');
    await visit.page.getByRole('heading', { name: 'Avaa vuorovaikutusloki Outlookista' }).waitFor();
    await telemetryFramed(visit);
    expect(await visit.page.textContent('body')).not.toMatch(/Cannot read properties|undefined/);
    expect(await visit.page.getAttribute('html', 'lang')).toBe('fi-FI');
    // Production has no preview page to offer.
    expect(await visit.page.getByRole('link').count()).toBe(0);
    expect(visit.microsoft).toContain(`${OFFICE_CDN}office.js`);
    expect(visit.refused).toEqual([]);
    expect(visit.violations).toEqual([]);
    await visit.context.close();
  });
});

describe('development server', () => {
  const site = useDemoSite();

  test('the same page links to the preview, which opens', async () => {
    const visit = await openWithRealOfficeJs(site.browser, site.server.url, 'en-US');
    await visit.page.getByRole('heading', { name: 'Open the interaction log from Outlook' }).waitFor();
    await telemetryFramed(visit);
    await visit.page.getByRole('link', { name: 'Try it beside a demo mailbox' }).click();
    await visit.page.waitForURL(`${site.server.url}/preview.html`);
    expect(visit.violations).toEqual([]);
    await visit.context.close();
  });
});
