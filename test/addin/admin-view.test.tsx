/** @jest-environment jsdom */
import '@testing-library/jest-dom';
import { act, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import type { ApiClient } from '../../src/addin/api/client.js';
import type { AdminApi } from '../../src/addin/taskpane/admin/admin-api.js';
import { check, fakeAdminApi, renderAs, report } from './admin-fakes.js';
import { fakeApi, fakeHost, lena, readItem, refusedWith, renderPane } from './pane-fakes.js';

// Setup keeps typed values in localStorage (per tenant): each test starts from the server's values.
beforeEach(() => window.localStorage.clear());

/*
 * The admin view in the pane: who gets it, guided setup with the organization's values, the live checklist
 * and its server-side fix, and copying a command.
 */

beforeEach(() => jest.clearAllMocks());

async function openAdmin() {
  await userEvent.click(await screen.findByRole('button', { name: 'Admin' }));
  await screen.findByRole('heading', { name: 'Administration' });
}

test('only admins get the Admin button; managers keep the Team button', async () => {
  const asSalesperson = renderAs([]);
  await waitFor(() => expect(asSalesperson.api.me).toHaveBeenCalled());
  await screen.findByText('No message selected');
  expect(screen.queryByRole('button', { name: 'Admin' })).toBeNull();
  asSalesperson.unmount();

  const asManager = renderAs(['Manager']);
  await screen.findByRole('button', { name: 'Team' });
  expect(screen.queryByRole('button', { name: 'Admin' })).toBeNull();
  asManager.unmount();

  const adminApi = fakeAdminApi();
  renderAs(['Admin'], adminApi);
  const button = await screen.findByRole('button', { name: 'Admin' });
  expect(button).toHaveAttribute('aria-pressed', 'false');
  expect(adminApi.setupDefaults).not.toHaveBeenCalled();
  await userEvent.click(button);
  await screen.findByRole('heading', { name: 'Administration' });
  expect(button).toHaveAttribute('aria-pressed', 'true');
  expect(screen.getByRole('tab', { name: 'Setup' })).toHaveAttribute('aria-selected', 'true');
  await userEvent.click(button);
  expect(await screen.findByText('No message selected')).toBeInTheDocument();
});

test('the steps carry the organization’s values, quoted for PowerShell, and refuse a bad one at its field', async () => {
  renderAs(['Admin']);
  await openAdmin();
  const address = await screen.findByLabelText('Shared mailbox address');
  expect(address).toHaveValue('log@northwind.example');
  const step1 = screen.getByRole('article', { name: 'Step 1: Create the shared mailbox' });
  expect(within(step1).getByText(/New-Mailbox -Shared/).textContent).toContain(
    "-PrimarySmtpAddress 'log@northwind.example'"
  );

  await userEvent.clear(address);
  await userEvent.type(address, "o'brien@northwind.example");
  expect(within(step1).getByText(/New-Mailbox -Shared/).textContent).toContain(
    "-PrimarySmtpAddress 'o''brien@northwind.example'"
  );
  const step4 = screen.getByRole('article', { name: 'Step 4: Add the two mail-flow rules' });
  expect(
    within(step4)
      .getAllByText(/New-TransportRule/)
      .map((node) => node.textContent)
  ).toEqual([
    expect.stringContaining(
      "-FromScope NotInOrganization -SentToScope InOrganization -BlindCopyTo 'o''brien@northwind.example'"
    ),
    expect.stringContaining(
      "-FromScope InOrganization -SentToScope NotInOrganization -BlindCopyTo 'o''brien@northwind.example'"
    )
  ]);
  expect(within(step4).getByText(/leave mail in the Inbox/)).toBeInTheDocument();

  await userEvent.clear(address);
  await userEvent.type(address, 'not an address');
  expect(address).toHaveAccessibleDescription(/must be an email address/);
  expect(within(step1).getByText(/New-Mailbox -Shared/).textContent).toContain(
    "-PrimarySmtpAddress '<shared mailbox address>'"
  );
  expect(within(step1).getByText(/Fill in above: Shared mailbox address/)).toBeInTheDocument();
  // The notes from the reference model, in our words.
  const notes = screen.getByRole('heading', { name: 'Good to know' }).parentElement!;
  expect(within(notes).getByText(/Only the shared mailbox’s Inbox is processed/)).toBeInTheDocument();
  expect(within(notes).getByText(/Junk Email folder is ignored/)).toBeInTheDocument();
  expect(within(notes).getByText(/can take hours/)).toBeInTheDocument();
});

test('validation: the checklist words each status, the folders fix creates them and validates again', async () => {
  const adminApi = fakeAdminApi();
  adminApi.validate
    .mockResolvedValueOnce(
      report([
        check('token', 'pass'),
        check('folders', 'fail', {
          detail: 'The Archive folder is missing.',
          fix: { kind: 'action', action: 'create-folders', method: 'POST', path: '/api/v1/admin/mailbox/folders' }
        } as never),
        check('recent-mail', 'warning', {
          fix: { kind: 'text', code: 'check-mail-flow-rules', step: 4, text: 'Check the rules.' }
        } as never)
      ])
    )
    .mockResolvedValueOnce(report([check('token', 'pass'), check('folders', 'pass'), check('recent-mail', 'pass')]));
  renderAs(['Admin'], adminApi);
  await openAdmin();
  const step2 = await screen.findByRole('article', { name: /^Step 2:/ });
  expect(within(step2).getByText('Not checked')).toBeInTheDocument();

  await userEvent.click(screen.getByRole('button', { name: 'Validate configuration' }));
  const list = await screen.findByRole('list', { name: 'Validate configuration' });
  const folders = within(list).getByText('The Archive, Not logged and quarantine folders exist').closest('li')!;
  expect(within(folders).getByText('Failed')).toBeInTheDocument();
  expect(within(folders).getByText('The Archive folder is missing.')).toBeInTheDocument();
  const recent = within(list).getByText('Mail has arrived recently').closest('li')!;
  expect(within(recent).getByText('Warning')).toBeInTheDocument();
  expect(within(recent).getByText(/Check the two mail-flow rules \(step 4\)/)).toBeInTheDocument();
  expect(within(step2).getByText('Failed')).toBeInTheDocument();
  expect(within(screen.getByRole('article', { name: /^Step 3:/ })).getByText('Checked by hand')).toBeInTheDocument();

  await userEvent.click(within(folders).getByRole('button', { name: 'Create the folders' }));
  await waitFor(() => expect(adminApi.validate).toHaveBeenCalledTimes(2));
  expect(adminApi.runAction).toHaveBeenCalledWith('create-folders');
  await waitFor(() => expect(within(step2).getByText('Passed')).toBeInTheDocument());
  const passed = within(screen.getByRole('list', { name: 'Validate configuration' })).getAllByText('Passed');
  expect(passed).toHaveLength(3);
  expect(screen.queryByRole('button', { name: 'Create the folders' })).toBeNull();
});

test('a failed fix is reported and nothing is validated again', async () => {
  const adminApi = fakeAdminApi({
    validate: async () =>
      report([
        check('folders', 'fail', {
          fix: { kind: 'action', action: 'create-folders', method: 'POST', path: '/api/v1/admin/mailbox/folders' }
        } as never)
      ]),
    runAction: async () => {
      throw refusedWith(
        409,
        'conflict',
        'Microsoft Graph refused to create the folders in logged@contoso.example (403 ErrorAccessDenied).'
      );
    }
  });
  renderAs(['Admin'], adminApi);
  await openAdmin();
  await userEvent.click(await screen.findByRole('button', { name: 'Validate configuration' }));
  await userEvent.click(await screen.findByRole('button', { name: 'Create the folders' }));
  expect(await screen.findByRole('alert')).toHaveTextContent(
    'The fix could not be carried out. Run Validate configuration to see which setup step to fix.'
  );
  expect(adminApi.validate).toHaveBeenCalledTimes(1);
});

describe('copying a command', () => {
  const original = { clipboard: navigator.clipboard, execCommand: document.execCommand };
  afterEach(() => {
    Object.defineProperty(navigator, 'clipboard', { value: original.clipboard, configurable: true });
    document.execCommand = original.execCommand;
  });

  test('through the Clipboard API, announced', async () => {
    const writeText = jest.fn(async () => undefined);
    renderAs(['Admin']);
    await openAdmin();
    // user-event installs its own clipboard on setup; ours replaces it afterwards.
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const step1 = await screen.findByRole('article', { name: /^Step 1:/ });
    await act(async () => within(step1).getByRole('button', { name: 'Copy command 2 of step 1' }).click());
    expect(writeText).toHaveBeenCalledWith(expect.stringMatching(/^New-Mailbox -Shared .*'log@northwind\.example'$/));
    expect(await within(step1).findByText('Copied to the clipboard.')).toHaveAttribute('role', 'status');
  });

  test('falls back to the copy command when the Clipboard API is refused', async () => {
    renderAs(['Admin']);
    await openAdmin();
    Object.defineProperty(navigator, 'clipboard', {
      value: { writeText: jest.fn(async () => Promise.reject(new Error('NotAllowedError'))) },
      configurable: true
    });
    let copied = '';
    document.execCommand = jest.fn(() => {
      copied = (document.activeElement as HTMLTextAreaElement).value ?? '';
      return true;
    });
    const step1 = await screen.findByRole('article', { name: /^Step 1:/ });
    await act(async () => within(step1).getByRole('button', { name: 'Copy command 1 of step 1' }).click());
    expect(await within(step1).findByText('Copied to the clipboard.')).toBeInTheDocument();
    expect(document.execCommand).toHaveBeenCalledWith('copy');
    expect(copied).toBe('Connect-ExchangeOnline');
    expect(document.querySelector('textarea[readonly]')).toBeNull();
  });
});

test('the admin view has a way back to the message, and opening another message returns to it', async () => {
  const adminApi = fakeAdminApi();
  const base = fakeApi();
  const api = fakeApi({ me: async () => ({ ...(await base.me()), roles: ['Admin'] }) } as Partial<ApiClient>);
  const host = fakeHost(readItem(lena));
  renderPane(host, api, 'en-US', adminApi as unknown as AdminApi);
  await userEvent.click(await screen.findByRole('button', { name: 'Admin' }));
  await screen.findByRole('heading', { name: 'Administration' });
  await userEvent.click(screen.getByRole('button', { name: 'Back to the message' }));
  expect(await screen.findByRole('heading', { name: 'Lena Berg' })).toBeInTheDocument();

  await userEvent.click(screen.getByRole('button', { name: 'Admin' }));
  await screen.findByRole('heading', { name: 'Administration' });
  act(() => host.select(null));
  expect(await screen.findByRole('heading', { name: 'No message selected' })).toBeInTheDocument();
  expect(screen.queryByRole('heading', { name: 'Administration' })).not.toBeInTheDocument();
});
