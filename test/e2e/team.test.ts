import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import type { Page } from 'playwright-core';
import { DEMO_MESSAGE_IDS } from '../../src/stand-ins/demo-mailbox.js';
import { axeSeriousViolations, demoApi, FOCUS_GUARDS, openPane, screenshot, useDemoSite } from './browser.js';

jest.setTimeout(90_000);

/*
 * The manager's team view end to end: real headless Chromium, the built pane over the real API with the demo
 * organization (Ana López manages its team of six). The view's code arrives only when a manager opens it;
 * a manager filters, reads the chart by keyboard, drills into a contact, comes back to the same filters, and
 * exports them as CSV. Screenshots go to test-results/.
 */

const site = useDemoSite();
/** The API as Ana, a manager, for checking what the pane showed. */
const api = <T>(path: string) => demoApi(site, { roles: ['Manager'] })<T>('GET', path);

const teamChunk = (scripts: string[]) => scripts.some((name) => /^team\.[0-9a-f]+\.js$/.test(name));

const teamList = (page: Page) => page.getByRole('region', { name: 'Team history' });

test('a salesperson has no team button and never downloads the team view', async () => {
  const { page, scripts } = await openPane(site, { message: DEMO_MESSAGE_IDS.contactLatest });
  await page.getByRole('heading', { name: 'Lena Berg' }).waitFor();
  await page.waitForLoadState('networkidle');
  expect(await page.getByRole('button', { name: 'Team' }).count()).toBe(0);
  expect(teamChunk(scripts)).toBe(false);
  await page.close();
});

test('a manager filters the team view, reads the chart, drills into a contact, comes back to the same filters and exports them', async () => {
  const { page, scripts } = await openPane(site, { message: DEMO_MESSAGE_IDS.contactLatest, devRoles: 'Manager' });
  await page.getByRole('heading', { name: 'Lena Berg' }).waitFor();
  const teamButton = page.getByRole('button', { name: 'Team' });
  await teamButton.waitFor();
  expect(teamChunk(scripts)).toBe(false);
  await teamButton.click();
  await page.getByRole('heading', { name: 'Team activity' }).waitFor();
  expect(await teamButton.getAttribute('aria-pressed')).toBe('true');
  expect(teamChunk(scripts)).toBe(true);
  await teamList(page).getByRole('listitem').first().waitFor();

  // Filter: one salesperson and one company.
  await page.getByLabel('Salesperson').selectOption({ label: 'Mikko Virtanen' });
  const search = page.getByRole('combobox', { name: 'Contact or company' });
  await search.fill('Fabrikam');
  await page.getByRole('option', { name: 'Company: Fabrikam' }).click();
  const expected = await api<{ items: Array<{ contact: { name: string }; salesperson: { name: string } }> }>(
    `/api/v1/team/interactions?limit=25&company=Fabrikam&salespersonId=${await page.getByLabel('Salesperson').inputValue()}`
  );
  expect(expected.items.length).toBeGreaterThan(0);
  const rows = teamList(page).getByRole('listitem');
  await page.waitForFunction(
    (count) => {
      const region = [...document.querySelectorAll('section')].find((s) => s.textContent?.startsWith('Team history'));
      return region?.querySelectorAll('li').length === count;
    },
    Math.min(expected.items.length, 25)
  );
  const texts = await rows.allInnerTexts();
  expect(texts.every((text) => text.includes('Mikko Virtanen'))).toBe(true);
  expect(texts.map((text) => text.split('\n')[0])).toEqual(expected.items.map((item) => item.contact.name));

  // The chart: one tab stop, arrow keys move between weeks and the readout follows.
  const chart = page.getByRole('region', { name: 'Emails per week' });
  const weeks = chart.getByRole('list', { name: 'Emails per week' }).getByRole('listitem');
  expect(await weeks.count()).toBe(12);
  await weeks.last().focus();
  const readout = chart.locator('[aria-live="polite"]');
  const lastWeek = await readout.innerText();
  await page.keyboard.press('ArrowLeft');
  await page.waitForFunction((before) => document.activeElement?.getAttribute('aria-label') !== before, lastWeek);
  expect(await readout.innerText()).not.toBe(lastWeek);
  expect(await readout.innerText()).toMatch(/^Week of /);
  expect(await weeks.nth(10).getAttribute('tabindex')).toBe('0');
  expect(await weeks.last().getAttribute('tabindex')).toBe('-1');
  await page.getByRole('region', { name: 'Open opportunities by stage' }).waitFor();
  await screenshot(page, 'team-view');

  // Drill down into the first row's contact, then back.
  const firstContact = expected.items[0]!.contact.name;
  await rows.first().getByRole('button', { name: firstContact }).click();
  await page.getByRole('button', { name: 'Back to team' }).waitFor();
  await page.getByRole('heading', { name: firstContact }).waitFor();
  const history = page.getByRole('region', { name: 'History' });
  await history.getByRole('listitem').first().waitFor();
  await page.getByRole('region', { name: 'Open opportunities' }).waitFor();
  // The contact's whole history: every salesperson, not only the filtered one.
  const everyone = await history.getByRole('listitem').allInnerTexts();
  expect(everyone.length).toBeGreaterThanOrEqual(texts.filter((t) => t.startsWith(firstContact)).length);
  await screenshot(page, 'team-drill-down');
  await page.getByRole('button', { name: 'Back to team' }).click();

  await page.getByRole('heading', { name: 'Team activity' }).waitFor();
  expect(await page.getByLabel('Salesperson').inputValue()).toBe(
    await page.getByLabel('Salesperson').locator('option', { hasText: 'Mikko Virtanen' }).getAttribute('value')
  );
  expect(await search.inputValue()).toBe('Company: Fabrikam');
  expect(await rows.allInnerTexts()).toEqual(texts);
  // Focus returns to the row the manager opened.
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe(firstContact);

  // Export what is filtered.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export CSV' }).click()
  ]);
  expect(download.suggestedFilename()).toMatch(/^team-interactions-\d{4}-\d{2}-\d{2}\.csv$/);
  const file = readFileSync((await download.path()) as string);
  expect([...file.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const records: string[][] = parse(file, { bom: true });
  expect(records[0]?.slice(0, 4)).toEqual(['Date (UTC)', 'Direction', 'Source', 'Salesperson']);
  const exported = records.slice(1);
  expect(exported.length).toBeGreaterThanOrEqual(expected.items.length);
  expect(exported.every((row) => row[3] === 'Mikko Virtanen' && row[7] === 'Fabrikam')).toBe(true);
  expect(exported.slice(0, expected.items.length).map((row) => row[5])).toEqual(
    expected.items.map((item) => item.contact.name)
  );
  await page.close();
});

test('the team view in the dark theme has no serious accessibility violation', async () => {
  const { page } = await openPane(
    site,
    { message: DEMO_MESSAGE_IDS.contactLatest, devRoles: 'Manager', theme: 'dark' },
    { dark: true }
  );
  await page.getByRole('button', { name: 'Team' }).click();
  await teamList(page).getByRole('listitem').first().waitFor();
  await screenshot(page, 'team-view-dark');
  // The date fields' calendars are popups with focus guards, as the admin view's tab lists.
  expect(await axeSeriousViolations(page, [FOCUS_GUARDS])).toEqual([]);
  await page.close();
});
