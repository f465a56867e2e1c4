import { DEMO_MESSAGE_IDS } from '../../src/stand-ins/demo-mailbox.js';
import { startLocalEntraIssuer, type LocalEntraIssuer } from '../helpers/entra-issuer.js';
import { paneContext, signedInThroughOutlook, useDemoSite } from './browser.js';

jest.setTimeout(60_000);

/*
 * The pane as production runs it: NODE_ENV=production, Entra mode, the API verifying tokens against a local
 * issuer's keys, and MSAL in the page getting them through Outlook's nested app authentication bridge (the Office
 * stand-in's). MSAL's chunk is requested before the first screen is drawn, not awaited by it.
 */

let issuer: LocalEntraIssuer;
beforeAll(async () => {
  issuer = await startLocalEntraIssuer();
});
afterAll(async () => issuer?.close());
const site = useDemoSite(() => ({ env: { NODE_ENV: 'production', LOG_LEVEL: 'warn', ...issuer.env } }));

test('the pane signs in through the NAA bridge and shows the history; MSAL loads alongside the first screen', async () => {
  const context = await paneContext(site.browser);
  await context.addInitScript({ content: await signedInThroughOutlook(site.server, issuer) });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const bearer: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname.startsWith('/api/')) bearer.push(request.headers().authorization ?? '');
  });
  await page.goto(`${site.server.url}/taskpane.html?message=${encodeURIComponent(DEMO_MESSAGE_IDS.contactLatest)}`);
  await page.getByRole('heading', { name: 'Lena Berg' }).waitFor();
  await page.getByRole('region', { name: 'History' }).getByRole('listitem').first().waitFor();
  expect(bearer.length).toBeGreaterThan(0);
  for (const header of bearer) expect(header).toMatch(/^Bearer ey/);

  const timing = await page.evaluate(() => ({
    firstScreen: performance.getEntriesByName('pane:first-screen')[0]?.startTime ?? NaN,
    history: performance.getEntriesByName('pane:history-rendered')[0]?.startTime ?? NaN,
    msal: performance
      .getEntriesByType('resource')
      .filter((entry) => /\/msal\.[0-9a-f]{8}\.js$/.test(entry.name))
      .map((entry) => entry.startTime)
  }));
  expect(timing.msal).toHaveLength(1);
  // Asked for before the first screen was drawn, so it downloads while it is.
  expect(timing.msal[0]).toBeLessThan(timing.firstScreen);
  expect(timing.firstScreen).toBeLessThanOrEqual(timing.history);
  expect(errors).toEqual([]);
  await context.close();
});
