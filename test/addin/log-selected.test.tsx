/** @jest-environment jsdom */
import '@testing-library/jest-dom';
import { act, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import type { SelectedMessage } from '../../src/addin/office/types.js';
import type * as ThreadModule from '../../src/addin/taskpane/thread.js';
import type { GraphMessage } from '../../src/shared/schemas/message.js';
import { entry, fakeApi, fakeHost, lena, readItem, renderPane, unreachable } from './pane-fakes.js';

/* Log selected (issue 21): several messages selected at once, each one's thread logged through Log this thread's path. */

jest.mock('../../src/addin/taskpane/thread.js', () => ({
  readOpenThread: jest.fn(),
  logMessages: jest.fn()
}));
const thread = jest.requireMock('../../src/addin/taskpane/thread.js') as jest.Mocked<typeof ThreadModule>;

beforeEach(() => jest.clearAllMocks());

const selection = (count: number): SelectedMessage[] =>
  Array.from({ length: count }, (_, i) => ({ ewsId: `AAMk/${i}`, restId: `AAMk-${i}`, subject: `Deal ${i}` }));

/** Each selected message's thread is one message named after its Graph id. */
function threadsByRestId() {
  thread.readOpenThread.mockImplementation(async (_services, item) => [
    { internetMessageId: `<${item.restId}>` } as GraphMessage
  ]);
}

async function selectInPane(messages: SelectedMessage[]) {
  const host = fakeHost(readItem(lena), 'en-US', { multiSelect: true });
  const api = fakeApi();
  renderPane(host, api);
  await screen.findByRole('heading', { name: 'Lena Berg' });
  await act(async () => host.selectMessages(messages));
  return { host, api };
}

test('ten selected messages log in one action, each thread through Log this thread’s path', async () => {
  threadsByRestId();
  thread.logMessages.mockImplementation(async (_services, messages) => ({
    logged: [entry(Number(messages[0]!.internetMessageId!.replace(/\D/g, '')))],
    skipped: []
  }));
  await selectInPane(selection(10));
  await userEvent.click(await screen.findByRole('button', { name: 'Log selected (10)' }));
  const results = await screen.findByRole('list', { name: 'Selected messages' });
  expect(await within(results).findAllByRole('listitem')).toHaveLength(10);
  expect(thread.readOpenThread).toHaveBeenCalledTimes(10);
  expect(thread.readOpenThread.mock.calls.map(([, item]) => item.restId)).toEqual(
    selection(10).map((message) => message.restId)
  );
  expect(thread.logMessages.mock.calls.map(([, messages]) => messages[0]!.internetMessageId)).toEqual(
    selection(10).map((message) => `<${message.restId}>`)
  );
  expect(within(results).getAllByText('Logged 1 entry.')).toHaveLength(10);
  expect(within(results).getByText('Deal 9')).toBeInTheDocument();
});

test('progress says which message is being logged, "3 of 10"', async () => {
  threadsByRestId();
  let release: () => void = () => undefined;
  thread.logMessages.mockImplementation(async (_services, messages) => {
    if (messages[0]!.internetMessageId === '<AAMk-2>') await new Promise<void>((resolve) => (release = resolve));
    return { logged: [], skipped: [] };
  });
  await selectInPane(selection(10));
  await userEvent.click(await screen.findByRole('button', { name: 'Log selected (10)' }));
  expect(await screen.findByText('Logging 3 of 10…')).toBeInTheDocument();
  expect(screen.getByRole('button', { name: 'Log selected (10)' })).toBeDisabled();
  act(() => release());
  await waitFor(() => expect(screen.getAllByText('Nothing new to log.')).toHaveLength(10));
  expect(screen.queryByText(/Logging \d+ of 10/)).not.toBeInTheDocument();
});

test('a failure in one message is reported on its line and the rest are still logged', async () => {
  threadsByRestId();
  thread.logMessages.mockImplementation(async (_services, messages) => {
    if (messages[0]!.internetMessageId === '<AAMk-1>') return unreachable();
    if (messages[0]!.internetMessageId === '<AAMk-2>') {
      return { logged: [], skipped: [{ internetMessageId: '<AAMk-2>', reason: 'internal-only', detail: 'x' }] };
    }
    return { logged: [entry(1), entry(2)], skipped: [] };
  });
  await selectInPane(selection(4));
  await userEvent.click(await screen.findByRole('button', { name: 'Log selected (4)' }));
  const results = await screen.findByRole('list', { name: 'Selected messages' });
  const lines = await within(results).findAllByRole('listitem');
  expect(lines).toHaveLength(4);
  expect(lines[0]).toHaveTextContent('Deal 0 Logged 2 entries.');
  expect(lines[1]).toHaveTextContent(/^Deal 1 The thread could not be logged\. /);
  expect(lines[2]).toHaveTextContent(
    'Deal 2 Logged 0 entries. Skipped 1 message: nobody outside the organization is on it'
  );
  expect(lines[3]).toHaveTextContent('Deal 3 Logged 2 entries.');
  expect(thread.logMessages).toHaveBeenCalledTimes(4);
});

test('more than 100 selected: a clear message, nothing logged', async () => {
  await selectInPane(selection(101));
  expect(
    await screen.findByText('101 messages are selected: Log selected takes at most 100. Select fewer.')
  ).toBeInTheDocument();
  expect(screen.queryByRole('button', { name: /Log selected/ })).not.toBeInTheDocument();
});

test('one message selected, or the selection cleared: the open message’s pane as before', async () => {
  const { host } = await selectInPane(selection(1));
  expect(screen.queryByRole('button', { name: /Log selected/ })).not.toBeInTheDocument();
  await act(async () => host.selectMessages(selection(3)));
  expect(await screen.findByRole('button', { name: 'Log selected (3)' })).toBeInTheDocument();
  await act(async () => host.selectMessages([]));
  expect(await screen.findByRole('heading', { name: 'Lena Berg' })).toBeInTheDocument();
  expect(screen.queryByRole('button', { name: /Log selected/ })).not.toBeInTheDocument();
});

test('a host without Mailbox 1.13 shows nothing new', async () => {
  const host = fakeHost(readItem(lena));
  renderPane(host, fakeApi());
  await screen.findByRole('heading', { name: 'Lena Berg' });
  expect(host.selection).toBeUndefined();
  await act(async () => host.selectMessages(selection(10)));
  expect(screen.queryByRole('button', { name: /Log selected/ })).not.toBeInTheDocument();
  expect(await screen.findByRole('button', { name: 'Logged: log new replies in this thread' })).toBeInTheDocument();
});
