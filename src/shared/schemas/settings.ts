import { Type, type Static } from 'typebox';
import { Changes } from './common.js';

/* Tenant-wide settings an admin changes: who sees whose interaction history. */

export const HISTORY_VISIBILITIES = ['organization', 'team', 'own'] as const;

export const HistoryVisibility = Type.Union([Type.Literal('organization'), Type.Literal('team'), Type.Literal('own')], {
  description:
    'organization: everyone sees the whole tenant; team: a salesperson sees their own team; own: only their own. ' +
    'Managers always see the teams they manage; admins see the whole tenant.'
});
export type HistoryVisibility = (typeof HISTORY_VISIBILITIES)[number];

const SendPrompt = Type.Boolean({
  description:
    "At Send, ask whether to link a message to its recipient's open opportunity (Outlook Smart Alerts, prompt user). Off by default."
});

export const TenantSettings = Type.Object({ historyVisibility: HistoryVisibility, sendPrompt: SendPrompt });
export type TenantSettings = Static<typeof TenantSettings>;

export const TenantSettingsUpdate = Changes(TenantSettings.properties);
export type TenantSettingsUpdate = Static<typeof TenantSettingsUpdate>;
