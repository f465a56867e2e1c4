import { seedDemoTenant } from '../../src/server/demo/seed.js';
import { logThread } from '../../src/server/usecases/log-messages.js';
import { validatorCompiler } from '../../src/server/http/validation.js';
import { DEMO_ORG_DOMAIN, DEMO_TENANT_ID } from '../../src/shared/demo.js';
import {
  DEMO_FOLDER_IDS,
  DEMO_MAILBOX_USER,
  DEMO_MESSAGE_IDS,
  DEMO_PEOPLE,
  demoMailbox,
  ewsIdFromRestId,
  GRAPH_EVENT_PROPERTIES,
  GRAPH_MESSAGE_PROPERTIES,
  type DemoMessage
} from '../../src/stand-ins/demo-mailbox.js';
import { LogMeetingBody, LogThreadBody } from '../../src/shared/schemas/interaction.js';
import { createTestStore, type TestStore } from '../helpers/stores.js';

/* The demo mailbox is data both stand-ins rely on: shaped like Exchange Online's, and made of the demo seed's people. */

const NOW = Date.parse('2026-11-22T10:37:00Z');
const { messages, user, events } = demoMailbox(NOW);
const threads = new Map<string, DemoMessage[]>();
for (const message of messages) threads.set(message.thread, [...(threads.get(message.thread) ?? []), message]);
const byId = (id: string) => messages.find((m) => m.graph.id === id) as DemoMessage;
const isInternal = (address: string) => address.endsWith(`@${DEMO_ORG_DOMAIN}`);
const participants = (m: DemoMessage) => [m.graph.from, ...m.graph.toRecipients, ...m.graph.ccRecipients];

test('the scenarios the pane needs are all there', () => {
  expect(user).toEqual(DEMO_MAILBOX_USER);
  const contactThreads = [...threads.values()].filter(
    (thread) =>
      thread.length <= 5 &&
      thread.some((m) => participants(m).some((p) => !isInternal(p.emailAddress.address))) &&
      thread.every((m) => participants(m).every((p) => p.emailAddress.address !== DEMO_PEOPLE.newLead.address))
  );
  expect(contactThreads.length).toBeGreaterThanOrEqual(5);
  expect(contactThreads.length).toBeLessThanOrEqual(7);
  for (const thread of contactThreads) expect(thread.length).toBeGreaterThanOrEqual(2);

  expect(byId(DEMO_MESSAGE_IDS.newLead).graph.from.emailAddress.address).toBe('new.lead@globex.example');
  const internal = byId(DEMO_MESSAGE_IDS.internal);
  expect(participants(internal).every((p) => isInternal(p.emailAddress.address))).toBe(true);
  expect(threads.get('contract')).toHaveLength(60);

  const drafts = messages.filter((m) => m.graph.isDraft);
  expect(drafts.map((m) => m.graph.id)).toEqual([DEMO_MESSAGE_IDS.composeDraft]);
  expect(drafts[0]?.graph.parentFolderId).toBe(DEMO_FOLDER_IDS.drafts);
  expect(drafts[0]?.graph.from.emailAddress.address).toBe(DEMO_MAILBOX_USER.emailAddress);
});

test('every message has Graph’s default properties and is accepted by log-thread as Graph gives it', () => {
  for (const message of messages) expect(Object.keys(message.graph)).toEqual([...GRAPH_MESSAGE_PROPERTIES]);
  const validate = validatorCompiler({ schema: LogThreadBody, method: 'POST', url: '/', httpPart: 'body' }) as (
    value: unknown
  ) => boolean;
  expect(validate({ messages: messages.map((m) => m.graph) })).toBe(true);
  expect(validate({ messages: [{ ...messages[0]?.graph, sentDateTime: 'yesterday' }] })).toBe(false);
});

test('ids look like Exchange Online’s: unique, immutable and regular REST ids, EWS ids for Office', () => {
  const unique = (values: string[]) => new Set(values).size;
  expect(unique(messages.map((m) => m.graph.id))).toBe(messages.length);
  expect(unique(messages.map((m) => m.restId))).toBe(messages.length);
  expect(unique(messages.map((m) => m.graph.internetMessageId))).toBe(messages.length);
  for (const { graph, restId, office } of messages) {
    expect(graph.id).toMatch(/^AAkALgAAAAAAHYQDEapmEc2byACqAC-EWg0A[A-Za-z0-9_-]+$/);
    expect(restId).toMatch(/^AAMkAD[A-Za-z0-9_-]+=*$/);
    expect(office.itemId).toBe(ewsIdFromRestId(restId));
    expect(office.itemId).not.toBe(restId);
    expect(office.itemId).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(graph.internetMessageId).toMatch(/^<[^<>\s]+@[^<>\s]+>$/);
    expect(graph.conversationId).toMatch(/^AAQk[A-Za-z0-9+/]+=*$/);
    expect(graph.webLink).toBe(
      `https://outlook.office365.com/owa/?ItemID=${encodeURIComponent(restId)}&exvsurl=1&viewmodel=ReadMessageItem`
    );
  }
  for (const thread of threads.values()) {
    expect(new Set(thread.map((m) => m.graph.conversationId)).size).toBe(1);
    expect(new Set(thread.map((m) => m.office.conversationId)).size).toBe(1);
  }
  const differing = messages.filter((m) => m.office.conversationId !== m.graph.conversationId);
  expect(new Set(differing.map((m) => m.thread))).toEqual(new Set(['renewal']));
  expect(byId(DEMO_MESSAGE_IDS.encodedConversation).graph.conversationId).toMatch(/\+.*\/|\/.*\+/);
});

test('two meetings with customers, one Ana organized and one she was invited to, as Graph and Outlook know them', () => {
  expect(events.map((e) => [e.key, e.graph.isOrganizer])).toEqual([
    ['renewal-review', true],
    ['pilot-results', false]
  ]);
  const validate = validatorCompiler({ schema: LogMeetingBody, method: 'POST', url: '/', httpPart: 'body' }) as (
    value: unknown
  ) => boolean;
  for (const { graph, restId, office } of events) {
    expect(Object.keys(graph)).toEqual([...GRAPH_EVENT_PROPERTIES]);
    expect(validate({ event: graph })).toBe(true);
    const people = [graph.organizer, ...graph.attendees].map((p) => p.emailAddress.address);
    expect(people).toContain(user.emailAddress);
    expect(people.some((address) => !isInternal(address))).toBe(true);
    expect(graph.iCalUId).toMatch(/^040000008200E00074C5B7101A82E008[0-9A-F]{80}$/);
    expect(restId).toMatch(/^AAMkAD[A-Za-z0-9_-]+=*$/);
    expect(office.itemId).toBe(ewsIdFromRestId(restId));
    const [start, end] = [graph.start, graph.end].map((t) => Date.parse(`${t.dateTime.slice(0, 19)}Z`));
    expect(start).toBeLessThan(NOW);
    expect(end).toBeGreaterThan(start!);
  }
  expect(new Set(events.map((e) => e.graph.iCalUId)).size).toBe(events.length);
  expect(demoMailbox(NOW + 50 * 24 * 3_600_000).events.map((e) => e.graph.id)).toEqual(events.map((e) => e.graph.id));
});

test('dates are recent, relative to now, and ids do not move with it', () => {
  const hour = 3_600_000;
  for (const { graph } of messages) {
    const received = Date.parse(graph.receivedDateTime);
    expect(graph.receivedDateTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(received).toBeLessThanOrEqual(NOW);
    expect(received).toBeGreaterThan(NOW - 35 * 24 * hour);
    expect(Date.parse(graph.sentDateTime)).toBeLessThanOrEqual(received);
  }
  const later = demoMailbox(NOW + 50 * 24 * hour);
  expect(later.messages.map((m) => m.graph.id)).toEqual(messages.map((m) => m.graph.id));
  const shift =
    Date.parse(later.messages[0]?.graph.receivedDateTime ?? '') - Date.parse(messages[0]?.graph.receivedDateTime ?? '');
  expect(shift).toBe(50 * 24 * hour);
  // Within the same hour, browser and server agree on every date.
  expect(demoMailbox(NOW + 20 * 60_000)).toEqual(demoMailbox(NOW));
});

describe('against the seeded demo organization', () => {
  let testStore: TestStore;
  beforeAll(async () => {
    testStore = await createTestStore('sqlite');
    await seedDemoTenant(testStore.store, { now: NOW, messages: 20 });
  });
  afterAll(async () => testStore.dispose());

  test('every person is a seeded contact or salesperson by exact name and address, except the new lead and sales@', async () => {
    const { store } = testStore;
    const contacts = (await store.directory.listContacts(DEMO_TENANT_ID, { limit: 100 })).items;
    const salespeople = (await store.directory.listSalespeople(DEMO_TENANT_ID, { limit: 100 })).items;
    const known = new Map([...contacts, ...salespeople].map((p) => [p.email, p.name]));
    for (const [key, person] of Object.entries(DEMO_PEOPLE)) {
      if (key === 'newLead' || key === 'sales') expect(known.has(person.address)).toBe(false);
      else expect([person.address, known.get(person.address)]).toEqual([person.address, person.name]);
    }
  });

  test('"Log this thread" on the demo threads logs contacts’ mail and skips the rest, with reasons', async () => {
    const { store } = testStore;
    const ana = (await store.directory.listSalespeople(DEMO_TENANT_ID, { email: user.emailAddress, limit: 1 }))
      .items[0];
    expect(ana).toBeDefined();
    const log = (thread: string) =>
      logThread(
        store,
        DEMO_TENANT_ID,
        (threads.get(thread) ?? []).map((m) => m.graph),
        { source: 'addin', loggedBy: ana ? { id: ana.id, name: ana.name, email: ana.email } : null, now: NOW }
      );
    const renewal = await log('renewal');
    expect(renewal.logged.length).toBeGreaterThanOrEqual(4);
    expect(new Set(renewal.logged.map((e) => e.contact.email))).toEqual(
      new Set(['lena.berg@fabrikam.example', 'tomas.ortega@fabrikam.example'])
    );
    expect(renewal.skipped.map((s) => s.reason)).toEqual(['draft']);
    const lead = await log('new-lead');
    expect(lead.logged).toEqual([]);
    expect(lead.skipped.map((s) => s.reason).sort()).toEqual(['no-matching-recipient', 'sender-not-matched']);
    expect((await log('internal')).skipped.map((s) => s.reason)).toEqual(['no-matching-recipient']);
    expect((await log('contract')).logged.length).toBeGreaterThanOrEqual(60);
  });
});
