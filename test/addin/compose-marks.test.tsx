/** @jest-environment jsdom */
import '@testing-library/jest-dom';
import { screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { fakeApi, fakeHost, lena, me, opportunity, readItem, renderPane } from './pane-fakes.js';

/*
 * Compose (issue 21): the pane offers "Private — never log" and "Link to opportunity …" (the recipients' open
 * opportunities), stamped on the message through the host's compose marks; an Outlook before Mailbox 1.8 is told
 * plainly that it cannot.
 */

const composing = () =>
  readItem(lena, { mode: 'compose', from: null, to: [lena], internetMessageId: null, ewsId: null });

test('marking private and linking an opportunity stamp the message; private rules out the link', async () => {
  const host = fakeHost(composing());
  const api = fakeApi();
  renderPane(host, api);
  const link = await screen.findByRole('combobox', { name: 'Link to opportunity …' });
  await screen.findByRole('option', { name: 'Fabrikam renewal (Lena Berg)' });
  expect(api.openOpportunities).toHaveBeenCalledWith(lena.email);
  await userEvent.selectOptions(link, opportunity.id);
  await waitFor(() => expect(host.marks).toEqual({ private: false, opportunityId: opportunity.id }));
  await userEvent.click(screen.getByRole('checkbox', { name: 'Private — never log' }));
  await waitFor(() => expect(host.marks).toEqual({ private: true, opportunityId: opportunity.id }));
  expect(link).toBeDisabled();
  // The recipients' history is still there, as in reading mode.
  expect(await screen.findByRole('region', { name: 'History' })).toBeInTheDocument();
});

test('an Outlook before Mailbox 1.8 says it cannot mark the message, and offers no choices', async () => {
  renderPane(fakeHost(composing(), 'en-US', { marksSupported: false }), fakeApi());
  expect(await screen.findByText(/This version of Outlook cannot mark a message as private/)).toBeInTheDocument();
  expect(screen.queryByRole('checkbox', { name: 'Private — never log' })).not.toBeInTheDocument();
});

test('the marks appear only while writing', async () => {
  renderPane(fakeHost(readItem(lena, { to: [me] })), fakeApi());
  expect(await screen.findByRole('region', { name: 'History' })).toBeInTheDocument();
  expect(screen.queryByRole('checkbox', { name: 'Private — never log' })).not.toBeInTheDocument();
});
