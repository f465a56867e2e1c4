/** @jest-environment jsdom */
import '@testing-library/jest-dom';
import { screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { reconcileReport } from '../helpers/reconcile-report.js';
import { fakeAdminApi, renderAs, type FakeAdminApi } from './admin-fakes.js';
import { refusedWith } from './pane-fakes.js';

/* "Check for missed messages" in the admin view's health tab, against a fake admin API. */

beforeEach(() => {
  jest.clearAllMocks();
  window.localStorage.clear();
});

async function openHealth(adminApi: FakeAdminApi) {
  renderAs(['Admin'], adminApi);
  await userEvent.click(await screen.findByRole('button', { name: 'Admin' }));
  await userEvent.click(await screen.findByRole('tab', { name: 'Health' }));
  await screen.findByRole('region', { name: 'Check for missed messages' });
}

const section = () => screen.getByRole('region', { name: 'Check for missed messages' });
/** A time as the English pane shows it. */
const local = (iso: string) => new Date(iso).toLocaleString('en');

test('the days are checked inline; a valid number runs the check and shows its counts', async () => {
  const adminApi = fakeAdminApi();
  await openHealth(adminApi);
  const days = within(section()).getByRole('textbox', { name: /Days back/ });
  expect(days).toHaveValue('7');
  const check = within(section()).getByRole('button', { name: 'Check' });

  await userEvent.clear(days);
  await userEvent.type(days, '30');
  expect(days).toHaveAccessibleDescription('Enter a whole number of days from 1 to 29.');
  expect(check).toBeDisabled();
  await userEvent.clear(days);
  await userEvent.type(days, '2.5');
  expect(check).toBeDisabled();
  await userEvent.clear(days);
  await userEvent.type(days, '14');
  expect(days).not.toHaveAccessibleDescription();
  expect(adminApi.reconcile).not.toHaveBeenCalled();

  await userEvent.click(check);
  expect(adminApi.reconcile).toHaveBeenCalledWith(14);
  expect(
    await within(section()).findByText('Nothing unaccounted: every message is where its record says.')
  ).toBeInTheDocument();
  const figures = Object.fromEntries(
    within(section())
      .getAllByRole('term')
      .map((term) => [term.textContent, term.nextElementSibling?.textContent])
  );
  expect(figures).toEqual({
    'Listed in Inbox': '2',
    'Listed in Archive': '30',
    'Listed in Not logged': '5',
    'Listed in Quarantine': '0',
    'Waiting in the Inbox': '2',
    'Where their record says': '35',
    'Unaccounted for': '0'
  });
  expect(within(section()).queryByText(/Incomplete/)).not.toBeInTheDocument();
});

test('busy while the check runs; each unaccounted message with its folder and fate in words; the incomplete note', async () => {
  let answer: (report: typeof reconcileReport) => void = () => undefined;
  const adminApi = fakeAdminApi({
    reconcile: () => new Promise((resolve) => (answer = resolve))
  });
  await openHealth(adminApi);
  await userEvent.click(within(section()).getByRole('button', { name: 'Check' }));
  expect(within(section()).getByRole('button', { name: 'Checking…' })).toBeDisabled();
  expect(adminApi.reconcile).toHaveBeenCalledWith(7);

  answer({
    ...reconcileReport,
    complete: false,
    accounted: 32,
    unaccounted: [
      {
        messageId: 'm1',
        internetMessageId: '<m1@fabrikam.example>',
        subject: 'Offer for spring',
        from: 'lena@fabrikam.example',
        receivedDateTime: '2026-03-02T09:30:00Z',
        folder: 'archive',
        recorded: null,
        problem: 'not-recorded'
      },
      {
        messageId: 'm2',
        internetMessageId: null,
        subject: null,
        from: null,
        receivedDateTime: null,
        folder: 'notLogged',
        recorded: 'logged',
        problem: 'recorded-elsewhere'
      },
      {
        messageId: 'm3',
        internetMessageId: null,
        subject: 'Gone',
        from: 'tomas@fabrikam.example',
        receivedDateTime: '2026-03-01T08:00:00Z',
        folder: null,
        recorded: 'some-new-status',
        problem: 'missing'
      }
    ]
  });
  const list = await within(section()).findByRole('list', { name: 'Unaccounted for' });
  expect(
    within(list)
      .getAllByRole('listitem')
      .map((item) => item.textContent)
  ).toEqual([
    `Offer for springFrom lena@fabrikam.example, received ${local('2026-03-02T09:30:00Z')}In Archive` +
      'Not recorded: the processor has no record of it (put there by hand?).',
    '(no subject)From unknown sender, received —In Not loggedRecorded as logged, but in another folder (moved by hand?).',
    `GoneFrom tomas@fabrikam.example, received ${local('2026-03-01T08:00:00Z')}In none of the folders` +
      'Recorded as some-new-status, but in none of the folders (moved away by hand, or deleted).'
  ]);
  expect(within(section()).getByText(/^Incomplete: a folder holds more than 10,000 messages/)).toBeInTheDocument();
  expect(within(section()).getByRole('button', { name: 'Check' })).toBeEnabled();
});

test('a refusal is said in Outlook’s language, not in the API’s words', async () => {
  const adminApi = fakeAdminApi({
    reconcile: async () => {
      throw refusedWith(409, 'conflict', 'Automatic logging has no shared mailbox address.');
    }
  });
  renderAs(['Admin'], adminApi, 'fi-FI');
  await userEvent.click(await screen.findByRole('button', { name: 'Ylläpito' }));
  await userEvent.click(await screen.findByRole('tab', { name: 'Kunto' }));
  const region = await screen.findByRole('region', { name: 'Tarkista puuttuvat viestit' });
  await userEvent.click(within(region).getByRole('button', { name: 'Tarkista' }));
  expect(await within(region).findByRole('alert')).toHaveTextContent(
    'Tämä on ristiriidassa jo tallennettujen tietojen kanssa. Tarkista merkityt kentät tai lataa tiedot uudelleen ja yritä uudelleen.'
  );
  expect(region).not.toHaveTextContent(/shared mailbox address/);
});
