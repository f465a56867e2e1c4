import { Type, type Static } from 'typebox';
import { IsoDateTime, Page } from './common.js';

/* The audit log: who logged, created or changed what, and when. Read by admins. */

export const AuditEntry = Type.Object({
  id: Type.String(),
  at: IsoDateTime,
  actor: Type.Object({ id: Type.String(), name: Type.String() }),
  action: Type.String({ description: 'e.g. interaction.logged, opportunity.updated, settings.updated' }),
  entityType: Type.String(),
  entityId: Type.String(),
  changes: Type.Record(Type.String(), Type.Unknown(), { description: 'What changed; never secrets' })
});
export type AuditEntry = Static<typeof AuditEntry>;

export const AuditPage = Page(AuditEntry);
export type AuditPage = Static<typeof AuditPage>;
