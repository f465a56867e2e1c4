/** @jest-environment jsdom */
import '@testing-library/jest-dom';
import { screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import type { MailboxRun, RunMessage } from '../../src/shared/schemas/mailbox.js';
import { fakeAdminApi, renderAs } from './admin-fakes.js';

/* A run's own messages, opened from the health tab's runs list, against a fake admin API. */

const run: MailboxRun = {
  id: 'run/1',
  mailboxAddress: 'log@northwind.example',
  trigger: 'notification',
  status: 'succeeded',
  startedAt: '2026-03-03T09:00:00.000Z',
  finishedAt: '2026-03-03T09:00:02.000Z',
  durationMs: 2000,
  seen: 3,
  logged: 2,
  skipped: { 'sender-not-matched': 1 },
  failed: 0,
  quarantined: 0,
  requests: 6,
  throttled: 0,
  error: null
};
const message = (subject: string, fate: RunMessage['fate'], more: Partial<RunMessage> = {}): RunMessage => ({
  messageId: subject,
  internetMessageId: `<${subject}@fabrikam.example>`,
  fate,
  reason: null,
  subject,
  from: 'lena@fabrikam.example',
  receivedDateTime: '2026-03-03T08:59:00Z',
  direction: 'inbound',
  entriesCreated: 0,
  ...more
});
const received = new Date('2026-03-03T08:59:00Z').toLocaleString('en');

beforeEach(() => {
  jest.clearAllMocks();
  window.localStorage.clear();
});

test('a run opens its messages: who sent each, when, and what the run did with it; more on request', async () => {
  const adminApi = fakeAdminApi({
    runs: async () => ({ items: [run, { ...run, id: 'empty', seen: 0 }], nextCursor: null }),
    runMessages: async (_runId: string, cursor?: string) =>
      cursor
        ? { items: [message('Quote', 'deferred')], nextCursor: null }
        : {
            items: [
              message('Offer', 'logged', { entriesCreated: 2 }),
              message('Cold', 'not-logged', { reason: 'sender-not-matched', from: null, receivedDateTime: null })
            ],
            nextCursor: 'next'
          }
  });
  renderAs(['Admin'], adminApi);
  await userEvent.click(await screen.findByRole('button', { name: 'Admin' }));
  await userEvent.click(await screen.findByRole('tab', { name: 'Health' }));
  const runs = await screen.findByRole('list', { name: 'Recent runs' });
  // Only a run that saw messages offers them.
  expect(within(runs).getAllByRole('button', { name: /^Messages/ })).toHaveLength(1);
  const open = within(runs).getByRole('button', { name: 'Messages (3)' });
  expect(open).toHaveAttribute('aria-expanded', 'false');
  await userEvent.click(open);

  const list = await within(runs).findByRole('list', { name: 'Messages of this run' });
  expect(adminApi.runMessages).toHaveBeenCalledWith('run/1', undefined);
  const texts = () =>
    within(list)
      .getAllByRole('listitem')
      .map((item) => item.textContent);
  expect(texts()).toEqual([
    `OfferFrom lena@fabrikam.example, received ${received}Logged; entries created: 2`,
    'ColdFrom unknown sender, received —Not logged: Sender is neither a salesperson nor a contact'
  ]);
  await userEvent.click(within(runs).getByRole('button', { name: 'Load more' }));
  expect(adminApi.runMessages).toHaveBeenLastCalledWith('run/1', 'next');
  expect(await within(list).findByText(/^Left in the Inbox/)).toBeInTheDocument();
  expect(within(runs).queryByRole('button', { name: 'Load more' })).toBeNull();

  await userEvent.click(within(runs).getByRole('button', { name: 'Hide messages' }));
  expect(within(runs).queryByRole('list', { name: 'Messages of this run' })).toBeNull();
});
