import { createApiClient } from '../../src/addin/api/client.js';
import type { MailItem, Participant } from '../../src/addin/office/types.js';
import { readOpenMeeting } from '../../src/addin/taskpane/thread.js';
import type { PaneServices } from '../../src/addin/taskpane/services.js';
import { seedDemoTenant } from '../../src/server/demo/seed.js';
import { DEMO_MAILBOX_USER, demoMailbox, type DemoEvent } from '../../src/stand-ins/demo-mailbox.js';
import { startTestApi, type TestApi } from '../helpers/api.js';

/*
 * Dev mode (issue 21): the preview's meetings can be logged. The server in dev mode mounts the Graph stand-in over
 * Ana López's demo mailbox and calendar; the pane's own code reads the open calendar item's iCalUId from it
 * (readOpenMeeting: GET /me/events/{id} by the item's REST id) and makes the event log-meeting takes, which the
 * pane's API client sends, as Ana in the seeded demo organization.
 */

let api: TestApi;
let services: PaneServices;
const ana: Participant = { name: DEMO_MAILBOX_USER.displayName, email: DEMO_MAILBOX_USER.emailAddress };

beforeAll(async () => {
  api = await startTestApi('sqlite', {
    seed: (store) => seedDemoTenant(store, { messages: 20 }).then(() => undefined)
  });
  const token = await api.token({ email: ana.email, name: ana.name });
  const tokenSource = async () => token;
  services = {
    config: { authMode: 'dev', apiBaseUrl: api.url, graphBaseUrl: `${api.url}/graph`, entra: null },
    tokens: { apiToken: tokenSource, graphToken: tokenSource },
    host: { user: ana },
    api: createApiClient(api.url, tokenSource)
  } as unknown as PaneServices;
}, 60_000);
afterAll(async () => api?.close());

/** The calendar item as the pane's Office adapter reads it from Outlook (the Office stand-in's appointment). */
function openedInOutlook(event: DemoEvent): MailItem {
  const person = ({ emailAddress }: { emailAddress: { name: string; address: string } }) => ({
    name: emailAddress.name,
    email: emailAddress.address
  });
  const utc = (time: { dateTime: string }) => new Date(`${time.dateTime.slice(0, 19)}Z`).toISOString();
  const { graph } = event;
  return {
    mode: graph.isOrganizer ? 'compose' : 'read',
    meeting: { start: utc(graph.start), end: utc(graph.end) },
    ewsId: event.office.itemId,
    restId: event.restId,
    officeConversationId: null,
    internetMessageId: null,
    subject: graph.subject,
    from: person(graph.organizer),
    to: graph.attendees.filter((a) => a.type === 'required').map(person),
    cc: graph.attendees.filter((a) => a.type === 'optional').map(person)
  };
}

test.each(demoMailbox().events.map((event) => [event.key, event] as const))(
  'the demo meeting %s logs for its customers through the pane’s code, and its Graph event finds it logged',
  async (_key, event) => {
    const opened = await readOpenMeeting(services, openedInOutlook(event));
    expect(opened?.iCalUId).toBe(event.graph.iCalUId);
    const result = await services.api.logMeeting(opened!);
    const customers = [event.graph.organizer, ...event.graph.attendees]
      .map((person) => person.emailAddress.address)
      .filter((address) => !address.endsWith('@northwind.example'));
    expect(new Set(result.logged.map((entry) => entry.contact.email))).toEqual(new Set(customers));
    expect(result.logged.every((entry) => entry.kind === 'meeting')).toBe(true);

    // The stand-in's own event (Graph's shape, as Calendars.ReadBasic gives it) is the same meeting to the API.
    const served = await api.call('GET', `/graph/v1.0/me/events/${event.restId}`, {
      as: await services.tokens.graphToken()
    });
    expect(served.status).toBe(200);
    expect(await services.api.logMeeting(served.body)).toEqual({
      logged: [],
      skipped: [{ internetMessageId: event.graph.iCalUId, reason: 'already-logged', detail: expect.any(String) }]
    });
  }
);
