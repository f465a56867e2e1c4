import type { MailboxSettings, MailboxSettingsUpdate } from '../../shared/schemas/mailbox.js';
import { InvalidRequestError } from '../errors.js';

/** Automatic logging is switched on only with a shared mailbox to read: the one named now, or the one kept. */
export function assertMailboxSettingsComplete(current: MailboxSettings, update: MailboxSettingsUpdate): void {
  if (update.enabled !== true) return;
  const address = update.mailboxAddress === undefined ? current.mailboxAddress : update.mailboxAddress;
  if (address) return;
  throw new InvalidRequestError('Set the shared mailbox address before switching automatic logging on.', [
    { location: 'body', pointer: '/mailboxAddress', detail: 'is required to enable automatic logging' }
  ]);
}
