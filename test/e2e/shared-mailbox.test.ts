import { DEMO_MESSAGE_IDS, DEMO_SHARED_MAILBOX, demoSharedMailbox } from '../../src/stand-ins/demo-mailbox.js';
import { demoApi, openPane, screenshot, useDemoSite } from './browser.js';

jest.setTimeout(60_000);

/*
 * A message in a shared mailbox end to end (issue 21): Ana opens David Chen's mail to sales@ (the Office stand-in's
 * shared mailbox, getSharedPropertiesAsync on Mailbox 1.14); the built pane shows David's history, reads the thread
 * from /users/sales@.../ through the Graph stand-in (Ana is its delegate) and logs it through the real API as Ana's.
 */

const site = useDemoSite();
const api = (path: string) => demoApi(site)<unknown>('GET', path);

test('a message in a shared mailbox shows its history and logs', async () => {
  const { page, errors } = await openPane(site, { message: DEMO_MESSAGE_IDS.sharedInquiry });
  const graphPaths: string[] = [];
  page.on('request', (request) => {
    const { pathname } = new URL(request.url());
    if (pathname.startsWith('/graph/')) graphPaths.push(pathname);
  });
  await page.getByRole('heading', { name: 'David Chen' }).waitFor();
  await page.getByRole('region', { name: 'History' }).waitFor();
  await screenshot(page, 'pane-shared-mailbox');

  await page.getByRole('button', { name: 'Log this thread' }).click();
  const result = page.getByRole('status').filter({ hasText: /entries|already/ });
  await result.waitFor({ timeout: 20_000 });
  expect(await result.innerText()).toMatch(/^Logged 3 entries\./);
  const owner = `/graph/v1.0/users/${encodeURIComponent(DEMO_SHARED_MAILBOX.emailAddress)}/messages`;
  expect(graphPaths.length).toBeGreaterThan(0);
  expect(graphPaths.every((path) => path.startsWith(owner))).toBe(true);

  // Every message of the thread is logged, each as Ana's exchange with David.
  const thread = demoSharedMailbox();
  const query = thread.map((m) => `internetMessageId=${encodeURIComponent(m.graph.internetMessageId)}`).join('&');
  const status = (await api(`/api/v1/interactions/status?${query}`)) as { items: Array<{ logged: boolean }> };
  expect(status.items.map((item) => item.logged)).toEqual([true, true, true]);
  const history = (await api(
    `/api/v1/interactions?correspondent=${encodeURIComponent('david.chen@contoso.example')}`
  )) as {
    items: Array<{ internetMessageId: string; salesperson: { email: string } }>;
  };
  const logged = history.items.filter((entry) =>
    thread.some((m) => m.graph.internetMessageId === entry.internetMessageId)
  );
  expect(logged.map((entry) => entry.salesperson.email)).toEqual(thread.map(() => 'ana.lopez@northwind.example'));
  expect(errors).toEqual([]);
  await page.close();
});
