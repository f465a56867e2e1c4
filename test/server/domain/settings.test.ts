import { assertMailboxSettingsComplete } from '../../../src/server/domain/settings.js';
import { InvalidRequestError } from '../../../src/server/errors.js';
import { DEFAULT_MAILBOX_SETTINGS } from '../../../src/server/store/index.js';

const saved = (mailboxAddress: string | null) => ({ ...DEFAULT_MAILBOX_SETTINGS, mailboxAddress });

describe('automatic logging is switched on only with a mailbox to read', () => {
  test('switching on needs an address: the one sent, or the one kept', () => {
    expect(() =>
      assertMailboxSettingsComplete(saved(null), { enabled: true, mailboxAddress: 'log@contoso.example' })
    ).not.toThrow();
    expect(() => assertMailboxSettingsComplete(saved('log@contoso.example'), { enabled: true })).not.toThrow();
    expect(() => assertMailboxSettingsComplete(saved(null), { enabled: true })).toThrow(InvalidRequestError);
    expect(() =>
      assertMailboxSettingsComplete(saved('log@contoso.example'), { enabled: true, mailboxAddress: null })
    ).toThrow(expect.objectContaining({ errors: [expect.objectContaining({ pointer: '/mailboxAddress' })] }));
  });

  test('anything else is saved as sent', () => {
    expect(() => assertMailboxSettingsComplete(saved(null), { enabled: false })).not.toThrow();
    expect(() => assertMailboxSettingsComplete(saved(null), { archiveFolder: 'Logged' })).not.toThrow();
  });
});
