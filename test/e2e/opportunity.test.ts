import { DEMO_MESSAGE_IDS, DEMO_PEOPLE } from '../../src/stand-ins/demo-mailbox.js';
import { CATALOGUES } from '../../src/addin/i18n/catalogues.js';
import { demoApi, openPane, paneContext, screenshot, useDemoSite } from './browser.js';

jest.setTimeout(90_000);

/*
 * A salesperson moves a deal towards a sale from the pane, end to end in headless Chromium over the real API
 * and the demo organization: open a message → open its opportunity → move its stage → mark it won → see it
 * in the team view. Ana López manages the demo team, so the same pane has the Team view. Screenshots go to
 * test-results/.
 */

const site = useDemoSite();
/** The API as Ana, for setting the scene and checking what the pane did. */
const api = demoApi(site, { roles: ['Manager'] });

interface Entry {
  id: string;
  opportunityId: string | null;
  contact: { id: string; name: string; email: string };
  salesperson: { email: string };
}

test('open a message → open its opportunity → move its stage → mark it won → see it in the team view', async () => {
  // The scene: a new opportunity of Ana's with Lena Berg, holding Lena's latest entry with Ana that no other holds.
  const lena = await api<{ items: Entry[] }>(
    'GET',
    '/api/v1/interactions?correspondent=lena.berg@fabrikam.example&limit=100'
  );
  const free = lena.items.find(
    (entry) => entry.opportunityId === null && entry.salesperson.email === DEMO_PEOPLE.ana.address
  );
  if (!free) throw new Error('the demo data has no unlinked entry of Ana with Lena');
  const description = 'Fabrikam fleet renewal (e2e)';
  const created = await api<{ id: string }>('POST', '/api/v1/opportunities', {
    description,
    contactId: free.contact.id,
    interactionIds: [free.id],
    stage: 'qualification',
    estimatedValue: 48_000,
    currency: 'EUR'
  });

  const { page, errors } = await openPane(site, { message: DEMO_MESSAGE_IDS.contactLatest, devRoles: 'Manager' });

  // Open a message, then its opportunity from the open opportunities.
  await page.getByRole('heading', { name: 'Lena Berg' }).waitFor();
  const open = page.getByRole('region', { name: 'Open opportunities' });
  await open.getByRole('button', { name: description }).click();
  const view = page.getByRole('region', { name: description });
  await view.getByRole('region', { name: 'Stage history' }).getByText('Created in Qualification').waitFor();
  await view.getByRole('region', { name: 'Linked emails' }).getByRole('listitem').first().waitFor();
  expect(await view.getByText('€48,000').count()).toBe(1);
  await screenshot(page, 'opportunity-view');

  // Move its stage.
  await view.getByLabel('Stage', { exact: true }).selectOption('proposal');
  await view.getByRole('button', { name: 'Move', exact: true }).click();
  await view.getByText('Moved to Proposal.').waitFor();
  await view.getByText('Qualification → Proposal').waitFor();

  // Mark it won, with a reason.
  await view.getByRole('button', { name: 'Mark won' }).click();
  const dialog = page.getByRole('dialog', { name: `Mark “${description}” won` });
  await dialog.getByLabel('Reason (optional)').fill('Best total cost');
  await dialog.getByRole('button', { name: 'Mark won' }).click();
  await view.getByText('Marked won.').waitFor();
  await view.getByRole('region', { name: 'Stage history' }).getByText('Marked won').waitFor();
  await view.getByRole('button', { name: 'Reopen' }).waitFor();
  await screenshot(page, 'opportunity-won');
  const saved = await api<{ status: string; stage: string; closeReason: string }>(
    'GET',
    `/api/v1/opportunities/${created.id}`
  );
  expect(saved).toMatchObject({ status: 'won', stage: 'proposal', closeReason: 'Best total cost' });

  // Back at the message it has left the open opportunities; the entry it holds names it.
  await view.getByRole('button', { name: 'Back to the message' }).click();
  await page.getByRole('heading', { name: 'Lena Berg' }).waitFor();
  expect(await open.getByRole('button', { name: description }).count()).toBe(0);

  // The team view shows it at once: the stage totals as the API counts them, and the contact's entry names it.
  await page.getByRole('button', { name: 'Team' }).click();
  const stages = page.getByRole('region', { name: 'Open opportunities by stage' });
  await stages.waitFor();
  const summary = await api<{ opportunitiesByStage: Array<{ stage: string; count: number }> }>(
    'GET',
    '/api/v1/team/summary'
  );
  const proposal = summary.opportunitiesByStage.find((s) => s.stage === 'proposal')?.count ?? 0;
  await stages
    .getByRole('listitem')
    .filter({ hasText: 'Proposal' })
    .getByText(proposal === 1 ? '1 opportunity' : `${proposal} opportunities`)
    .waitFor();
  await page.getByRole('combobox', { name: 'Contact or company' }).fill('Lena');
  await page.getByRole('option', { name: /^Lena Berg/ }).click();
  const teamHistory = page.getByRole('region', { name: 'Team history' });
  await teamHistory.getByRole('button', { name: 'Lena Berg' }).first().click();
  await page.getByRole('button', { name: 'Back to team' }).waitFor();
  const badge = page.getByRole('region', { name: 'History' }).getByRole('button', { name: description });
  await badge.click();
  const inTeam = page.getByRole('region', { name: description });
  await inTeam.getByText('Won', { exact: true }).waitFor();
  await inTeam.getByText('Best total cost').first().waitFor();
  await screenshot(page, 'opportunity-in-team-view');
  expect(errors).toEqual([]);
  await page.close();
});

test.each([
  ['ru-RU', 'light'],
  ['fi-FI', 'dark'],
  ['it-IT', 'light'],
  ['en-US', 'dark']
] as const)('the opportunity view and its dialogs fit a 320 px pane in %s, %s', async (lang, theme) => {
  const words = CATALOGUES[lang.slice(0, 2)]!;
  const context = await paneContext(site.browser, { dark: theme === 'dark' });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await page.setViewportSize({ width: 320, height: 760 });
  await page.goto(
    `${site.server.url}/taskpane.html?${new URLSearchParams({ message: DEMO_MESSAGE_IDS.contactLatest, lang, theme })}`
  );
  await page.locator('section[aria-labelledby="opportunities-title"] li button').first().click();
  const view = page.locator('section[aria-labelledby="opportunity-title"]');
  await view.locator('#opportunity-history-title').waitFor();
  await page.waitForLoadState('networkidle');
  const overflow = () =>
    page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(await overflow()).toBeLessThanOrEqual(0);
  await screenshot(page, `opportunity-view-320-${lang}-${theme}`);
  for (const action of [words.editOpportunity, words.markLost] as string[]) {
    await view.getByRole('button', { name: action, exact: true }).click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    const box = await dialog.boundingBox();
    expect(box && box.x >= 0 && box.x + box.width <= 320).toBe(true);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await screenshot(page, `opportunity-dialog-320-${lang}-${theme}-${action === words.markLost ? 'lost' : 'edit'}`);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' }).catch(() => dialog.waitFor({ state: 'hidden' }));
  }
  await page.close();
});
