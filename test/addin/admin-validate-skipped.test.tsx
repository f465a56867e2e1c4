/** @jest-environment jsdom */
import '@testing-library/jest-dom';
import { screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { createTranslator } from '../../src/addin/i18n/catalogues.js';
import { check, fakeAdminApi, renderAs, report } from './admin-fakes.js';

/*
 * Issue 19, defect 7: Validate words a check that was skipped as skipped, naming the check it needs, shows
 * each distinct fix once, and dates its report the way the rest of the pane does.
 */

test('skipped checks say what they need; one fix shown once; the time in the pane’s format', async () => {
  const fix = {
    kind: 'text',
    code: 'set-app-credentials',
    step: 5,
    text: 'Set MAILBOX_CLIENT_ID and MAILBOX_CLIENT_SECRET.'
  } as const;
  const adminApi = fakeAdminApi();
  adminApi.validate.mockResolvedValueOnce(
    report([
      check('token', 'fail', { detail: 'The server has no app credentials.', fix } as never),
      ...(['mailbox', 'inbox', 'folders', 'recent-mail', 'archive-limits'] as const).map((id) =>
        check(id, 'fail', {
          detail: 'Skipped because the server has no app credentials.',
          fix,
          facts: { needs: 'token' }
        } as never)
      ),
      check('directory', 'pass')
    ])
  );
  renderAs(['Admin'], adminApi);
  await userEvent.click(await screen.findByRole('button', { name: 'Admin' }));
  await userEvent.click(await screen.findByRole('button', { name: 'Validate configuration' }));
  const list = await screen.findByRole('list', { name: 'Validate configuration' });

  const token = within(list).getByText('The app can get a token').closest('li')!;
  expect(within(token).getByText('Failed')).toBeInTheDocument();
  const inbox = within(list).getByText('Its Inbox can be read').closest('li')!;
  expect(within(inbox).queryByText('Failed')).not.toBeInTheDocument();
  expect(within(inbox).getByText('Skipped')).toBeInTheDocument();
  expect(within(inbox).getByText('Skipped — needs “The app can get a token”')).toBeInTheDocument();
  expect(within(list).getAllByText('Failed')).toHaveLength(1);
  expect(within(list).getAllByText('Skipped')).toHaveLength(5);
  // The same fix, once: at the check that failed.
  expect(within(list).getAllByText(/automatic logging app’s credentials/)).toHaveLength(1);

  const i18n = createTranslator('en-US');
  expect(screen.getByText(`Checked ${i18n.dateTime('2026-03-03T10:00:00.000Z')}`)).toBeInTheDocument();
});
