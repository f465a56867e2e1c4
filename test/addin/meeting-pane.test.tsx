/** @jest-environment jsdom */
import '@testing-library/jest-dom';
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { meetingEvent } from '../../src/addin/domain/meeting.js';
import type * as ThreadModule from '../../src/addin/taskpane/thread.js';
import { ben, entry, fakeApi, fakeHost, lena, me, oskar, readAppointment, renderPane } from './pane-fakes.js';

jest.mock('../../src/addin/taskpane/thread.js', () => ({
  readOpenThread: jest.fn(),
  logMessages: jest.fn(),
  readOpenMeeting: jest.fn()
}));
const thread = jest.requireMock('../../src/addin/taskpane/thread.js') as jest.Mocked<typeof ThreadModule>;

/* On a calendar item the pane shows the attendees' history and Log this meeting (issue 21). */

beforeEach(() => jest.clearAllMocks());

test("the organizer's history first, every attendee a switch away, and no message status", async () => {
  const api = fakeApi();
  renderPane(fakeHost(readAppointment()), api);
  expect(await screen.findByRole('heading', { name: 'Lena Berg' })).toBeInTheDocument();
  expect(api.history).toHaveBeenCalledWith(lena.email);
  expect(api.status).not.toHaveBeenCalled();
  expect(screen.getByRole('button', { name: 'Log this meeting' })).toBeEnabled();
  expect(screen.queryByRole('button', { name: /Log this thread/ })).not.toBeInTheDocument();
});

test('Log this meeting sends the meeting with its iCalUId and refreshes the history', async () => {
  const item = readAppointment();
  const event = meetingEvent(item, 'uid-1', me)!;
  thread.readOpenMeeting.mockResolvedValue(event);
  const api = fakeApi({ logMeeting: async () => ({ logged: [entry(5), entry(6)], skipped: [] }) });
  renderPane(fakeHost(item), api);
  await screen.findByRole('heading', { name: 'Lena Berg' });
  const historyCalls = api.history.mock.calls.length;
  await userEvent.click(screen.getByRole('button', { name: 'Log this meeting' }));
  expect(await screen.findByText('Logged 2 entries.')).toBeInTheDocument();
  expect(thread.readOpenMeeting).toHaveBeenCalledWith(expect.anything(), item);
  expect(api.logMeeting).toHaveBeenCalledWith(event);
  await waitFor(() => expect(api.history.mock.calls.length).toBeGreaterThan(historyCalls));
});

test('logged already, or not logged: said in words about the meeting', async () => {
  thread.readOpenMeeting.mockResolvedValue(meetingEvent(readAppointment(), 'uid-1', me));
  const answers = [
    { logged: [], skipped: [{ internetMessageId: 'uid-1', reason: 'already-logged' as const, detail: 'x' }] },
    { logged: [], skipped: [{ internetMessageId: 'uid-1', reason: 'not-a-participant' as const, detail: 'x' }] }
  ];
  const api = fakeApi({ logMeeting: async () => answers.shift()! });
  renderPane(fakeHost(readAppointment()), api);
  const button = await screen.findByRole('button', { name: 'Log this meeting' });
  await userEvent.click(button);
  expect(await screen.findByText('This meeting was already logged for everyone at it.')).toBeInTheDocument();
  await userEvent.click(screen.getByRole('button', { name: 'Log this meeting' }));
  const status = await screen.findByText(/Not logged:/);
  expect(
    within(status.closest('[role="status"]') as HTMLElement).getByText('you are not on it (1)')
  ).toBeInTheDocument();
});

test('a meeting being organized and not saved yet cannot be logged, and says why', async () => {
  const api = fakeApi();
  renderPane(fakeHost(readAppointment({ mode: 'compose', ewsId: null, restId: null, from: null })), api);
  expect(await screen.findByRole('button', { name: 'Log this meeting' })).toBeDisabled();
  expect(screen.getByText(/Save the meeting first/)).toBeInTheDocument();
  expect(screen.queryByText('You are writing a message.')).not.toBeInTheDocument();
  expect(api.logMeeting).not.toHaveBeenCalled();
});

test('a failure says the meeting could not be logged', async () => {
  thread.readOpenMeeting.mockRejectedValue(new Error('Graph said no'));
  renderPane(fakeHost(readAppointment()), fakeApi());
  await userEvent.click(await screen.findByRole('button', { name: 'Log this meeting' }));
  expect(await screen.findByRole('alert')).toHaveTextContent(/^The meeting could not be logged\./);
});

describe('meetingEvent', () => {
  test("Graph's event shape: UTC times, the organizer, required and optional attendees", () => {
    expect(meetingEvent(readAppointment(), 'uid-1', me)).toEqual({
      iCalUId: 'uid-1',
      subject: 'Quarterly review',
      start: { dateTime: '2026-11-03T09:00:00.000', timeZone: 'UTC' },
      end: { dateTime: '2026-11-03T10:00:00.000', timeZone: 'UTC' },
      organizer: { emailAddress: { name: 'Lena Berg', address: lena.email } },
      attendees: [
        { type: 'required', emailAddress: { name: me.name, address: me.email } },
        { type: 'required', emailAddress: { name: ben.name, address: ben.email } },
        { type: 'optional', emailAddress: { name: oskar.name, address: oskar.email } }
      ]
    });
  });

  test("on the organizer's form without the organizer (before Mailbox 1.7) the user organizes it", () => {
    const event = meetingEvent(readAppointment({ mode: 'compose', from: null }), 'uid-1', me);
    expect(event?.organizer).toEqual({ emailAddress: { name: me.name, address: me.email } });
    expect(meetingEvent(readAppointment({ meeting: undefined }), 'uid-1', me)).toBeNull();
  });
});
