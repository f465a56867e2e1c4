import type { Page } from 'playwright-core';
import { DEMO_MESSAGE_IDS } from '../../src/stand-ins/demo-mailbox.js';
import { openPane, screenshot, useDemoSite } from './browser.js';

jest.setTimeout(60_000);

/*
 * Searching the correspondent's history and adding a note, end to end: headless Chromium, the built pane, the
 * real API with the demo data on the embedded store. Screenshots go to test-results/.
 */

const site = useDemoSite();

const history = (page: Page) => page.getByRole('region', { name: 'History' });

test('search finds an email by a word of its preview, marks the word; clearing brings the history back', async () => {
  const { page } = await openPane(site, { message: DEMO_MESSAGE_IDS.contactLatest });
  await page.getByRole('heading', { name: 'Lena Berg' }).waitFor();
  await history(page).getByRole('listitem').first().waitFor();
  const box = page.getByRole('searchbox', { name: 'Search the history' });
  await box.fill('procurement');
  await history(page)
    .locator('mark', { hasText: /^procurement$/i })
    .first()
    .waitFor();
  const previews = await history(page).getByRole('listitem').allInnerTexts();
  expect(previews.length).toBeGreaterThan(0);
  for (const text of previews) expect(text.toLowerCase()).toContain('procurement');
  await screenshot(page, 'pane-search');

  await box.fill('zzzunmatched');
  await page.getByText('Nothing in the history matches “zzzunmatched”.').waitFor();
  await box.fill('');
  await history(page).getByRole('listitem').first().waitFor();
  expect(await history(page).locator('mark').count()).toBe(0);
  await page.close();
});

test('a note appears in the history at once, and search finds it by its text', async () => {
  const { page } = await openPane(site, { message: DEMO_MESSAGE_IDS.contactLatest });
  await page.getByRole('heading', { name: 'Lena Berg' }).waitFor();
  await page.getByRole('button', { name: 'Add note' }).click();
  const dialog = page.getByRole('dialog', { name: 'Add a note about Lena Berg' });
  await dialog.getByRole('button', { name: 'Save' }).click();
  await dialog.getByText('Enter a subject.').waitFor();
  await dialog.getByLabel('Subject').fill('Call about the spring order');
  await dialog.getByLabel('Note').fill('Lena wants a quote for the Kalmar warehouse by Friday.');
  await screenshot(page, 'pane-add-note');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await page.getByText('Note added.').waitFor();
  const note = history(page).getByRole('listitem').filter({ hasText: 'Call about the spring order' });
  await note.waitFor();
  expect(await note.innerText()).toMatch(/Note · with Ana López/);
  await page.getByRole('searchbox', { name: 'Search the history' }).fill('kalmar');
  await history(page).locator('mark', { hasText: 'Kalmar' }).waitFor();
  await screenshot(page, 'pane-note-found');
  await page.close();
});
