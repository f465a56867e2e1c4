import { ROLES, type Role } from '../../shared/schemas/auth.js';

/** Who is calling, from a verified token. The tenant is in every data key; the user is `oid` within it. */
export interface Principal {
  tenantId: string;
  userId: string;
  email: string;
  name: string;
  roles: Role[];
}

export const isRole = (value: unknown): value is Role =>
  typeof value === 'string' && (ROLES as readonly string[]).includes(value);

export const hasRole = (principal: Principal, role: Role): boolean => principal.roles.includes(role);
