import type { TenantSettings } from '../../shared/schemas/settings.js';
import { ForbiddenError } from '../errors.js';
import { hasRole, type Principal } from './principal.js';

/*
 * Who sees whose history, and who may change an opportunity, over data already loaded (usecases/access.ts
 * loads it). The store applies the scope in its queries; these rules only decide it:
 * - admins see their whole tenant;
 * - with the tenant's setting 'organization' (the default) everyone does;
 * - with 'team' a salesperson sees the members of their own team and of the teams they manage;
 * - with 'own' a salesperson sees their own entries and those of the teams they manage.
 * "The teams they manage" are the teams whose manager the admin set to this person's salesperson record:
 * managers always see their teams, whatever the setting. Opportunities follow the same rules (an
 * opportunity belongs to its owner as an entry belongs to its salesperson).
 */

/** Whose interaction history a query may return; every store read of entries and opportunities applies it. */
export type VisibilityScope = { kind: 'tenant' } | { kind: 'salespeople'; salespersonIds: readonly string[] };

/** The whole tenant: admins, the organization setting, and system work such as the demo seed. */
export const WHOLE_TENANT: VisibilityScope = { kind: 'tenant' };

export type HistoryVisibility = TenantSettings['historyVisibility'];

/** Admins see and change everything in their tenant, whatever its settings and teams. */
export const seesWholeTenant = (principal: Principal): boolean => hasRole(principal, 'Admin');

/**
 * Which teams' members a salesperson sees besides themselves under the tenant's setting: null when the setting
 * shows everyone the whole tenant; else the teams they manage, and with 'team' their own team as well.
 */
export function teamsInView(visibility: HistoryVisibility): { ownTeam: boolean } | null {
  return visibility === 'organization' ? null : { ownTeam: visibility === 'team' };
}

/** A salesperson's scope: themselves and the team mates in view. */
export function salespeopleScope(ownId: string, mateIds: readonly string[]): VisibilityScope {
  // Sorted, so equal scopes serialize alike (the history cache keys on them).
  return { kind: 'salespeople', salespersonIds: [...new Set([ownId, ...mateIds])].sort() };
}

/**
 * Only the owner, a manager of a team the owner is in, or an admin changes an opportunity (admins pass before
 * anything of theirs is loaded: seesWholeTenant). Others who can see it (same organization) get a 403 that says
 * who may.
 */
export function assertMayChangeOwnedBy(
  ownerId: string,
  caller: { salespersonId: string; managedIds: readonly string[] }
): void {
  if (ownerId === caller.salespersonId || caller.managedIds.includes(ownerId)) return;
  throw new ForbiddenError("Only the opportunity's owner, their manager or an admin can change it.");
}

/** A contact is corrected by whoever added it, or by an admin; anyone else gets a 403 that says who may. */
export function assertMayChangeContact(principal: Principal, addedBy: string | null): void {
  if (hasRole(principal, 'Admin') || addedBy === principal.userId) return;
  throw new ForbiddenError('Only whoever added this contact, or an admin, can change it.');
}
