import type { Page } from 'playwright-core';
import { DEMO_MESSAGE_IDS } from '../../src/stand-ins/demo-mailbox.js';
import { paneContext, useDemoSite } from './browser.js';

jest.setTimeout(60_000);

/*
 * The pane under its Content Security Policy, in real Chromium: the policy arrives with the page, the pane
 * loads Office.js (the stand-in, at the CDN URL), renders its history and logs a thread, and the browser
 * reports no violation at all. The preview page frames the pane under the same policy.
 */

const site = useDemoSite();

/** Opens a page that records every CSP violation of every frame in it. */
async function openRecording(path: string): Promise<{ page: Page; violations: string[] }> {
  const context = await paneContext(site.browser);
  const violations: string[] = [];
  await context.exposeFunction('reportViolation', (text: string) => violations.push(text));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { reportViolation(text: string): void }).reportViolation(
        `${event.violatedDirective} ${event.blockedURI} (${document.location.pathname})`
      );
    });
  });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on('console', (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.goto(`${site.server.url}${path}`);
  return { page, violations };
}

test('the pane page carries its policy: Office.js from the CDN, no inline or evaluated script, Outlook may frame it', async () => {
  const response = await fetch(`${site.server.url}/taskpane.html`);
  expect(response.status).toBe(200);
  const policy = Object.fromEntries(
    (response.headers.get('content-security-policy') ?? '').split(/;\s*/).map((d) => {
      const [name = '', ...sources] = d.split(' ');
      return [name, sources];
    })
  );
  expect(policy['script-src']).toEqual(["'self'", 'https://appsforoffice.microsoft.com']);
  expect(policy['connect-src']).toEqual(
    expect.arrayContaining(["'self'", 'https://graph.microsoft.com', 'https://login.microsoftonline.com'])
  );
  expect(policy['frame-ancestors']).toEqual(expect.arrayContaining(["'self'", 'https://*.office.com']));
  expect(policy['object-src']).toEqual(["'none'"]);
  expect(response.headers.get('x-frame-options')).toBeNull();
});

test('the pane works under its policy with no violation: history shown, thread logged', async () => {
  const { page, violations } = await openRecording(`/taskpane.html?message=${DEMO_MESSAGE_IDS.contactLatest}`);
  await page.getByRole('heading', { name: 'Lena Berg' }).waitFor();
  const history = page.getByRole('region', { name: 'History' });
  await history.waitFor();
  expect(await history.getByRole('listitem').count()).toBeGreaterThan(0);
  await page.getByRole('button', { name: 'Log this thread' }).click();
  await page.getByText(/^Logged \d+ entries\./).waitFor();
  // Fluent's run-time styles applied (style-src): the button is not an unstyled browser default.
  const radius = await page
    .getByRole('button', { name: /Create opportunity/ })
    .first()
    .evaluate((node) => getComputedStyle(node).borderRadius);
  expect(radius).not.toBe('0px');
  expect(violations).toEqual([]);
  // The recorder does see violations: an injected inline script is refused and reported.
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.injected = true';
    document.head.append(script);
  });
  for (let waited = 0; violations.length === 0 && waited < 5000; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(violations[0]).toMatch(/script-src/);
  await page.context().close();
});

test('the preview page frames the pane under the same policy without violations', async () => {
  const { page, violations } = await openRecording('/preview.html');
  const pane = page.frameLocator('iframe[title="Interaction log task pane"]');
  await pane.getByRole('region', { name: 'History' }).waitFor();
  expect(violations).toEqual([]);
  await page.context().close();
});
