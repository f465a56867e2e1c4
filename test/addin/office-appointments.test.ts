/** @jest-environment jsdom */
import { connectOffice } from '../../src/addin/office/mailbox.js';
import type { MailItem } from '../../src/addin/office/types.js';
import { DEMO_MAILBOX_USER, demoMailbox } from '../../src/stand-ins/demo-mailbox.js';
import { demoAppointment, installOfficeStandIn, type StandInAppointment } from '../stand-ins/office/stand-in.js';
import { me, readAppointment } from './pane-fakes.js';

/*
 * Calendar items (issue 21) through the Office stand-in, read by the pane's Office adapter: an attendee's
 * AppointmentRead and the organizer's AppointmentCompose as Outlook documents them, on a current client and on the
 * manifest's minimum (Mailbox 1.5), where the organizer and the item's id cannot be asked for.
 */

const meeting: StandInAppointment = {
  itemId: 'AAMkAD/event+1',
  subject: 'Quarterly review',
  start: new Date('2026-11-03T09:00:00Z'),
  end: new Date('2026-11-03T10:00:00Z'),
  organizer: { name: 'Lena Berg', address: 'lena.berg@fabrikam.example' },
  requiredAttendees: [{ name: 'Ana López', address: 'ana.lopez@northwind.example' }],
  optionalAttendees: [{ name: 'Oskar Lind', address: 'oskar@fabrikam.example' }]
};

async function open(appointment: StandInAppointment, options: { organizer?: boolean; mailboxVersion?: string } = {}) {
  const control = installOfficeStandIn(window, {
    storage: null,
    navigate: jest.fn(),
    initial: { messageId: null },
    ...(options.mailboxVersion ? { mailboxVersion: options.mailboxVersion } : {})
  });
  const host = await connectOffice();
  const changed = jest.fn();
  host.onItemChanged(changed);
  await control.openAppointment(appointment, { organizer: options.organizer ?? false });
  expect(changed).toHaveBeenCalledTimes(1);
  return host.currentItem();
}

/** The stand-in's meeting has no Ben: only me required. */
const read = (overrides: Partial<MailItem> = {}) => readAppointment({ to: [me], ...overrides });

test("an attendee's calendar item: the meeting, its organizer and attendees, the item's REST id", async () => {
  expect(await open(meeting)).toEqual(read());
});

test("the organizer's form: read through getAsync, with the saved item's id", async () => {
  const organized = { ...meeting, organizer: { name: 'Ana López', address: 'ana.lopez@northwind.example' } };
  expect(await open(organized, { organizer: true })).toMatchObject(read({ mode: 'compose', from: me }));
  expect(await open({ ...organized, itemId: null }, { organizer: true })).toMatchObject({ ewsId: null, restId: null });
});

test("the organizer's form on a Mailbox 1.5 client: no organizer, no id, the meeting still read", async () => {
  expect(await open(meeting, { organizer: true, mailboxVersion: '1.5' })).toMatchObject(
    read({ mode: 'compose', ewsId: null, restId: null, from: null })
  );
});

test('the demo meetings open as calendar items of the events the Graph stand-in serves, by the same ids', async () => {
  for (const event of demoMailbox().events) {
    const item = await open(demoAppointment(event), { organizer: event.graph.isOrganizer });
    // The pane reads /me/events/{restId}: the Graph stand-in's event has that regular id.
    expect(item?.restId).toBe(event.restId);
    expect(item?.subject).toBe(event.graph.subject);
    expect(item?.meeting?.start).toBe(new Date(`${event.graph.start.dateTime.slice(0, 19)}Z`).toISOString());
    expect(item?.from?.email).toBe(event.graph.organizer.emailAddress.address);
    const invited = [...(item?.to ?? []), ...(item?.cc ?? [])].map((p) => p.email);
    expect(invited.sort()).toEqual(event.graph.attendees.map((a) => a.emailAddress.address).sort());
    expect(event.graph.isOrganizer).toBe(event.graph.organizer.emailAddress.address === DEMO_MAILBOX_USER.emailAddress);
  }
});
