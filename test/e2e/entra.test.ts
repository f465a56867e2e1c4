import { DEMO_MESSAGE_IDS } from '../../src/stand-ins/demo-mailbox.js';
import { startLocalEntraIssuer, type LocalEntraIssuer } from '../helpers/entra-issuer.js';
import type { Page } from 'playwright-core';
import { paneContext, signedInThroughOutlook, useDemoSite } from './browser.js';

jest.setTimeout(60_000);

/*
 * The pane as production runs it: NODE_ENV=production, Entra mode, the API verifying tokens against a local
 * issuer's keys, and the pane getting them through Outlook's nested app authentication bridge (the Office
 * stand-in's): the first load's silent sign-in needs no MSAL, whose chunk loads only when the bridge cannot do.
 */

let issuer: LocalEntraIssuer;
beforeAll(async () => {
  issuer = await startLocalEntraIssuer();
});
afterAll(async () => issuer?.close());
const site = useDemoSite(() => ({ env: { NODE_ENV: 'production', LOG_LEVEL: 'warn', ...issuer.env } }));
const paneUrl = () => `${site.server.url}/taskpane.html?message=${encodeURIComponent(DEMO_MESSAGE_IDS.contactLatest)}`;

/** The pane's scripts from our server, by name, in the order they were requested. */
const scriptsLoaded = (page: Page) =>
  page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .map((entry) => new URL(entry.name))
      .filter((url) => url.origin === location.origin && url.pathname.endsWith('.js'))
      .map((url) => url.pathname)
  );
const MSAL_CHUNK = /\/msal\.[0-9a-f]{8}\.js$/;

test('the pane signs in through the NAA bridge and shows the history, without loading MSAL', async () => {
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
  await page.goto(paneUrl());
  await page.getByRole('heading', { name: 'Lena Berg' }).waitFor();
  await page.getByRole('region', { name: 'History' }).getByRole('listitem').first().waitFor();
  expect(bearer.length).toBeGreaterThan(0);
  for (const header of bearer) expect(header).toMatch(/^Bearer ey/);
  await page.waitForLoadState('networkidle');
  const scripts = await scriptsLoaded(page);
  expect(scripts.some((path) => path.startsWith('/taskpane.'))).toBe(true);
  expect(scripts.filter((path) => MSAL_CHUNK.test(path))).toEqual([]);
  expect(errors).toEqual([]);
  await context.close();
});

test('Outlook refuses the silent token: MSAL is loaded then, and the pane offers Sign in', async () => {
  const context = await paneContext(site.browser);
  await context.addInitScript({
    content: await signedInThroughOutlook(site.server, issuer, { interactionRequired: true })
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(paneUrl());
  await page.getByRole('heading', { name: 'Lena Berg' }).waitFor();
  await page.getByRole('button', { name: 'Sign in' }).first().waitFor();
  expect((await scriptsLoaded(page)).filter((path) => MSAL_CHUNK.test(path))).toHaveLength(1);
  expect(errors).toEqual([]);
  await context.close();
});
