/** @jest-environment jsdom */
import '@testing-library/jest-dom';
import { act, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import type { ApiClient } from '../../src/addin/api/client.js';
import { devRolesFrom } from '../../src/addin/auth/tokens.js';
import { EMPTY_FILTERS, toTeamFilter } from '../../src/addin/taskpane/team/data.js';
import type { TeamSummary } from '../../src/shared/schemas/team.js';
import { entry, fakeApi, fakeHost, lena, me, readItem, renderPane } from './pane-fakes.js';

/* The team view in the pane: who gets it, how the form becomes the API's filter, drill-down and back. */

const summary: TeamSummary = {
  teams: [{ id: 'team-1', name: 'Nordics' }],
  salespeople: [
    { id: 's-ana', name: 'Ana López', email: me.email },
    { id: 's-mikko', name: 'Mikko Virtanen', email: 'mikko@northwind.example' }
  ],
  from: '2026-01-05T00:00:00.000Z',
  to: '2026-01-19T00:00:00.000Z',
  weeks: ['2026-01-05', '2026-01-12'],
  series: [
    { salesperson: { id: 's-ana', name: 'Ana López', email: me.email }, counts: [2, 0] },
    { salesperson: { id: 's-mikko', name: 'Mikko Virtanen', email: 'mikko@northwind.example' }, counts: [1, 3] }
  ],
  opportunitiesByStage: [
    { stage: 'qualification', count: 0, values: [] },
    { stage: 'proposal', count: 2, values: [{ currency: 'EUR', amount: 12000 }] },
    { stage: 'negotiation', count: 1, values: [] }
  ]
};

const asManager: Partial<ApiClient> = {
  me: async () => ({
    tenantId: 't',
    userId: 'u',
    email: me.email,
    name: me.name,
    roles: ['Manager'],
    salesperson: {
      id: 's-ana',
      name: me.name,
      email: me.email,
      alternateEmails: [],
      teamId: 'team-1',
      active: true,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z'
    }
  }),
  teamSummary: async () => summary,
  teamInteractions: async () => ({ items: [entry(2), entry(1)], nextCursor: null })
};

describe('toTeamFilter', () => {
  test('an empty form asks for everything', () => {
    expect(Object.values(toTeamFilter(EMPTY_FILTERS)).every((value) => value === undefined)).toBe(true);
  });

  test('dates are whole local days, in either order; a contact or a company', () => {
    const filter = toTeamFilter({
      ...EMPTY_FILTERS,
      fromDate: '2026-03-10',
      toDate: '2026-03-01',
      party: { kind: 'company', name: 'Fabrikam' },
      direction: 'inbound',
      source: 'mailbox'
    });
    expect(filter).toEqual({
      teamId: undefined,
      salespersonId: undefined,
      contactId: undefined,
      company: 'Fabrikam',
      from: new Date(2026, 2, 1).toISOString(),
      to: new Date(2026, 2, 11).toISOString(),
      direction: 'inbound',
      source: 'mailbox'
    });
    expect(toTeamFilter({ ...EMPTY_FILTERS, party: { kind: 'contact', id: 'c-1', name: 'Lena' } })).toMatchObject({
      contactId: 'c-1',
      company: undefined
    });
    expect(toTeamFilter({ ...EMPTY_FILTERS, fromDate: 'not-a-date' }).from).toBeUndefined();
  });
});

test('dev roles come only from the devRoles parameter, and only known roles', () => {
  expect(devRolesFrom('?message=x&devRoles=Manager')).toEqual(['Manager']);
  expect(devRolesFrom('?devRoles=Admin,Manager,Root')).toEqual(['Admin', 'Manager']);
  expect(devRolesFrom('?message=x')).toEqual([]);
});

test('a salesperson gets no Team button', async () => {
  const api = fakeApi();
  renderPane(fakeHost(readItem(lena)), api);
  await screen.findByRole('heading', { name: 'Lena Berg' });
  await waitFor(() => expect(api.me).toHaveBeenCalled());
  expect(screen.queryByRole('button', { name: 'Team' })).not.toBeInTheDocument();
});

test('a manager opens the team view, filters, drills into a contact and comes back to the same filters', async () => {
  const api = fakeApi(asManager);
  renderPane(fakeHost(readItem(lena)), api);
  await userEvent.click(await screen.findByRole('button', { name: 'Team' }));
  const list = await screen.findByRole('region', { name: 'Team history' });
  expect(within(list).getAllByRole('listitem')).toHaveLength(2);
  expect(api.teamInteractions).toHaveBeenLastCalledWith(toTeamFilter(EMPTY_FILTERS));

  // The chart says each week's numbers; the stages say counts and values.
  const chart = screen.getByRole('region', { name: 'Emails per week' });
  const weeks = within(chart).getAllByRole('listitem', { name: /^Week of/ });
  expect(weeks.map((week) => week.getAttribute('aria-label'))).toEqual([
    'Week of Jan 5, 2026: Ana López 2, Mikko Virtanen 1',
    'Week of Jan 12, 2026: Mikko Virtanen 3'
  ]);
  const stages = screen.getByRole('region', { name: 'Open opportunities by stage' });
  expect(within(stages).getByText('2 opportunities')).toBeInTheDocument();
  expect(within(stages).getByText('€12,000')).toBeInTheDocument();

  await userEvent.selectOptions(screen.getByLabelText('Salesperson'), 'Mikko Virtanen');
  await waitFor(() =>
    expect(api.teamInteractions).toHaveBeenLastCalledWith({ ...toTeamFilter(EMPTY_FILTERS), salespersonId: 's-mikko' })
  );
  expect(api.teamSummary).toHaveBeenLastCalledWith({ ...toTeamFilter(EMPTY_FILTERS), salespersonId: 's-mikko' });

  const rows = within(await screen.findByRole('region', { name: 'Team history' })).getAllByRole('listitem');
  await userEvent.click(within(rows[0]!).getByRole('button', { name: 'Lena Berg' }));
  expect(await screen.findByRole('button', { name: 'Back to team' })).toBeInTheDocument();
  expect(await screen.findByRole('region', { name: 'History' })).toBeInTheDocument();
  expect(api.history).toHaveBeenLastCalledWith(lena.email);

  const calls = api.teamInteractions.mock.calls.length;
  await userEvent.click(screen.getByRole('button', { name: 'Back to team' }));
  expect(await screen.findByRole('region', { name: 'Team history' })).toBeInTheDocument();
  expect(screen.getByLabelText('Salesperson')).toHaveValue('s-mikko');
  // The list is kept, not fetched again.
  expect(api.teamInteractions.mock.calls.length).toBe(calls);
});

test('the team view searches its log: the words go with the filters to the list, and clearing empties the box', async () => {
  const api = fakeApi(asManager);
  renderPane(fakeHost(readItem(lena)), api);
  await userEvent.click(await screen.findByRole('button', { name: 'Team' }));
  await screen.findByRole('region', { name: 'Team history' });
  await userEvent.selectOptions(screen.getByLabelText('Salesperson'), 'Mikko Virtanen');

  const box = screen.getByRole('searchbox', { name: 'Search the team’s history' });
  await userEvent.type(box, '  pricing review {Enter}');
  const searched = { ...toTeamFilter(EMPTY_FILTERS), salespersonId: 's-mikko', q: 'pricing review' };
  await waitFor(() => expect(api.teamInteractions).toHaveBeenLastCalledWith(searched));
  expect(api.teamSummary).toHaveBeenLastCalledWith(searched);

  await userEvent.click(screen.getByRole('button', { name: 'Clear filters' }));
  await waitFor(() => expect(api.teamInteractions).toHaveBeenLastCalledWith(toTeamFilter(EMPTY_FILTERS)));
  expect(screen.getByRole('searchbox', { name: 'Search the team’s history' })).toHaveValue('');
});

test('a change made from a contact drill-down shows in the stage totals on the way back, keeping the list', async () => {
  const api = fakeApi(asManager);
  renderPane(fakeHost(readItem(lena)), api);
  await userEvent.click(await screen.findByRole('button', { name: 'Team' }));
  const rows = within(await screen.findByRole('region', { name: 'Team history' })).getAllByRole('listitem');
  await userEvent.click(within(rows[0]!).getByRole('button', { name: 'Lena Berg' }));
  const opportunities = await screen.findByRole('region', { name: 'Open opportunities' });
  await userEvent.click(within(opportunities).getByRole('button', { name: 'Fabrikam renewal' }));
  const view = await screen.findByRole('region', { name: 'Fabrikam renewal' });
  api.teamSummary.mockResolvedValue({
    ...summary,
    opportunitiesByStage: [
      { stage: 'qualification', count: 0, values: [] },
      { stage: 'proposal', count: 0, values: [] },
      { stage: 'negotiation', count: 3, values: [{ currency: 'EUR', amount: 12000 }] }
    ]
  });
  const listCalls = api.teamInteractions.mock.calls.length;
  await userEvent.selectOptions(within(view).getByLabelText('Stage'), 'negotiation');
  await userEvent.click(within(view).getByRole('button', { name: 'Move' }));
  await within(view).findByText('Moved to Negotiation.');
  await userEvent.click(within(view).getByRole('button', { name: 'Back to the contact' }));
  await userEvent.click(await screen.findByRole('button', { name: 'Back to team' }));
  const stages = await screen.findByRole('region', { name: 'Open opportunities by stage' });
  expect(await within(stages).findByText('3 opportunities')).toBeInTheDocument();
  expect(api.teamInteractions.mock.calls.length).toBe(listCalls);
});

test('the team list shows a note as a note, an email by its direction', async () => {
  const note = entry(3, { kind: 'note', subject: 'Phone call', internetMessageId: null, webLink: null });
  const api = fakeApi({ ...asManager, teamInteractions: async () => ({ items: [note, entry(2)], nextCursor: null }) });
  renderPane(fakeHost(readItem(lena)), api);
  await userEvent.click(await screen.findByRole('button', { name: 'Team' }));
  const list = await screen.findByRole('region', { name: 'Team history' });
  const [noteRow, emailRow] = within(list).getAllByRole('listitem');
  expect(noteRow).toHaveTextContent('Phone call');
  expect(noteRow).toHaveTextContent(/· Note ·/);
  expect(emailRow).toHaveTextContent(/· Received ·/);
});

test('the team view has a way back to the message, and opening another message returns to it', async () => {
  const api = fakeApi(asManager);
  const host = fakeHost(readItem(lena));
  renderPane(host, api);
  const teamButton = await screen.findByRole('button', { name: 'Team' });
  await userEvent.click(teamButton);
  await screen.findByRole('heading', { name: 'Team activity' });

  await userEvent.click(screen.getByRole('button', { name: 'Back to the message' }));
  expect(await screen.findByRole('heading', { name: 'Lena Berg' })).toBeInTheDocument();
  expect(screen.queryByRole('heading', { name: 'Team activity' })).not.toBeInTheDocument();
  expect(teamButton).toHaveAttribute('aria-pressed', 'false');
  expect(screen.queryByRole('button', { name: 'Back to the message' })).not.toBeInTheDocument();

  // With the pane pinned, selecting another message shows that message, whatever view was open.
  await userEvent.click(teamButton);
  await screen.findByRole('heading', { name: 'Team activity' });
  const mikko = { name: 'Mikko Example', email: 'mikko@contoso.example' };
  act(() => host.select(readItem(mikko, { internetMessageId: '<other@contoso.example>', subject: 'Other' })));
  expect(await screen.findByRole('heading', { name: 'Mikko Example' })).toBeInTheDocument();
  expect(screen.queryByRole('heading', { name: 'Team activity' })).not.toBeInTheDocument();
  expect(teamButton).toHaveAttribute('aria-pressed', 'false');
});

test('date filters read and show dates in Outlook’s language, not the browser’s', async () => {
  const api = fakeApi(asManager);
  renderPane(fakeHost(readItem(lena), 'fi-FI'), api);
  await userEvent.click(await screen.findByRole('button', { name: 'Tiimi' }));
  await screen.findByRole('heading', { name: 'Tiimin toiminta' });
  const from = screen.getByLabelText('Alkaen');
  await userEvent.type(from, '1.3.2026{Enter}');
  await waitFor(() =>
    expect(api.teamInteractions).toHaveBeenLastCalledWith(
      expect.objectContaining({ from: new Date(2026, 2, 1).toISOString() })
    )
  );
  expect(from).toHaveValue('1.3.2026');
});
