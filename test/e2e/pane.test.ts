import type { Page } from 'playwright-core';
import { DEMO_MESSAGE_IDS, DEMO_PEOPLE, demoMailbox } from '../../src/stand-ins/demo-mailbox.js';
import { axeSeriousViolations, demoApi, openPane, paneContext, screenshot, useDemoSite } from './browser.js';

jest.setTimeout(60_000);

/*
 * The sales pane end to end, as a salesperson uses it: real headless Chromium, the built pane, the real API
 * on loopback with the embedded store and demo data, Outlook's mailbox API from the Office stand-in and
 * Microsoft Graph from the dev stand-in. Screenshots go to test-results/.
 */

const site = useDemoSite();
/** The API as the demo user, for checking what the pane did. */
const api = (path: string) => demoApi(site)<unknown>('GET', path);

const history = (page: Page) => page.getByRole('region', { name: /History|Historia/ });

test('open a message, see the history, log the thread, see the badge and the entries; a second click changes nothing', async () => {
  const { page } = await openPane(site, { message: DEMO_MESSAGE_IDS.contactLatest });
  await page.getByRole('heading', { name: 'Lena Berg' }).waitFor();
  await history(page).waitFor();
  await page.getByText('This message is not logged yet').waitFor();
  const before = await history(page).getByRole('listitem').count();
  await screenshot(page, 'pane-history');

  await page.getByRole('button', { name: 'Log this thread' }).click();
  await page.getByText(/^Logged \d+ entries\./).waitFor();
  const result = await page
    .getByRole('status')
    .filter({ hasText: /entries/ })
    .innerText();
  expect(result).toMatch(/Logged 5 entries\. Skipped 1 message:/);
  expect(result).toContain('it is a draft (1)');
  await page.getByText(/^Logged by Ana López, /).waitFor();
  // The thread's entries are in the history at once, each opening its message.
  await history(page)
    .getByRole('link', { name: /Pricing for the 2027 renewal/ })
    .nth(3)
    .waitFor();
  expect(await history(page).getByRole('listitem').count()).toBeGreaterThan(before);
  await screenshot(page, 'pane-logged');

  // Once logged, the action says so quietly; it still logs later replies.
  await page.getByRole('button', { name: 'Logged: log new replies in this thread' }).click();
  await page.getByText('Everything in this thread was already logged.').waitFor();
  await page.close();
});

test('create an opportunity from the thread; it appears in the pane', async () => {
  const { page } = await openPane(site, { message: DEMO_MESSAGE_IDS.contactLatest });
  await page.getByRole('heading', { name: 'Lena Berg' }).waitFor();
  await page.getByRole('button', { name: 'Create opportunity' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.waitFor();
  await dialog.getByLabel('Create a new opportunity').check();
  await dialog.getByText('Creating it also logs this thread and links its emails to the new opportunity.').waitFor();
  const description = dialog.getByLabel('Description');
  expect(await description.inputValue()).toBe('Pricing for the 2027 renewal');
  await description.fill('');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await dialog.getByText('Describe the opportunity.').waitFor();
  await description.fill('Fabrikam 2027 renewal');
  await dialog.getByLabel('Stage').selectOption('proposal');
  await dialog.getByLabel('Estimated value').fill('48000');
  await dialog.getByLabel('Expected close date').fill('2027-02-26');
  await screenshot(page, 'pane-create-opportunity');
  await dialog.getByRole('button', { name: 'Create' }).click();
  await page.getByText('Opportunity “Fabrikam 2027 renewal” created.').waitFor();
  const opportunities = page.getByRole('region', { name: 'Open opportunities' });
  const created = opportunities.getByRole('listitem').filter({ hasText: 'Fabrikam 2027 renewal' });
  await created.waitFor();
  expect(await created.innerText()).toMatch(/Proposal[\s\S]*€48,000/);

  // Lena's entries of the thread were logged and now point at the opportunity.
  const list = (await api('/api/v1/opportunities?status=open&limit=100')) as {
    items: Array<{ id: string; description: string; contactId: string; interactionIds: string[] }>;
  };
  const stored = list.items.find((o) => o.description === 'Fabrikam 2027 renewal');
  expect(stored).toBeDefined();
  const entries = (await api(`/api/v1/interactions?contactId=${stored!.contactId}&limit=100`)) as {
    items: Array<{ id: string; conversationId: string; opportunityId: string | null }>;
  };
  const linked = entries.items.filter((entry) => entry.opportunityId === stored!.id);
  expect(linked.map((entry) => entry.id).sort()).toEqual([...stored!.interactionIds].sort());
  expect(new Set(linked.map((entry) => entry.conversationId)).size).toBe(1);
  expect(linked.length).toBeGreaterThanOrEqual(4);
  await page.close();
});

test('the pinned pane follows the selection: another person, nobody, an unknown sender who becomes a contact', async () => {
  const { page } = await openPane(site, { message: DEMO_MESSAGE_IDS.contactLatest });
  await page.getByRole('heading', { name: 'Lena Berg' }).waitFor();
  const select = (id: string | null) =>
    page.evaluate(
      (messageId) =>
        (
          window as unknown as { officeStandIn: { selectMessage(id: string | null): Promise<void> } }
        ).officeStandIn.selectMessage(messageId),
      id
    );

  await select(DEMO_MESSAGE_IDS.encodedConversation);
  await page.getByRole('heading', { name: 'Sanna Mäkelä' }).waitFor();
  await select(null);
  await page.getByText('No message selected').waitFor();
  await select(DEMO_MESSAGE_IDS.newLead);
  await page.getByRole('heading', { name: DEMO_PEOPLE.newLead.name }).waitFor();
  await page.getByText('Not a contact yet').waitFor();
  expect(await page.getByRole('button', { name: 'Create opportunity' }).isDisabled()).toBe(true);
  await page.getByRole('button', { name: 'Add contact' }).click();
  const dialog = page.getByRole('dialog');
  expect(await dialog.getByLabel('Name').inputValue()).toBe(DEMO_PEOPLE.newLead.name);
  await dialog.getByLabel('Company').fill('Globex');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await page.getByText(`${DEMO_PEOPLE.newLead.name} is now a contact.`).waitFor();
  await page.getByText('Globex', { exact: true }).waitFor();
  expect(await page.getByRole('button', { name: 'Create opportunity' }).isDisabled()).toBe(false);
  await screenshot(page, 'pane-new-contact');
  await page.close();
});

test('a long thread is read page by page and logged whole', async () => {
  const { page } = await openPane(site, { message: DEMO_MESSAGE_IDS.longThreadLatest });
  await page.getByRole('heading', { name: 'Marta Kowalska' }).waitFor();
  await page.getByRole('button', { name: 'Log this thread' }).click();
  const result = page.getByRole('status').filter({ hasText: /entries|already/ });
  await result.waitFor({ timeout: 20_000 });
  expect(await result.innerText()).toMatch(/^Logged \d+ entries\./);
  // Every one of the 60 messages, across Graph's pages, is now logged.
  const thread = demoMailbox().messages.filter((m) => m.thread === 'contract');
  expect(thread).toHaveLength(60);
  const query = thread.map((m) => `internetMessageId=${encodeURIComponent(m.graph.internetMessageId)}`).join('&');
  const status = (await api(`/api/v1/interactions/status?${query}`)) as { items: Array<{ logged: boolean }> };
  expect(status.items.filter((item) => item.logged)).toHaveLength(60);
  await page.close();
});

test('dark theme follows Office, and the pane has no serious accessibility violation', async () => {
  const { page } = await openPane(site, { message: DEMO_MESSAGE_IDS.contactLatest, theme: 'dark' }, { dark: true });
  await history(page).waitFor();
  const background = await page.evaluate(
    () => getComputedStyle(document.querySelector('main')!.closest('.fui-FluentProvider')!).backgroundColor
  );
  const [r, g, b] = (background.match(/\d+/g) ?? ['255', '255', '255']).map(Number) as [number, number, number];
  expect((r + g + b) / 3).toBeLessThan(80);
  await screenshot(page, 'pane-dark');

  expect(await axeSeriousViolations(page)).toEqual([]);

  await page.evaluate(() =>
    (window as unknown as { officeStandIn: { setTheme(theme: string): Promise<void> } }).officeStandIn.setTheme('light')
  );
  await page.waitForFunction(
    () =>
      getComputedStyle(document.querySelector('main')!.closest('.fui-FluentProvider')!).backgroundColor ===
      'rgb(255, 255, 255)'
  );
  await page.close();
});

test('the styles come built in one stylesheet: the browser makes no style rule, in the first screen or in a dialog', async () => {
  const { page } = await openPane(site, { message: DEMO_MESSAGE_IDS.contactLatest });
  await history(page).waitFor();
  /** Rules Griffel inserted at run time (its style elements carry their bucket), and the linked stylesheets. */
  const styles = () =>
    page.evaluate(() => ({
      madeInBrowser: [...document.querySelectorAll<HTMLStyleElement>('style[data-make-styles-bucket]')].reduce(
        (sum, element) => sum + (element.sheet?.cssRules.length ?? 0),
        0
      ),
      linked: [...document.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"]')].map((link) => ({
        path: new URL(link.href).pathname,
        rules: link.sheet?.cssRules.length ?? 0
      }))
    }));
  const first = await styles();
  expect(first.madeInBrowser).toBe(0);
  expect(first.linked).toEqual([
    { path: expect.stringMatching(/^\/griffel\.[0-9a-f]{8}\.css$/), rules: expect.any(Number) }
  ]);
  expect(first.linked[0]?.rules).toBeGreaterThan(500);
  // Fluent's styles (a button's shape, not the browser's; its colours move in a transition as it is enabled) and the
  // pane's own (the main column) apply.
  const look = await page.evaluate(() => {
    const main = getComputedStyle(document.querySelector('main')!);
    const button = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Create opportunity');
    const shape = button ? getComputedStyle(button) : null;
    return {
      display: main.display,
      maxWidth: main.maxWidth,
      button: shape && { radius: shape.borderRadius, minWidth: shape.minWidth }
    };
  });
  expect(look).toEqual({
    display: 'flex',
    maxWidth: '640px',
    button: { radius: '4px', minWidth: '96px' }
  });
  // A dialog's chunk brings no styles of its own to insert: they are in the same stylesheet.
  await page.getByRole('button', { name: 'Create opportunity' }).click();
  await page.getByRole('dialog').waitFor();
  expect((await styles()).madeInBrowser).toBe(0);
  await page.close();
});

test('an older Outlook (Mailbox 1.5, the manifest’s minimum): the pane works, in the light theme', async () => {
  // The stand-in as a 1.5 client: no officeTheme, no OfficeThemeChanged, no getItemIdAsync (see stand-in.ts).
  const { page } = await openPane(site, { message: DEMO_MESSAGE_IDS.contactLatest, theme: 'dark', mailbox: '1.5' });
  await page.getByRole('heading', { name: 'Lena Berg' }).waitFor();
  await history(page).waitFor();
  expect(await page.evaluate(() => Office.context.requirements.isSetSupported('Mailbox', '1.8'))).toBe(false);
  const background = await page.evaluate(
    () => getComputedStyle(document.querySelector('main')!.closest('.fui-FluentProvider')!).backgroundColor
  );
  expect(background).toBe('rgb(255, 255, 255)');
  await page.close(); // and no page errors (openPane)
});

test('Office’s display language: Finnish', async () => {
  const { page } = await openPane(site, { message: DEMO_MESSAGE_IDS.contactLatest, lang: 'fi-FI' });
  // "Create opportunity": whether the thread is logged depends on the tests before this one; this button does not.
  await page.getByRole('button', { name: 'Luo mahdollisuus' }).waitFor();
  await page.getByRole('heading', { name: 'Historia' }).waitFor();
  expect(await page.evaluate(() => document.documentElement.lang)).toBe('fi-FI');
  await screenshot(page, 'pane-finnish');
  await page.close();
});

test('when the API cannot be reached the pane says so and recovers on retry', async () => {
  const context = await paneContext(site.browser);
  let down = true;
  await context.route('**/api/v1/**', (route) => (down ? route.abort('connectionrefused') : route.fallback()));
  const page = await context.newPage();
  await page.goto(`${site.server.url}/taskpane.html?message=${encodeURIComponent(DEMO_MESSAGE_IDS.contactLatest)}`);
  await page.getByText('The interaction log can’t be reached').waitFor();
  await screenshot(page, 'pane-unreachable');
  down = false;
  await page.getByRole('button', { name: 'Try again' }).click();
  await page.getByRole('heading', { name: 'Lena Berg' }).waitFor();
  await context.close();
});
