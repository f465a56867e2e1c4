/** @jest-environment jsdom */
import '@testing-library/jest-dom';
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import type * as ThreadModule from '../../src/addin/taskpane/thread.js';
import { companyFromAddress } from '../../src/shared/company.js';
import { ApiError } from '../../src/addin/api/client.js';
import { contactLena, entry, fakeApi, fakeHost, lena, me, readItem, renderPane } from './pane-fakes.js';

/* Issue 19, defects 4 and 5: what the pane says about colleagues, unknown senders and logged threads. */

jest.mock('../../src/addin/taskpane/thread.js', () => ({
  readOpenThread: jest.fn(),
  logMessages: jest.fn()
}));
const thread = jest.requireMock('../../src/addin/taskpane/thread.js') as jest.Mocked<typeof ThreadModule>;

const colleague = { name: 'Mikko Virtanen', email: 'mikko.virtanen@northwind.example' };
const stranger = { name: 'New Lead', email: 'new.lead@globex.example' };

beforeEach(() => jest.clearAllMocks());

const LOG_BUTTON = /^(Log this thread|Logged: log new replies in this thread)$/;

test('an internal-only message says so, not "No message selected"', async () => {
  renderPane(fakeHost(readItem(colleague, { to: [me] })), fakeApi());
  expect(await screen.findByRole('heading', { name: 'Internal message: nothing to log' })).toBeInTheDocument();
  expect(screen.queryByText('No message selected')).not.toBeInTheDocument();
});

test('a colleague is a salesperson, not a contact: no "Add … as a contact" without a button', async () => {
  renderPane(
    fakeHost(readItem(lena, { to: [me, colleague] })),
    fakeApi({ history: async () => ({ items: [], nextCursor: null }) })
  );
  await screen.findByRole('heading', { name: 'Lena Berg' });
  await userEvent.selectOptions(screen.getByLabelText('Show history for'), colleague.email);
  expect(await screen.findByRole('heading', { name: 'Mikko Virtanen' })).toBeInTheDocument();
  expect(
    screen.getByText(/Mikko Virtanen works in your organization\. Colleagues are salespeople/)
  ).toBeInTheDocument();
  expect(screen.queryByText(/as a contact/)).not.toBeInTheDocument();
  expect(screen.queryByText('Add this person as a contact first.')).not.toBeInTheDocument();
});

test('an unknown sender: logging needs a contact, said up front; after Add contact the pane refreshes', async () => {
  let added = false;
  const api = fakeApi({
    history: async () => ({ items: [], nextCursor: null }),
    status: async (ids: string[]) => ({
      items: ids.map((internetMessageId) => ({ internetMessageId, logged: false, loggedBy: null, loggedAt: null }))
    }),
    contactByEmail: async (email: string) =>
      added && email === stranger.email
        ? { ...contactLena, id: 'c-new', name: 'New Lead', email: stranger.email }
        : null,
    createContact: async (input) => {
      added = true;
      return { ...contactLena, id: 'c-new', name: input.name, email: input.email, company: input.company ?? null };
    }
  });
  thread.readOpenThread.mockResolvedValue([{ internetMessageId: '<a@x>' }]);
  thread.logMessages.mockResolvedValue({
    logged: [],
    skipped: [{ internetMessageId: '<a@x>', reason: 'sender-not-matched', detail: 'x' }]
  });
  renderPane(fakeHost(readItem(stranger)), api);
  const needs = await screen.findByText(
    'Logging keeps email with contacts. Add New Lead as a contact first, then log this thread.'
  );
  expect(needs).toBeInTheDocument();
  await userEvent.click(screen.getByRole('button', { name: 'Log this thread' }));
  expect(await screen.findByText(/Logged 0 entries\./)).toBeInTheDocument();

  // The offer sits with the explanation; the company is proposed from the address's domain.
  const offer = needs.closest('[role="note"]') as HTMLElement;
  await userEvent.click(within(offer).getByRole('button', { name: 'Add contact' }));
  const dialog = await screen.findByRole('dialog');
  expect(within(dialog).getByLabelText('Company')).toHaveValue('Globex');
  await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
  expect(await screen.findByText('New Lead is now a contact.')).toBeInTheDocument();
  await waitFor(() => expect(screen.queryByText(/Logged 0 entries\./)).not.toBeInTheDocument());
  expect(screen.queryByText(/Logging keeps email with contacts/)).not.toBeInTheDocument();
  await waitFor(() => expect(screen.getByRole('button', { name: /Create opportunity/ })).toBeEnabled());
});

test('Add contact proposes no company for public mail domains', () => {
  expect(companyFromAddress('lena@fabrikam.com')).toBe('Fabrikam');
  expect(companyFromAddress('lena@sales.fabrikam.co.uk')).toBe('Fabrikam');
  expect(companyFromAddress('anna@blue-yonder.fi')).toBe('Blue Yonder');
  for (const address of ['someone@gmail.com', 'someone@outlook.com', 'someone@yandex.ru', 'someone@libero.it']) {
    expect(companyFromAddress(address)).toBeNull();
  }
});

test('a logged thread: the button says "Logged" with a check, quieter, and still logs new replies', async () => {
  thread.readOpenThread.mockResolvedValue([{ internetMessageId: '<a@x>' }]);
  thread.logMessages.mockResolvedValue({ logged: [], skipped: [] });
  renderPane(fakeHost(readItem(lena)), fakeApi());
  const button = await screen.findByRole('button', { name: 'Logged: log new replies in this thread' });
  expect(button).toHaveTextContent(/^Logged$/);
  expect(screen.queryByRole('button', { name: 'Log this thread' })).not.toBeInTheDocument();
  await userEvent.click(button);
  await waitFor(() => expect(thread.logMessages).toHaveBeenCalled());
});

test('an API error shows in the part that failed; the person header and actions stay', async () => {
  let historyFails = true;
  const api = fakeApi({
    history: async () => {
      if (historyFails) throw new ApiError(500, null, 'The history is unavailable.');
      return { items: [entry(1)], nextCursor: null };
    },
    openOpportunities: async () => {
      throw new ApiError(500, null, 'Opportunities are unavailable.');
    }
  });
  renderPane(fakeHost(readItem(lena)), api);
  expect(await screen.findByRole('heading', { name: 'Lena Berg' })).toBeInTheDocument();
  expect(screen.getByRole('button', { name: LOG_BUTTON })).toBeInTheDocument();
  const history = await screen.findByRole('region', { name: 'History' });
  // The API's fault in the pane's words, not its English detail.
  const fault =
    'The interaction log ran into a fault of its own. Try again; if it keeps happening, tell your administrator.';
  expect(within(history).getByText(fault)).toBeInTheDocument();
  const opportunities = screen.getByRole('region', { name: 'Open opportunities' });
  expect(within(opportunities).getByText(fault)).toBeInTheDocument();

  historyFails = false;
  await userEvent.click(within(history).getByRole('button', { name: 'Try again' }));
  await waitFor(() =>
    expect(
      within(screen.getByRole('region', { name: 'History' })).getByRole('link', { name: 'Subject 1' })
    ).toBeInTheDocument()
  );
});
