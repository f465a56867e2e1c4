import type { Principal } from '../../../src/server/domain/principal.js';
import {
  assertMayChangeContact,
  assertMayChangeOwnedBy,
  salespeopleScope,
  seesWholeTenant,
  teamsInView
} from '../../../src/server/domain/visibility.js';
import { ForbiddenError } from '../../../src/server/errors.js';

const caller = (roles: Principal['roles'] = []): Principal => ({
  tenantId: 't1',
  userId: 'u1',
  email: 'ana@northwind.example',
  name: 'Ana',
  roles
});

describe('who sees whose history', () => {
  test('admins see the whole tenant; managers and salespeople do not by their role alone', () => {
    expect(seesWholeTenant(caller(['Admin']))).toBe(true);
    expect(seesWholeTenant(caller(['Manager']))).toBe(false);
    expect(seesWholeTenant(caller())).toBe(false);
  });

  test("the tenant's setting says whose teams count: none to look up, own and managed, or managed only", () => {
    expect(teamsInView('organization')).toBeNull();
    expect(teamsInView('team')).toEqual({ ownTeam: true });
    expect(teamsInView('own')).toEqual({ ownTeam: false });
  });

  test('a salesperson scope holds themselves and their mates once each, sorted so equal scopes compare equal', () => {
    expect(salespeopleScope('sp-b', ['sp-c', 'sp-a', 'sp-b', 'sp-c'])).toEqual({
      kind: 'salespeople',
      salespersonIds: ['sp-a', 'sp-b', 'sp-c']
    });
    expect(salespeopleScope('sp-b', [])).toEqual({ kind: 'salespeople', salespersonIds: ['sp-b'] });
  });
});

describe('who may change an opportunity', () => {
  test('its owner and a manager of a team the owner is in', () => {
    expect(() => assertMayChangeOwnedBy('sp-a', { salespersonId: 'sp-a', managedIds: [] })).not.toThrow();
    expect(() => assertMayChangeOwnedBy('sp-a', { salespersonId: 'sp-m', managedIds: ['sp-a'] })).not.toThrow();
  });

  test('anyone else is refused with a 403 that says who may', () => {
    expect(() => assertMayChangeOwnedBy('sp-a', { salespersonId: 'sp-b', managedIds: ['sp-c'] })).toThrow(
      new ForbiddenError("Only the opportunity's owner, their manager or an admin can change it.")
    );
  });
});

describe('who corrects a contact', () => {
  test('whoever added it, or an admin; anyone else is refused, as is everyone for a contact nobody added', () => {
    expect(() => assertMayChangeContact(caller(), 'u1')).not.toThrow();
    expect(() => assertMayChangeContact(caller(['Admin']), 'someone-else')).not.toThrow();
    expect(() => assertMayChangeContact(caller(['Admin']), null)).not.toThrow();
    expect(() => assertMayChangeContact(caller(['Manager']), 'someone-else')).toThrow(ForbiddenError);
    expect(() => assertMayChangeContact(caller(), null)).toThrow(ForbiddenError);
  });
});
