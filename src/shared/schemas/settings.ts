import { Type, type Static } from 'typebox';

/* Tenant-wide settings an admin changes: who sees whose interaction history. */

export const HISTORY_VISIBILITIES = ['organization', 'team', 'own'] as const;

export const HistoryVisibility = Type.Union([Type.Literal('organization'), Type.Literal('team'), Type.Literal('own')], {
  description:
    'organization: everyone sees the whole tenant; team: a salesperson sees their own team; own: only their own. ' +
    'Managers always see the teams they manage; admins see the whole tenant.'
});
export type HistoryVisibility = (typeof HISTORY_VISIBILITIES)[number];

export const TenantSettings = Type.Object({ historyVisibility: HistoryVisibility });
export type TenantSettings = Static<typeof TenantSettings>;

export const TenantSettingsUpdate = Type.Object(
  { historyVisibility: Type.Optional(HistoryVisibility) },
  { additionalProperties: false, minProperties: 1 }
);
export type TenantSettingsUpdate = Static<typeof TenantSettingsUpdate>;
