/** @jest-environment jsdom */
import '@testing-library/jest-dom';
import { screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { fakeAdminApi, mailboxSettings, renderAs } from './admin-fakes.js';

/* Issue 19, defect 7: the values typed into Setup are still there when the pane is opened again. */

beforeEach(() => window.localStorage.clear());

async function openSetup() {
  await userEvent.click(await screen.findByRole('button', { name: 'Admin' }));
  await screen.findByRole('heading', { name: 'Administration' });
  return screen.findByLabelText('Shared mailbox display name');
}

test('typed setup values survive a reload; values the admin did not type follow the server', async () => {
  const first = renderAs(['Admin'], fakeAdminApi());
  const displayName = await openSetup();
  await userEvent.type(displayName, 'Sales log');
  first.unmount();

  renderAs(['Admin'], fakeAdminApi());
  expect(await openSetup()).toHaveValue('Sales log');
  // Not typed: still the server's value.
  expect(screen.getByLabelText(/^Shared mailbox address/)).toHaveValue(mailboxSettings.mailboxAddress);
});
