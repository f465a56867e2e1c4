/** @jest-environment jsdom */
import '@testing-library/jest-dom';
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { ApiError } from '../../src/addin/api/client.js';
import type * as ThreadModule from '../../src/addin/taskpane/thread.js';
import type { Opportunity } from '../../src/shared/schemas/opportunity.js';
import { entry, fakeApi, fakeHost, lena, opportunity, readItem, renderPane } from './pane-fakes.js';

/* An opportunity acted on from the pane: opened, moved, won or lost, edited, and what a refusal says. */

jest.mock('../../src/addin/taskpane/thread.js', () => ({
  readOpenThread: jest.fn(),
  logMessages: jest.fn()
}));
const thread = jest.requireMock('../../src/addin/taskpane/thread.js') as jest.Mocked<typeof ThreadModule>;

beforeEach(() => jest.clearAllMocks());

const oldDeal: Opportunity = {
  ...opportunity,
  id: 'o-old',
  description: 'Old deal',
  status: 'won',
  probability: 100,
  closedAt: '2026-02-01T00:00:00.000Z',
  closeReason: 'Best offer'
};

/** Replaces a field's text in one input event (typing each key is slow in jsdom). */
async function fill(field: HTMLElement, text: string) {
  await userEvent.clear(field);
  field.focus();
  await userEvent.paste(text);
}

async function openFromList(displayLanguage = 'en-US') {
  const api = fakeApi();
  renderPane(fakeHost(readItem(lena), displayLanguage), api);
  const list = await screen.findByRole('region', { name: /Open opportunities|Avoimet mahdollisuudet/ });
  await userEvent.click(within(list).getByRole('button', { name: 'Fabrikam renewal' }));
  const view = await screen.findByRole('region', { name: 'Fabrikam renewal' });
  return { api, view };
}

test('opened from the open opportunities: details, linked emails, history; Back returns to the message', async () => {
  const { api, view } = await openFromList();
  expect(api.opportunity).toHaveBeenCalledWith('o-1');
  expect(api.opportunityEntries).toHaveBeenCalledWith('o-1');
  expect(within(view).getByText('€12,000')).toBeInTheDocument();
  expect(within(view).getByText('50 %')).toBeInTheDocument();
  expect(within(view).getByText('Mar 31, 2027')).toBeInTheDocument();
  const emails = within(view).getByRole('region', { name: 'Linked emails' });
  expect(within(emails).getByText('Subject 2')).toBeInTheDocument();
  const history = within(view).getByRole('region', { name: 'Stage history' });
  expect(within(history).getByText('Created in Proposal')).toBeInTheDocument();
  expect(within(history).getByText('Mar 1, 2026 · Ana López')).toBeInTheDocument();

  await userEvent.click(within(view).getByRole('button', { name: 'Back to the message' }));
  expect(await screen.findByRole('heading', { name: 'Lena Berg' })).toBeInTheDocument();
});

test('each history entry names its opportunity, closed ones too, and opens it', async () => {
  const api = fakeApi({
    history: async () => ({
      items: [entry(3, { opportunityId: 'o-1' }), entry(2, { opportunityId: 'o-old' }), entry(1)],
      nextCursor: null
    }),
    opportunity: async (id) => (id === 'o-old' ? oldDeal : opportunity)
  });
  renderPane(fakeHost(readItem(lena)), api);
  const history = await screen.findByRole('region', { name: 'History' });
  expect(within(history).getByRole('button', { name: 'Fabrikam renewal' })).toHaveAttribute(
    'title',
    'Open opportunity “Fabrikam renewal”'
  );
  const closed = await within(history).findByRole('button', { name: 'Old deal' });
  // The open one was already known: only the closed one was asked for.
  expect(api.opportunity.mock.calls).toEqual([['o-old']]);
  expect(within(history).getAllByRole('button', { name: /Fabrikam renewal|Old deal/ })).toHaveLength(2);

  await userEvent.click(closed);
  const view = await screen.findByRole('region', { name: 'Old deal' });
  expect(within(view).getByText('Won')).toBeInTheDocument();
  expect(within(view).getByText('Best offer')).toBeInTheDocument();
  expect(within(view).queryByRole('button', { name: 'Mark won' })).not.toBeInTheDocument();
  expect(within(view).getByRole('button', { name: 'Reopen' })).toBeInTheDocument();
});

test('moving the stage saves on Move and refreshes the pane’s lists', async () => {
  const { api, view } = await openFromList();
  const listCalls = api.openOpportunities.mock.calls.length;
  api.updateOpportunity.mockResolvedValueOnce({ ...opportunity, stage: 'negotiation', probability: 75 });
  api.opportunity.mockResolvedValue({ ...opportunity, stage: 'negotiation', probability: 75 });
  expect(within(view).getByRole('button', { name: 'Move' })).toBeDisabled();
  await userEvent.selectOptions(within(view).getByLabelText('Stage'), 'negotiation');
  // Picking is not saving: a keyboard user passes stages on the way to the one they mean.
  expect(api.updateOpportunity).not.toHaveBeenCalled();
  await userEvent.click(within(view).getByRole('button', { name: 'Move' }));
  await waitFor(() => expect(api.updateOpportunity).toHaveBeenCalledWith('o-1', { stage: 'negotiation' }));
  expect(api.updateOpportunity).toHaveBeenCalledTimes(1);
  expect(await within(view).findByText('Moved to Negotiation.')).toBeInTheDocument();
  expect(await within(view).findByText('75 %')).toBeInTheDocument();
  await waitFor(() => expect(api.openOpportunities.mock.calls.length).toBeGreaterThan(listCalls));
});

test('marking it lost needs a reason; won takes one if given', async () => {
  const { api, view } = await openFromList();
  await userEvent.click(within(view).getByRole('button', { name: 'Mark lost' }));
  let dialog = await screen.findByRole('dialog', { name: 'Mark “Fabrikam renewal” lost' });
  await userEvent.click(within(dialog).getByRole('button', { name: 'Mark lost' }));
  expect(within(dialog).getByText('Say why the opportunity was lost.')).toBeInTheDocument();
  expect(api.updateOpportunity).not.toHaveBeenCalled();
  await userEvent.type(within(dialog).getByLabelText(/Reason/), ' Budget cut ');
  await userEvent.click(within(dialog).getByRole('button', { name: 'Mark lost' }));
  await waitFor(() =>
    expect(api.updateOpportunity).toHaveBeenCalledWith('o-1', { status: 'lost', closeReason: 'Budget cut' })
  );
  expect(await within(view).findByText('Marked lost.')).toBeInTheDocument();
  await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());

  await userEvent.click(await within(view).findByRole('button', { name: 'Mark won' }));
  dialog = await screen.findByRole('dialog', { name: 'Mark “Fabrikam renewal” won' });
  expect(within(dialog).getByLabelText('Reason (optional)')).toBeInTheDocument();
  await userEvent.click(within(dialog).getByRole('button', { name: 'Mark won' }));
  await waitFor(() =>
    expect(api.updateOpportunity).toHaveBeenLastCalledWith('o-1', { status: 'won', closeReason: null })
  );
});

test('a refused change says who may make it, in the pane’s language', async () => {
  const { api, view } = await openFromList();
  api.updateOpportunity.mockRejectedValue(
    new ApiError(403, null, "Only the opportunity's owner, their manager or an admin can change it.")
  );
  await userEvent.selectOptions(within(view).getByLabelText('Stage'), 'qualification');
  await userEvent.click(within(view).getByRole('button', { name: 'Move' }));
  expect(await within(view).findByRole('alert')).toHaveTextContent(
    'Only the opportunity’s owner, their manager or an admin can change it.'
  );
});

test('editing in Finnish: amounts as Finns write them, the same checks as creating, a currency from the list', async () => {
  const { api, view } = await openFromList('fi-FI');
  await userEvent.click(within(view).getByRole('button', { name: 'Muokkaa' }));
  const dialog = await screen.findByRole('dialog', { name: 'Muokkaa mahdollisuutta' });
  const value = within(dialog).getByLabelText('Arvioitu arvo');
  expect(value).toHaveValue('12000');

  await fill(value, '12,5,0');
  const probability = within(dialog).getByLabelText('Todennäköisyys');
  await fill(probability, '150');
  const date = within(dialog).getByLabelText('Arvioitu päättymispäivä');
  await fill(date, '1999-12-31');
  await userEvent.click(within(dialog).getByRole('button', { name: 'Tallenna' }));
  expect(within(dialog).getByText('Anna summa, joka on vähintään 0, esimerkiksi 1234,5.')).toBeInTheDocument();
  expect(within(dialog).getByText('Anna kokonaisluku väliltä 0–100.')).toBeInTheDocument();
  expect(within(dialog).getByText(/^Valitse päivämäärä väliltä 1\.1\.2000–31\.12\.2100\.$/)).toBeInTheDocument();
  expect(api.updateOpportunity).not.toHaveBeenCalled();

  await fill(value, '1\u00A0234,50');
  await fill(probability, '60');
  await fill(date, '2027-06-30');
  await userEvent.click(within(dialog).getByRole('combobox', { name: 'Valuutta' }));
  await userEvent.click(await screen.findByRole('option', { name: /^SEK · Ruotsin kruunu$/i }));
  await userEvent.click(within(dialog).getByRole('button', { name: 'Tallenna' }));
  await waitFor(() =>
    expect(api.updateOpportunity).toHaveBeenCalledWith('o-1', {
      description: 'Fabrikam renewal',
      estimatedValue: 1234.5,
      currency: 'SEK',
      probability: 60,
      expectedCloseDate: '2027-06-30'
    })
  );
  expect(await within(view).findByText('Muutokset tallennettu.')).toBeInTheDocument();
});

test('a field the API refuses is marked in the user’s words', async () => {
  const { api, view } = await openFromList();
  api.updateOpportunity.mockRejectedValue(
    new ApiError(
      400,
      {
        type: 'about:blank',
        title: 'Bad Request',
        status: 400,
        detail: 'The body is not valid: /expectedCloseDate must be <= "2100-12-31".',
        errors: [{ pointer: '#/expectedCloseDate', location: 'body', detail: 'must be <= "2100-12-31"' }]
      },
      'The body is not valid.'
    )
  );
  await userEvent.click(within(view).getByRole('button', { name: 'Edit' }));
  const dialog = await screen.findByRole('dialog', { name: 'Edit opportunity' });
  await userEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
  expect(await within(dialog).findByText('Pick a date between Jan 1, 2000 and Dec 31, 2100.')).toBeInTheDocument();
  expect(within(dialog).getByText('The change could not be saved. Check the fields marked.')).toBeInTheDocument();
});

test('creating in Swedish reads "1 234,50" with narrow no-break spaces as 1234.5', async () => {
  thread.readOpenThread.mockResolvedValue([]);
  const api = fakeApi({ openOpportunities: async () => ({ items: [], nextCursor: null }) });
  renderPane(fakeHost(readItem(lena), 'sv-SE'), api);
  await screen.findByRole('heading', { name: 'Lena Berg' });
  await userEvent.click(screen.getByRole('button', { name: /Skapa affärsmöjlighet/ }));
  const dialog = await screen.findByRole('dialog');
  await fill(within(dialog).getByLabelText('Uppskattat värde'), '1\u202F234,50');
  await userEvent.click(within(dialog).getByRole('button', { name: 'Skapa' }));
  await waitFor(() =>
    expect(api.createOpportunity).toHaveBeenCalledWith(expect.objectContaining({ estimatedValue: 1234.5 }))
  );
});
