import type { Team } from '../../shared/schemas/directory.js';
import type { TeamRef } from '../../shared/schemas/team.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import { hasRole, type Principal } from './principal.js';
import { WHOLE_TENANT, type VisibilityScope } from './visibility.js';

/*
 * The team view's own rule, on top of the tenant's visibility:
 * - a manager sees the members of the teams they manage (the teams whose manager is their salesperson
 *   record), one of them when `teamId` names it;
 * - an admin sees any one team when `teamId` names it, else the whole organization;
 * - anyone else is refused.
 * It is a team view: even when the tenant lets everyone see the whole organization's history, a manager
 * sees only their teams here (the sales pane's per-contact history is where the organization shows).
 * The result is then narrowed by the tenant's visibility scope, so this view never shows more than the
 * caller's history view would.
 */

export interface TeamView {
  teams: TeamRef[];
  scope: VisibilityScope;
}

export function assertMayViewTeams(principal: Principal): void {
  if (!hasRole(principal, 'Manager') && !hasRole(principal, 'Admin')) {
    throw new ForbiddenError('The team view is for managers and admins (the Manager or Admin role).');
  }
}

/** The teams and salespeople in the caller's team view, from the tenant's teams and the caller's visibility. */
export function teamViewFor(
  principal: Principal,
  teams: readonly Team[],
  options: { callerSalespersonId: string; teamId?: string | undefined; visibility: VisibilityScope }
): TeamView {
  assertMayViewTeams(principal);
  const admin = hasRole(principal, 'Admin');
  let inView = admin ? teams : teams.filter((team) => team.managerId === options.callerSalespersonId);
  if (options.teamId !== undefined) {
    const named = inView.find((team) => team.id === options.teamId);
    if (!named) {
      // Team names and members are readable by everyone in the tenant: refusing says nothing new.
      if (!admin) throw new ForbiddenError('You can view only the teams you manage; pick one of them as teamId.');
      throw new NotFoundError('The team');
    }
    inView = [named];
  }
  const teamRefs = inView.map((team) => ({ id: team.id, name: team.name }));
  if (admin && options.teamId === undefined)
    return { teams: teamRefs, scope: narrow(WHOLE_TENANT, options.visibility) };
  const members = [...new Set(inView.flatMap((team) => team.memberIds))];
  return { teams: teamRefs, scope: narrow({ kind: 'salespeople', salespersonIds: members }, options.visibility) };
}

/** The salespeople both scopes allow. */
export function narrow(scope: VisibilityScope, by: VisibilityScope): VisibilityScope {
  if (by.kind === 'tenant') return scope;
  if (scope.kind === 'tenant') return by;
  const allowed = new Set(by.salespersonIds);
  return { kind: 'salespeople', salespersonIds: scope.salespersonIds.filter((id) => allowed.has(id)) };
}

/** A salesperson filter must name someone in view: a 403 otherwise, whether or not they exist. */
export function assertSalespersonInView(scope: VisibilityScope, salespersonId: string | undefined): void {
  if (salespersonId === undefined || scope.kind === 'tenant' || scope.salespersonIds.includes(salespersonId)) return;
  throw new ForbiddenError(
    'That salesperson is not in a team you can view here; pick a member of your teams, or leave salespersonId out.'
  );
}
