import { DEMO_MESSAGE_IDS, demoMailbox } from '../../src/stand-ins/demo-mailbox.js';
import { demoApi, openPane, screenshot, useDemoSite } from './browser.js';

jest.setTimeout(60_000);

/*
 * Log selected end to end (issue 21): ten messages selected at once in the Office stand-in (item multi-select,
 * Mailbox 1.13), logged in one action by the built pane through the Graph stand-in and the real API.
 */

const site = useDemoSite();
const api = (path: string) => demoApi(site)<unknown>('GET', path);

type StandIn = { officeStandIn: { selectMessages(ids: string[]): Promise<void> } };

test('ten selected messages log in one action, with one result line each', async () => {
  const received = demoMailbox().messages.filter((m) => !m.graph.isDraft && m.thread !== 'contract');
  const chosen = received.slice(0, 10);
  expect(chosen).toHaveLength(10);
  const { page } = await openPane(site, { message: DEMO_MESSAGE_IDS.contactLatest });
  await page.getByRole('heading', { name: 'Lena Berg' }).waitFor();
  const ids = chosen.map((m) => m.graph.id);
  await page.evaluate((selected) => (window as unknown as StandIn).officeStandIn.selectMessages(selected), ids);

  await page.getByRole('button', { name: 'Log selected (10)' }).click();
  const results = page.getByRole('list', { name: 'Selected messages' });
  await results.getByRole('listitem').nth(9).waitFor({ timeout: 30_000 });
  const lines = await results.getByRole('listitem').allInnerTexts();
  expect(lines).toHaveLength(10);
  expect(lines.join('\n')).not.toContain('could not be logged');
  expect(lines.filter((line) => /Logged [1-9]\d* entr/.test(line)).length).toBeGreaterThan(0);
  await screenshot(page, 'pane-log-selected');

  // Every selected message from a contact is logged now.
  const query = chosen.map((m) => `internetMessageId=${encodeURIComponent(m.graph.internetMessageId)}`).join('&');
  const status = (await api(`/api/v1/interactions/status?${query}`)) as { items: Array<{ logged: boolean }> };
  expect(status.items.filter((item) => item.logged).length).toBeGreaterThan(0);
  await page.close();
});
