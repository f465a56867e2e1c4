import { Type, type Static } from 'typebox';
import { Closed, EmailAddress, Name } from './common.js';

export { ROLES, type Role } from '../limits.js';

export const DevTokenRequest = Closed({
  email: EmailAddress,
  name: Type.Optional(Name),
  roles: Type.Optional(Type.Array(Type.Union([Type.Literal('Admin'), Type.Literal('Manager')]), { uniqueItems: true })),
  tenantId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9-]{1,64}$', description: 'Defaults to the demo tenant' }))
});
export type DevTokenRequest = Static<typeof DevTokenRequest>;

export const DevTokenResponse = Type.Object({ accessToken: Type.String(), expiresIn: Type.Integer() });
export type DevTokenResponse = Static<typeof DevTokenResponse>;
