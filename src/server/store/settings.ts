import type { Kysely } from 'kysely';
import {
  HISTORY_VISIBILITIES,
  type HistoryVisibility,
  type TenantSettings,
  type TenantSettingsUpdate
} from '../../shared/schemas/settings.js';
import { writeAudit, type Actor } from './audit.js';
import type { DirectoryStore } from './directory.js';
import type { Database } from './schema.js';
import { inTransaction } from './unit-of-work.js';

/** Tenant-wide settings, kept on the tenant's row; a tenant without a row has the defaults. */
export const DEFAULT_TENANT_SETTINGS: TenantSettings = { historyVisibility: 'organization', sendPrompt: false };

const asVisibility = (value: string | undefined): HistoryVisibility =>
  (HISTORY_VISIBILITIES as readonly string[]).includes(value ?? '')
    ? (value as HistoryVisibility)
    : DEFAULT_TENANT_SETTINGS.historyVisibility;

export class TenantSettingsStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly directory: DirectoryStore
  ) {}

  async get(tenantId: string): Promise<TenantSettings> {
    const row = await this.db
      .selectFrom('tenants')
      .select(['history_visibility', 'send_prompt'])
      .where('id', '=', tenantId)
      .executeTakeFirst();
    return {
      historyVisibility: asVisibility(row?.history_visibility),
      sendPrompt: Number(row?.send_prompt ?? 0) === 1
    };
  }

  /** Applies the change and records it in the audit log, together. */
  async update(tenantId: string, patch: TenantSettingsUpdate, actor: Actor | null): Promise<TenantSettings> {
    await this.directory.ensureTenant(tenantId);
    await inTransaction(this.db, async (trx) => {
      const current = await trx
        .selectFrom('tenants')
        .select(['history_visibility', 'send_prompt'])
        .where('id', '=', tenantId)
        .executeTakeFirstOrThrow();
      const changes: Record<string, { from: unknown; to: unknown }> = {};
      if (patch.historyVisibility !== undefined) {
        changes.historyVisibility = { from: asVisibility(current.history_visibility), to: patch.historyVisibility };
      }
      if (patch.sendPrompt !== undefined) {
        changes.sendPrompt = { from: Number(current.send_prompt) === 1, to: patch.sendPrompt };
      }
      if (Object.keys(changes).length === 0) return;
      await trx
        .updateTable('tenants')
        .set({
          ...(patch.historyVisibility !== undefined ? { history_visibility: patch.historyVisibility } : {}),
          ...(patch.sendPrompt !== undefined ? { send_prompt: patch.sendPrompt ? 1 : 0 } : {})
        })
        .where('id', '=', tenantId)
        .execute();
      await writeAudit(trx, tenantId, actor, [
        { action: 'settings.updated', entityType: 'tenant-settings', entityId: tenantId, changes }
      ]);
    });
    return this.get(tenantId);
  }
}
