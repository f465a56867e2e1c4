import type { MailboxSettings, MailboxSettingsUpdate } from '../../shared/schemas/mailbox.js';
import type { TenantSettings, TenantSettingsUpdate } from '../../shared/schemas/settings.js';
import { actorOf } from '../auth/authenticate.js';
import type { Principal } from '../domain/principal.js';
import { assertMailboxSettingsComplete } from '../domain/settings.js';
import type { Store } from '../store/index.js';

/* An admin's changes to the tenant's settings, audited under their name. */

export const updateTenantSettings = (
  store: Store,
  principal: Principal,
  update: TenantSettingsUpdate
): Promise<TenantSettings> => store.settings.update(principal.tenantId, update, actorOf(principal));

/** Automatic logging's settings: only the fields sent change, and it is not switched on without a mailbox. */
export async function updateMailboxSettings(
  store: Store,
  principal: Principal,
  update: MailboxSettingsUpdate
): Promise<MailboxSettings> {
  assertMailboxSettingsComplete(await store.mailbox.getSettings(principal.tenantId), update);
  return store.mailbox.saveSettings(
    principal.tenantId,
    update,
    principal.email || principal.userId,
    actorOf(principal)
  );
}
