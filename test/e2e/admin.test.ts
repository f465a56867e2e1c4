import type { Page } from 'playwright-core';
import { DEMO_MESSAGE_IDS, DEMO_PEOPLE } from '../../src/stand-ins/demo-mailbox.js';
import type { ValidationReport } from '../../src/shared/schemas/admin.js';
import type { DevTokenRequest } from '../../src/shared/schemas/auth.js';
import { startGraphMailbox, TEST_LIMITS, type GraphMailbox } from '../../src/stand-ins/graph/stand-in.js';
import { apiClient } from '../helpers/api.js';
import { axeSeriousViolations, FOCUS_GUARDS, openPane, screenshot, useDemoSite } from './browser.js';

jest.setTimeout(90_000);

/*
 * The admin view end to end: real headless Chromium, the built pane over the real API, whose automatic
 * logging signs in (MSAL, client credentials) to the Graph stand-in over HTTP. The shared mailbox there has
 * no Archive folder: an admin sets the address, validates, sees the folders check fail with its fix, has
 * the server create the folders, and validation passes. A salesperson never gets the view's code and is
 * refused by its API. Screenshots go to test-results/.
 */

const SHARED = 'interaction-log@northwind.example';
let standIn: GraphMailbox;

beforeAll(async () => {
  standIn = await startGraphMailbox({ mailboxes: [{ address: SHARED, archiveFolder: false }], limits: TEST_LIMITS });
});
const site = useDemoSite(() => ({ graph: standIn, env: { MAILBOX_SCHEDULE: 'false' } }));
afterAll(async () => standIn?.close());
const openAdminPane = (query: Record<string, string>, options: { dark?: boolean } = {}) =>
  openPane(site, query, { ...options, timeoutMs: 15_000 });

const adminChunk = (scripts: string[]) => scripts.some((name) => /^admin\.[0-9a-f]+\.js$/.test(name));

const tokenFor = (roles: DevTokenRequest['roles']) =>
  apiClient(site.server).token({ email: DEMO_PEOPLE.ana.address, roles });

const checkItem = (page: Page, id: string) => page.locator(`li[data-check="${id}"]`);

test('an admin validates, sees the Archive folder failing with its fix, creates the folders, and validation passes', async () => {
  const { page, scripts, errors } = await openAdminPane({ message: DEMO_MESSAGE_IDS.contactLatest, devRoles: 'Admin' });
  await page.getByRole('heading', { name: 'Lena Berg' }).waitFor();
  const adminButton = page.getByRole('button', { name: 'Admin' });
  await adminButton.waitFor();
  await page.waitForLoadState('networkidle');
  expect(adminChunk(scripts)).toBe(false);
  await adminButton.click();
  await page.getByRole('heading', { name: 'Administration' }).waitFor();
  expect(await adminButton.getAttribute('aria-pressed')).toBe('true');
  expect(adminChunk(scripts)).toBe(true);

  // Settings: the shared mailbox's address, saved through the API.
  await page.getByRole('tab', { name: 'Settings' }).click();
  const address = page.getByLabel('Shared mailbox address');
  await address.fill(SHARED);
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Saved.').waitFor();

  // Setup: the steps show the address in their commands; validation fails on the folders, with a fix.
  await page.getByRole('tab', { name: 'Setup' }).click();
  const step1 = page.getByRole('article', { name: 'Step 1: Create the shared mailbox' });
  await step1.getByText(`-PrimarySmtpAddress '${SHARED}'`).waitFor();
  await page.getByRole('button', { name: 'Validate configuration' }).click();
  const folders = checkItem(page, 'folders');
  await folders.getByText('Failed').waitFor();
  expect(await checkItem(page, 'token').getByText('Passed').count()).toBe(1);
  expect(await checkItem(page, 'mailbox').getByText('Passed').count()).toBe(1);
  const step2 = page.getByRole('article', { name: /^Step 2:/ });
  expect(await step2.locator('[data-status]').first().getAttribute('data-status')).toBe('fail');
  const fix = folders.getByRole('button', { name: 'Create the folders' });
  await fix.scrollIntoViewIfNeeded();
  await screenshot(page, 'admin-validate-failing');

  await fix.click();
  await folders.getByText('Passed').waitFor();
  expect(await folders.getByRole('button', { name: 'Create the folders' }).count()).toBe(0);
  expect(await step2.locator('[data-status]').first().getAttribute('data-status')).not.toBe('fail');
  await screenshot(page, 'admin-validate-passing');

  // The server agrees: the folders exist now.
  const response = await fetch(`${site.server.url}/api/v1/admin/mailbox/validate`, {
    method: 'POST',
    headers: { authorization: `Bearer ${await tokenFor(['Admin'])}` }
  });
  const report = (await response.json()) as ValidationReport;
  expect(report.items.find((item) => item.id === 'folders')?.status).toBe('pass');
  expect(errors).toEqual([]);
  await page.close();
});

test('the admin view in the dark theme: reachable by keyboard, no serious accessibility violation', async () => {
  const { page, errors } = await openAdminPane(
    { message: DEMO_MESSAGE_IDS.contactLatest, devRoles: 'Admin', theme: 'dark' },
    { dark: true }
  );
  await page.getByRole('heading', { name: 'Lena Berg' }).waitFor();
  const adminButton = page.getByRole('button', { name: 'Admin' });
  await adminButton.focus();
  await page.keyboard.press('Enter');
  const setupTab = page.getByRole('tab', { name: 'Setup' });
  await setupTab.waitFor();
  await page.getByRole('button', { name: 'Validate configuration' }).click();
  await checkItem(page, 'token').waitFor();
  await page.getByRole('article', { name: /^Step 6:/ }).waitFor();
  expect(await axeSeriousViolations(page, [FOCUS_GUARDS])).toEqual([]);

  await setupTab.focus();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Quarantine' }).waitFor();
  await screenshot(page, 'admin-health-dark');
  expect(await axeSeriousViolations(page, [FOCUS_GUARDS])).toEqual([]);
  await page.getByRole('tab', { name: 'Directory' }).click();
  await page.getByRole('list', { name: 'Salespeople' }).getByRole('listitem').first().waitFor();
  await screenshot(page, 'admin-directory-dark');
  expect(await axeSeriousViolations(page, [FOCUS_GUARDS])).toEqual([]);
  expect(errors).toEqual([]);
  await page.close();
});

test('a salesperson gets no Admin button, never downloads the admin view, and is refused by its API', async () => {
  const { page, scripts, errors } = await openAdminPane({ message: DEMO_MESSAGE_IDS.contactLatest });
  await page.getByRole('heading', { name: 'Lena Berg' }).waitFor();
  await page.waitForLoadState('networkidle');
  expect(await page.getByRole('button', { name: 'Admin' }).count()).toBe(0);
  expect(adminChunk(scripts)).toBe(false);
  expect(errors).toEqual([]);
  await page.close();

  const salesperson = await tokenFor([]);
  for (const [method, path] of [
    ['POST', '/api/v1/admin/mailbox/validate'],
    ['POST', '/api/v1/admin/mailbox/folders'],
    ['GET', '/api/v1/admin/mailbox/settings'],
    ['GET', '/api/v1/admin/directory/problems']
  ] as const) {
    const response = await fetch(`${site.server.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${salesperson}` }
    });
    expect([path, response.status]).toEqual([path, 403]);
  }
});
