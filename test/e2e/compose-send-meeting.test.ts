import type { Page } from 'playwright-core';
import { OPPORTUNITY_HEADER, PRIVATE_HEADER, PRIVATE_VALUE } from '../../src/shared/message-marks.js';
import type { SendCheck } from '../../src/shared/schemas/compose.js';
import type { Interaction, LogThreadResult } from '../../src/shared/schemas/interaction.js';
import type { Opportunity } from '../../src/shared/schemas/opportunity.js';
import { DEMO_MESSAGE_IDS, DEMO_PEOPLE, demoMailbox } from '../../src/stand-ins/demo-mailbox.js';
import { demoAppointment, type OfficeStandInControl } from '../stand-ins/office/stand-in.js';
import { demoApi, openPane, screenshot, useDemoSite } from './browser.js';

jest.setTimeout(60_000);

/*
 * Writing and sending, and meetings, end to end (issue 21): real headless Chromium with the built pane and its
 * send handler's runtime (launchevent.html), the Office stand-in as Outlook and the real API with the demo data.
 * What is asserted is what Outlook would send: the internet headers the draft carries once the pane or the
 * OnMessageSend handler acted (https://learn.microsoft.com/javascript/api/outlook/office.internetheaders).
 */

const site = useDemoSite();
const ana = () => demoApi(site);
const lena = DEMO_PEOPLE.lena.address;
/** The draft's recipients beyond Ana's organization, in the order the handler reads them (to, then cc). */
const draftRecipients = [lena, DEMO_PEOPLE.tomas.address];

type StandIn = { officeStandIn: OfficeStandInControl };
const headersOf = (page: Page) => page.evaluate(() => (window as unknown as StandIn).officeStandIn.composeHeaders());
const send = (page: Page) => page.evaluate(() => (window as unknown as StandIn).officeStandIn.send());
/** Until the draft carries (or, with `present` false, no longer carries) the header: the pane writes it on a later task. */
const untilHeader = (page: Page, name: string, present = true) =>
  page.waitForFunction(
    ([header, wanted]) => header in (window as unknown as StandIn).officeStandIn.composeHeaders() === wanted,
    [name, present] as const
  );

/** An open opportunity with Lena, Ana's own and the newest, so every test below has one to offer. */
let opportunity: Opportunity;
beforeAll(async () => {
  const history = await ana()<{ items: Interaction[] }>(
    'GET',
    `/api/v1/interactions?correspondent=${encodeURIComponent(lena)}&limit=1`
  );
  const contactId = history.items[0]?.contact.id;
  if (!contactId) throw new Error('The demo data has no history with Lena.');
  opportunity = await ana()<Opportunity>('POST', '/api/v1/opportunities', {
    description: 'Gdańsk seats add-on',
    contactId
  });
});

test('compose marks: linking an opportunity and marking private stamp the draft’s internet headers', async () => {
  const { page } = await openPane(site, { message: DEMO_MESSAGE_IDS.composeDraft });
  const link = page.getByRole('combobox', { name: 'Link to opportunity …' });
  await link.getByRole('option', { name: `Gdańsk seats add-on (${DEMO_PEOPLE.lena.name})` }).waitFor({
    state: 'attached'
  });
  expect(await headersOf(page)).toEqual({});

  await link.selectOption(opportunity.id);
  await untilHeader(page, OPPORTUNITY_HEADER);
  expect(await headersOf(page)).toEqual({ [OPPORTUNITY_HEADER]: opportunity.id });

  const privately = page.getByRole('checkbox', { name: 'Private — never log' });
  await privately.check();
  await untilHeader(page, PRIVATE_HEADER);
  expect(await headersOf(page)).toEqual({ [OPPORTUNITY_HEADER]: opportunity.id, [PRIVATE_HEADER]: PRIVATE_VALUE });
  expect(await link.isDisabled()).toBe(true);
  await screenshot(page, 'pane-compose-marks');

  // Taken back, the mark leaves the message: Outlook would send it without the header.
  await privately.uncheck();
  await untilHeader(page, PRIVATE_HEADER, false);
  expect(await headersOf(page)).toEqual({ [OPPORTUNITY_HEADER]: opportunity.id });
  await page.close();
});

/** Outlook's send handler runtime (launchevent.html) over Ana's draft to Lena, cc Tomás. */
const openSendRuntime = () => openPane(site, { message: DEMO_MESSAGE_IDS.composeDraft }, { page: 'launchevent.html' });

test('the send prompt: off, the message goes unchanged; on, a recipient’s open opportunity is asked about once and stamped', async () => {
  const off = await openSendRuntime();
  expect((await send(off.page)).completed).toEqual({ allowEvent: true });
  expect(await headersOf(off.page)).toEqual({});
  await off.page.close();

  await demoApi(site, { roles: ['Admin'] })('PATCH', '/api/v1/settings', { sendPrompt: true });
  const query = draftRecipients.map((address) => `recipient=${encodeURIComponent(address)}`).join('&');
  const check = await ana()<SendCheck>('GET', `/api/v1/compose/send-check?${query}`);
  const named = check.opportunities[0];
  expect(named).toBeDefined();

  const { page } = await openSendRuntime();
  const first = await send(page);
  // Prompt-user mode: a prompt that offers Send Anyway, never a block (no sendModeOverride).
  expect(first.completed).toEqual({ allowEvent: false, errorMessage: expect.stringContaining(named!.description) });
  expect(await headersOf(page)).toEqual({ [OPPORTUNITY_HEADER]: named!.id });
  // "Send Anyway" (yes) is the next Send: it goes, linked, without asking again.
  expect((await send(page)).completed).toEqual({ allowEvent: true });
  expect(await headersOf(page)).toEqual({ [OPPORTUNITY_HEADER]: named!.id });
  await page.close();
});

test('the send prompt on, but the lookup fails or never answers: the message goes unchanged', async () => {
  await demoApi(site, { roles: ['Admin'] })('PATCH', '/api/v1/settings', { sendPrompt: true });
  const refused = await openSendRuntime();
  await refused.page.route('**/api/v1/compose/send-check**', (route) => route.abort('connectionrefused'));
  expect((await send(refused.page)).completed).toEqual({ allowEvent: true });
  expect(await headersOf(refused.page)).toEqual({});
  await refused.page.close();

  // A lookup left hanging: the handler's own budget (under a second) lets the message go.
  const hanging = await openSendRuntime();
  await hanging.page.route('**/api/v1/compose/send-check**', () => undefined);
  expect((await send(hanging.page)).completed).toEqual({ allowEvent: true });
  expect(await headersOf(hanging.page)).toEqual({});
  await hanging.page.close();
});

test('Log this meeting: Ana logs it from her calendar, Mikko logs it too; one entry per (meeting, contact, salesperson)', async () => {
  const event = demoMailbox().events.find((e) => e.key === 'renewal-review')!;
  const { page } = await openPane(site, { message: DEMO_MESSAGE_IDS.contactLatest });
  await page.getByRole('heading', { name: 'Lena Berg' }).waitFor();
  const logged: Array<{ event: unknown }> = [];
  page.on('request', (request) => {
    if (request.url().endsWith('/api/v1/interactions/log-meeting')) logged.push(request.postDataJSON());
  });
  // Ana organized it: Outlook opens the organizer's form.
  await page.evaluate(
    (appointment) => (window as unknown as StandIn).officeStandIn.openAppointment(appointment, { organizer: true }),
    demoAppointment(event)
  );
  await page.getByRole('button', { name: 'Log this meeting' }).click();
  await page
    .getByRole('status')
    .filter({ hasText: /^Logged \d+ entries\./ })
    .waitFor({ timeout: 20_000 });
  await screenshot(page, 'pane-meeting-logged');
  await page.getByRole('button', { name: 'Log this meeting' }).click();
  await page.getByText('This meeting was already logged for everyone at it.').waitFor();
  await page.close();

  // Mikko, an optional attendee, logs the same meeting (as his pane would send it) through the API.
  expect(logged).toHaveLength(2);
  const mikko = demoApi(site, { email: DEMO_PEOPLE.mikko.address });
  const his = await mikko<LogThreadResult>('POST', '/api/v1/interactions/log-meeting', logged[0]);
  expect(his.logged).toEqual([]);

  const entries = (
    await ana()<{ items: Interaction[] }>(
      'GET',
      `/api/v1/interactions?correspondent=${encodeURIComponent(lena)}&limit=100`
    )
  ).items.filter((entry) => entry.kind === 'meeting' && entry.subject === event.graph.subject);
  const salespeople = entries.map((entry) => entry.salesperson.email).sort();
  expect(salespeople).toEqual([DEMO_PEOPLE.ana.address, DEMO_PEOPLE.mikko.address].sort());
});
