import type { Team } from '../../../src/shared/schemas/directory.js';
import type { Principal } from '../../../src/server/domain/principal.js';
import {
  assertMayViewTeams,
  assertSalespersonInView,
  narrow,
  teamViewFor
} from '../../../src/server/domain/team-view.js';
import { WHOLE_TENANT, type VisibilityScope } from '../../../src/server/domain/visibility.js';
import { ForbiddenError, NotFoundError } from '../../../src/server/errors.js';

const caller = (roles: Principal['roles']): Principal => ({
  tenantId: 't1',
  userId: 'u1',
  email: 'mia@northwind.example',
  name: 'Mia',
  roles
});
const team = (id: string, managerId: string | null, memberIds: string[]): Team => ({
  id,
  name: `Team ${id}`,
  managerId,
  memberIds,
  createdAt: '2026-12-01T00:00:00.000Z',
  updatedAt: '2026-12-01T00:00:00.000Z'
});
const people = (...salespersonIds: string[]): VisibilityScope => ({ kind: 'salespeople', salespersonIds });

const north = team('north', 'sp-mia', ['sp-ana', 'sp-ben']);
const south = team('south', 'sp-mia', ['sp-ben', 'sp-cara']);
const west = team('west', 'sp-olli', ['sp-dan']);
const teams = [north, south, west];
const manager = caller(['Manager']);
const admin = caller(['Admin']);
const asMia = { callerSalespersonId: 'sp-mia', visibility: WHOLE_TENANT };

describe('the team view', () => {
  test('is for managers and admins only', () => {
    expect(() => assertMayViewTeams(caller([]))).toThrow(ForbiddenError);
    expect(() => teamViewFor(caller([]), teams, asMia)).toThrow(ForbiddenError);
    expect(() => assertMayViewTeams(manager)).not.toThrow();
    expect(() => assertMayViewTeams(admin)).not.toThrow();
  });

  test('a manager sees the members of the teams they manage, once each, even when the tenant shows everyone', () => {
    expect(teamViewFor(manager, teams, asMia)).toEqual({
      teams: [
        { id: 'north', name: 'Team north' },
        { id: 'south', name: 'Team south' }
      ],
      scope: people('sp-ana', 'sp-ben', 'sp-cara')
    });
    expect(teamViewFor(manager, teams, { ...asMia, teamId: 'south' }).scope).toEqual(people('sp-ben', 'sp-cara'));
  });

  test('a manager naming a team they do not manage is refused; an admin naming a missing one gets a 404', () => {
    expect(() => teamViewFor(manager, teams, { ...asMia, teamId: 'west' })).toThrow(ForbiddenError);
    expect(() => teamViewFor(admin, teams, { ...asMia, teamId: 'nowhere' })).toThrow(NotFoundError);
  });

  test('an admin sees the whole organization, or any one team named', () => {
    expect(teamViewFor(admin, teams, asMia).scope).toEqual(WHOLE_TENANT);
    expect(teamViewFor(admin, teams, { ...asMia, teamId: 'west' })).toEqual({
      teams: [{ id: 'west', name: 'Team west' }],
      scope: people('sp-dan')
    });
  });

  test("never shows more than the caller's history view", () => {
    const visibility = people('sp-mia', 'sp-ben');
    expect(teamViewFor(manager, teams, { ...asMia, visibility }).scope).toEqual(people('sp-ben'));
    expect(teamViewFor(admin, teams, { ...asMia, visibility }).scope).toEqual(visibility);
  });
});

describe('narrowing and salesperson filters', () => {
  test('narrow keeps the salespeople both scopes allow', () => {
    expect(narrow(WHOLE_TENANT, WHOLE_TENANT)).toEqual(WHOLE_TENANT);
    expect(narrow(people('a', 'b'), WHOLE_TENANT)).toEqual(people('a', 'b'));
    expect(narrow(WHOLE_TENANT, people('a'))).toEqual(people('a'));
    expect(narrow(people('a', 'b'), people('b', 'c'))).toEqual(people('b'));
  });

  test('a salesperson filter must name someone in view', () => {
    expect(() => assertSalespersonInView(people('a'), undefined)).not.toThrow();
    expect(() => assertSalespersonInView(WHOLE_TENANT, 'z')).not.toThrow();
    expect(() => assertSalespersonInView(people('a'), 'a')).not.toThrow();
    expect(() => assertSalespersonInView(people('a'), 'z')).toThrow(ForbiddenError);
  });
});
