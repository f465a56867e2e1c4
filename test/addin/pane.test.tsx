/** @jest-environment jsdom */
import '@testing-library/jest-dom';
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { SignInRequiredError } from '../../src/addin/auth/tokens.js';
import type * as ThreadModule from '../../src/addin/taskpane/thread.js';
import { contactLena, entry, fakeApi, fakeHost, lena, me, readItem, renderPane, unreachable } from './pane-fakes.js';

jest.mock('../../src/addin/taskpane/thread.js', () => ({
  readOpenThread: jest.fn(),
  logMessages: jest.fn()
}));
const thread = jest.requireMock('../../src/addin/taskpane/thread.js') as jest.Mocked<typeof ThreadModule>;

beforeEach(() => jest.clearAllMocks());

/** The log action, whether the open message is logged yet ("Logged") or not ("Log this thread"). */
const LOG_BUTTON = /^(Log this thread|Logged: log new replies in this thread)$/;

test('no item selected: a calm prompt, no requests', async () => {
  const api = fakeApi();
  renderPane(fakeHost(null), api);
  expect(await screen.findByText('No message selected')).toBeInTheDocument();
  expect(api.history).not.toHaveBeenCalled();
});

test('shows the correspondent, the logged status, opportunities and history', async () => {
  const api = fakeApi();
  renderPane(fakeHost(readItem(lena)), api);
  expect(await screen.findByRole('heading', { name: 'Lena Berg' })).toBeInTheDocument();
  expect(await screen.findByText('Fabrikam')).toBeInTheDocument(); // the contact: once the API has answered
  expect(await screen.findByText('Logged by Ana López, Mar 3, 2026')).toBeInTheDocument();
  expect(api.history).toHaveBeenCalledWith(lena.email);
  expect(api.status).toHaveBeenCalledWith(['<open@fabrikam.example>']);
  const history = screen.getByRole('region', { name: 'History' });
  const links = within(history).getAllByRole('link');
  expect(links.map((l) => l.textContent)).toEqual(['Subject 2', 'Subject 1']);
  expect(links[0]).toHaveAttribute('href', 'https://outlook.office365.com/owa/?ItemID=2');
  expect(within(history).getByText(/Received · with Ana López/)).toBeInTheDocument();
  const opportunities = screen.getByRole('region', { name: 'Open opportunities' });
  expect(within(opportunities).getByText('Fabrikam renewal')).toBeInTheDocument();
  expect(within(opportunities).getByText('Proposal')).toBeInTheDocument();
  expect(within(opportunities).getByText('€12,000')).toBeInTheDocument();
});

test('an unknown sender: "Not a contact yet", Add contact prefilled, no opportunity until added', async () => {
  const stranger = { name: 'New Lead', email: 'new.lead@globex.example' };
  const api = fakeApi({
    history: async () => ({ items: [], nextCursor: null }),
    createContact: async (input) => ({ ...contactLena, id: 'c-new', name: input.name, email: input.email })
  });
  renderPane(fakeHost(readItem(stranger)), api);
  expect(await screen.findByText('Not a contact yet')).toBeInTheDocument();
  expect(screen.getByText('Add New Lead as a contact to start their history.')).toBeInTheDocument();
  expect(screen.getByRole('button', { name: /Create opportunity/ })).toBeDisabled();
  await userEvent.click(screen.getByRole('button', { name: 'Add contact' }));
  const dialog = await screen.findByRole('dialog');
  expect(within(dialog).getByLabelText(/Name/)).toHaveValue('New Lead');
  expect(within(dialog).getByLabelText('Email')).toHaveValue('new.lead@globex.example');
  expect(within(dialog).getByLabelText('Company')).toHaveValue('Globex'); // from the address's domain
  await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
  await waitFor(() =>
    expect(api.createContact).toHaveBeenCalledWith({
      name: 'New Lead',
      email: 'new.lead@globex.example',
      company: 'Globex',
      phone: null
    })
  );
  expect(await screen.findByText('New Lead is now a contact.')).toBeInTheDocument();
});

test('empty history says so', async () => {
  renderPane(fakeHost(readItem(lena)), fakeApi({ history: async () => ({ items: [], nextCursor: null }) }));
  expect(await screen.findByText('No logged email with Lena Berg yet.')).toBeInTheDocument();
});

test('API unreachable: an error with a retry that recovers', async () => {
  let fail = true;
  const api = fakeApi();
  const history = api.history.getMockImplementation();
  api.history.mockImplementation((...args) => (fail ? unreachable() : history!(...args)));
  renderPane(fakeHost(readItem(lena)), api);
  expect(await screen.findByText('The interaction log can’t be reached')).toBeInTheDocument();
  // The person stays on screen above the error.
  expect(screen.getByRole('heading', { name: 'Lena Berg' })).toBeInTheDocument();
  fail = false;
  await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
  expect(await screen.findByRole('region', { name: 'History' })).toBeInTheDocument();
  expect(screen.queryByText('The interaction log can’t be reached')).not.toBeInTheDocument();
});

test('signed out: a sign-in prompt below the person, even when the refusal comes before the first frame', async () => {
  // Outlook's bridge can refuse the silent sign-in at once: the error is there before React draws anything.
  const refused = Promise.reject(new SignInRequiredError());
  refused.catch(() => undefined);
  renderPane(fakeHost(readItem(lena)), fakeApi({ contactByEmail: () => refused }));
  expect(await screen.findByText('Sign in to see the history')).toBeInTheDocument();
  expect(screen.getByRole('button', { name: 'Sign in' })).toBeInTheDocument();
  expect(screen.getByRole('heading', { name: 'Lena Berg' })).toBeInTheDocument();
});

test('the pinned pane follows item changes, including to no item', async () => {
  const host = fakeHost(readItem(lena));
  const api = fakeApi();
  renderPane(host, api);
  expect(await screen.findByRole('heading', { name: 'Lena Berg' })).toBeInTheDocument();
  const tomas = { name: 'Tomás Ortega', email: 'tomas.ortega@fabrikam.example' };
  act(() => host.select(readItem(tomas, { internetMessageId: '<other@x>', ewsId: 'other' })));
  expect(await screen.findByRole('heading', { name: 'Tomás Ortega' })).toBeInTheDocument();
  expect(api.history).toHaveBeenLastCalledWith(tomas.email);
  act(() => host.select(null));
  expect(await screen.findByText('No message selected')).toBeInTheDocument();
});

test('a message in the shared mailbox sales@: its history, and Log this thread names the mailbox (issue 21)', async () => {
  const sales = { name: 'Northwind Sales', email: 'sales@northwind.example' };
  const messages = [{ internetMessageId: '<shared@x>' }];
  thread.readOpenThread.mockResolvedValue(messages);
  thread.logMessages.mockResolvedValue({ logged: [entry(7)], skipped: [] });
  const api = fakeApi();
  const item = readItem(lena, { to: [sales], sharedOwner: sales.email });
  renderPane(fakeHost(item), api);
  expect(await screen.findByRole('heading', { name: 'Lena Berg' })).toBeInTheDocument();
  expect(api.history).toHaveBeenCalledWith(lena.email);
  // The mailbox is our side, as the user is: not offered as a person to show.
  expect(screen.queryByRole('option', { name: /Northwind Sales/ })).not.toBeInTheDocument();
  await userEvent.click(screen.getByRole('button', { name: LOG_BUTTON }));
  expect(await screen.findByText(/Logged 1 entry\./)).toBeInTheDocument();
  expect(thread.readOpenThread).toHaveBeenCalledWith(expect.anything(), item, expect.any(Function));
  expect(thread.logMessages).toHaveBeenCalledWith(expect.anything(), messages, sales.email);
});

test('the user can switch to another participant', async () => {
  const colleague = { name: 'Mikko Virtanen', email: 'mikko.virtanen@northwind.example' };
  const api = fakeApi();
  renderPane(fakeHost(readItem(lena, { to: [me, colleague] })), api);
  await screen.findByRole('heading', { name: 'Lena Berg' });
  await userEvent.selectOptions(screen.getByLabelText('Show history for'), colleague.email);
  expect(await screen.findByRole('heading', { name: 'Mikko Virtanen' })).toBeInTheDocument();
  expect(api.history).toHaveBeenLastCalledWith(colleague.email);
});

test('Log this thread: reads the thread, logs it, reports reasons, refreshes history and status', async () => {
  const messages = [{ internetMessageId: '<a@x>' }, { internetMessageId: '<b@x>' }, { internetMessageId: '<c@x>' }];
  thread.readOpenThread.mockImplementation(async (_services, _item, onProgress) => {
    onProgress?.(3);
    return messages;
  });
  thread.logMessages.mockResolvedValue({
    logged: [entry(5), entry(6)],
    skipped: [{ internetMessageId: '<c@x>', reason: 'sender-not-matched', detail: 'x' }]
  });
  const api = fakeApi();
  renderPane(fakeHost(readItem(lena)), api);
  await screen.findByRole('heading', { name: 'Lena Berg' });
  const historyCalls = api.history.mock.calls.length;
  await userEvent.click(screen.getByRole('button', { name: LOG_BUTTON }));
  expect(await screen.findByText(/Logged 2 entries\./)).toBeInTheDocument();
  expect(screen.getByText(/Skipped 1 message:/)).toBeInTheDocument();
  expect(screen.getByText('the sender is neither a salesperson nor a contact (1)')).toBeInTheDocument();
  expect(thread.logMessages).toHaveBeenCalledWith(expect.anything(), messages, undefined);
  await waitFor(() => expect(api.history.mock.calls.length).toBeGreaterThan(historyCalls));
  await waitFor(() => expect(api.status).toHaveBeenCalledTimes(2));
});

test('a second Log this thread says nothing new was logged', async () => {
  thread.readOpenThread.mockResolvedValue([{ internetMessageId: '<a@x>' }]);
  thread.logMessages.mockResolvedValue({
    logged: [],
    skipped: [{ internetMessageId: '<a@x>', reason: 'already-logged', detail: 'x' }]
  });
  renderPane(fakeHost(readItem(lena)), fakeApi());
  await screen.findByRole('heading', { name: 'Lena Berg' });
  await userEvent.click(screen.getByRole('button', { name: LOG_BUTTON }));
  expect(await screen.findByText('Everything in this thread was already logged.')).toBeInTheDocument();
});

test('Log this thread needing a sign-in: its Sign in opens the window in the click’s task, then logs', async () => {
  let signedIn = false;
  const signIn = jest.fn(async () => {
    signedIn = true;
  });
  thread.readOpenThread.mockImplementation(async () => {
    if (!signedIn) throw new SignInRequiredError(undefined, { signIn, popupBlocked: false });
    return [{ internetMessageId: '<a@x>' }];
  });
  thread.logMessages.mockResolvedValue({ logged: [entry(5)], skipped: [] });
  renderPane(fakeHost(readItem(lena)), fakeApi());
  await screen.findByRole('heading', { name: 'Lena Berg' });
  await userEvent.click(screen.getByRole('button', { name: LOG_BUTTON }));
  const alert = await screen.findByRole('alert');
  expect(alert).toHaveTextContent('Your organization’s interaction log needs you to sign in once.');
  expect(signIn).not.toHaveBeenCalled();
  fireEvent.click(within(alert).getByRole('button', { name: 'Sign in' }));
  expect(signIn).toHaveBeenCalledTimes(1); // synchronously, within the click
  expect(await screen.findByText(/Logged 1 entry\./)).toBeInTheDocument();
});

test('Create opportunity: prefilled from the subject, validated inline, linked to the thread', async () => {
  thread.readOpenThread.mockResolvedValue([{ internetMessageId: '<a@x>', conversationId: 'AAQkGraph' }]);
  thread.logMessages.mockResolvedValue({ logged: [], skipped: [] });
  const api = fakeApi({
    threadEntries: async () => ({ items: [entry(1), entry(2, { opportunityId: 'o-other' })], nextCursor: null })
  });
  renderPane(fakeHost(readItem(lena)), api);
  await screen.findByRole('heading', { name: 'Lena Berg' });
  await userEvent.click(screen.getByRole('button', { name: 'Create opportunity' }));
  const dialog = await screen.findByRole('dialog');
  const description = within(dialog).getByLabelText(/Description/);
  expect(description).toHaveValue('Pricing for 2027');
  expect(await within(dialog).findByText('This thread’s 1 logged entry will be linked.')).toBeInTheDocument();
  // One clear choice, the dialog titled for it, and creating says it logs the thread.
  expect(dialog).toHaveAccessibleName('Create opportunity');
  expect(
    within(dialog).getByText('Creating it also logs this thread and links its emails to the new opportunity.')
  ).toBeInTheDocument();
  expect(
    within(dialog)
      .getAllByRole('radio')
      .map((radio) => radio.getAttribute('value'))
  ).toEqual(['new', 'o-1']);

  await userEvent.click(within(dialog).getByLabelText('Create a new opportunity'));
  await userEvent.clear(description);
  await userEvent.type(within(dialog).getByLabelText('Estimated value'), '5000');
  await userEvent.clear(within(dialog).getByLabelText('Currency'));
  await userEvent.type(within(dialog).getByLabelText('Currency'), 'E');
  await userEvent.click(within(dialog).getByRole('button', { name: 'Create' }));
  expect(within(dialog).getByText('Describe the opportunity.')).toBeInTheDocument();
  expect(within(dialog).getByText('Pick a currency from the list.')).toBeInTheDocument();
  expect(api.createOpportunity).not.toHaveBeenCalled();

  await userEvent.type(description, 'Fabrikam 2027 pricing');
  await userEvent.type(within(dialog).getByLabelText('Currency'), 'UR');
  await userEvent.selectOptions(within(dialog).getByLabelText('Stage'), 'negotiation');
  await userEvent.click(within(dialog).getByRole('button', { name: 'Create' }));
  await waitFor(() =>
    expect(api.createOpportunity).toHaveBeenCalledWith({
      description: 'Fabrikam 2027 pricing',
      contactId: 'c-lena',
      interactionIds: ['i-1'],
      stage: 'negotiation',
      estimatedValue: 5000,
      currency: 'EUR',
      expectedCloseDate: null
    })
  );
  expect(thread.logMessages).toHaveBeenCalled();
  expect(await screen.findByText('Opportunity “Fabrikam renewal” created.')).toBeInTheDocument();
  expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
});

test('Create opportunity can add the thread to an open opportunity instead', async () => {
  thread.readOpenThread.mockResolvedValue([{ internetMessageId: '<a@x>', conversationId: 'AAQkGraph' }]);
  thread.logMessages.mockResolvedValue({ logged: [], skipped: [] });
  const api = fakeApi({ threadEntries: async () => ({ items: [entry(1)], nextCursor: null }) });
  renderPane(fakeHost(readItem(lena)), api);
  await screen.findByRole('heading', { name: 'Lena Berg' });
  await userEvent.click(screen.getByRole('button', { name: 'Create opportunity' }));
  const dialog = await screen.findByRole('dialog');
  await userEvent.click(within(dialog).getByRole('radio', { name: 'Add to “Fabrikam renewal”' }));
  expect(dialog).toHaveAccessibleName('Add this thread to an opportunity');
  expect(
    within(dialog).getByText('This logs the thread and links its emails to “Fabrikam renewal”.')
  ).toBeInTheDocument();
  expect(within(dialog).queryByLabelText(/Description/)).not.toBeInTheDocument();
  await userEvent.click(within(dialog).getByRole('button', { name: 'Add to “Fabrikam renewal”' }));
  await waitFor(() => expect(api.updateOpportunity).toHaveBeenCalledWith('o-1', { linkInteractionIds: ['i-1'] }));
  expect(api.createOpportunity).not.toHaveBeenCalled();
});

test('Office’s display language picks the pane’s language', async () => {
  renderPane(fakeHost(readItem(lena), 'fi-FI'), fakeApi());
  expect(await screen.findByRole('button', { name: /Kirjaa/i })).toBeInTheDocument();
  expect(screen.getByRole('main')).toHaveAccessibleName('Vuorovaikutusloki');
});

test('the history search: finds entries as the user types, marks the words, pages, and clears back', async () => {
  const found = entry(5, {
    subject: 'Warehouse visit',
    preview: 'Meet at the warehouse on Monday',
    highlights: { subject: [[0, 9]], preview: [[12, 21]] }
  });
  const api = fakeApi({
    searchHistory: async (_email, _q, cursor) =>
      cursor ? { items: [entry(6, { subject: 'Older' })], nextCursor: null } : { items: [found], nextCursor: 'next' }
  });
  renderPane(fakeHost(readItem(lena)), api);
  const history = await screen.findByRole('region', { name: 'History' });
  const box = screen.getByRole('searchbox', { name: 'Search the history' });
  await userEvent.type(box, '  warehouse ');
  await waitFor(() => expect(api.searchHistory).toHaveBeenCalledWith(lena.email, 'warehouse'));
  const marks = await within(history).findAllByText('Warehouse', { selector: 'mark' });
  expect(marks).toHaveLength(1);
  expect(within(history).getByText('warehouse', { selector: 'mark' })).toBeInTheDocument();
  expect(within(history).queryByText('Subject 2')).not.toBeInTheDocument();
  await userEvent.click(within(history).getByRole('button', { name: 'Load more' }));
  expect(await within(history).findByText('Older')).toBeInTheDocument();
  expect(api.searchHistory).toHaveBeenLastCalledWith(lena.email, 'warehouse', 'next');

  await userEvent.clear(box);
  expect(await within(history).findByText('Subject 2')).toBeInTheDocument();
  expect(history.querySelector('mark')).toBeNull();
});

test('the history search says when nothing matches, and sends no search without a word', async () => {
  const api = fakeApi();
  renderPane(fakeHost(readItem(lena)), api);
  const history = await screen.findByRole('region', { name: 'History' });
  const box = screen.getByRole('searchbox', { name: 'Search the history' });
  await userEvent.type(box, '"*:');
  // Past the pause after typing, inside act: the box reports what was typed, and the pane decides not to ask.
  await act(() => new Promise((resolve) => setTimeout(resolve, 400)));
  expect(api.searchHistory).not.toHaveBeenCalled();
  expect(within(history).getByText('Subject 2')).toBeInTheDocument();
  await userEvent.type(box, 'zebra{Enter}');
  expect(await within(history).findByText('Nothing in the history matches “"*:zebra”.')).toBeInTheDocument();
});

test('Add note: validated inline, sent for the contact, then shown in the refreshed history', async () => {
  const note = entry(9, {
    kind: 'note',
    subject: 'Call with Lena',
    preview: 'She wants the spring price list.',
    body: 'She wants the spring price list.',
    internetMessageId: null,
    webLink: null
  });
  let added = false;
  const api = fakeApi({
    addNote: async () => {
      added = true;
      return note;
    },
    history: async () => ({ items: added ? [note, entry(2)] : [entry(2)], nextCursor: null })
  });
  renderPane(fakeHost(readItem(lena)), api);
  await screen.findByRole('heading', { name: 'Lena Berg' });
  await userEvent.click(screen.getByRole('button', { name: 'Add note' }));
  const dialog = await screen.findByRole('dialog', { name: 'Add a note about Lena Berg' });
  await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
  expect(within(dialog).getByText('Enter a subject.')).toBeInTheDocument();
  expect(api.addNote).not.toHaveBeenCalled();

  await userEvent.type(within(dialog).getByLabelText(/Subject/), 'Call with Lena');
  await userEvent.type(within(dialog).getByLabelText('Note'), 'She wants the spring price list.');
  await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
  await waitFor(() =>
    expect(api.addNote).toHaveBeenCalledWith({
      contactId: 'c-lena',
      subject: 'Call with Lena',
      body: 'She wants the spring price list.',
      occurredAt: expect.any(String)
    })
  );
  const sentAt = Date.parse(api.addNote.mock.calls[0]![0].occurredAt ?? '');
  expect(Math.abs(sentAt - Date.now())).toBeLessThan(60_000);
  expect(await screen.findByText('Note added.')).toBeInTheDocument();
  await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
  const history = await screen.findByRole('region', { name: 'History' });
  expect(await within(history).findByText('Call with Lena')).toBeInTheDocument();
  expect(within(history).getByText('She wants the spring price list.')).toBeInTheDocument();
  expect(within(history).getByText(/Note · with Ana López/)).toBeInTheDocument();
});

test('Add note refuses a date in the future before asking the API', async () => {
  const api = fakeApi();
  renderPane(fakeHost(readItem(lena)), api);
  await screen.findByRole('heading', { name: 'Lena Berg' });
  await userEvent.click(screen.getByRole('button', { name: 'Add note' }));
  const dialog = await screen.findByRole('dialog');
  await userEvent.type(within(dialog).getByLabelText(/Subject/), 'Planned');
  const date = within(dialog).getByLabelText('Date');
  await userEvent.clear(date);
  await userEvent.type(date, '2999-01-01');
  await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
  expect(within(dialog).getByText('Pick a date within the last ten years, not in the future.')).toBeInTheDocument();
  expect(api.addNote).not.toHaveBeenCalled();
});
