import { errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { UnauthorizedError } from '../errors.js';
import { isRole, type Principal } from './principal.js';

/*
 * One verification path for every access token, Entra's and dev mode's alike: RS256 only, keys from a
 * configured key set (never from the token), then the Entra v2 claim rules from PRODUCT.md.
 */

export interface TokenRules {
  keys: JWTVerifyGetKey;
  audience: string;
  scope: string;
  addinClientId: string;
  /** Lower-cased tenant ids; null accepts any tenant (dev mode only). */
  allowedTenants: string[] | null;
  clockToleranceSeconds?: number;
}

export type TokenVerifier = (token: string) => Promise<Principal>;

const CACHE_LIMIT = 10_000;

export function issuerFor(tenantId: string): string {
  return `https://login.microsoftonline.com/${tenantId}/v2.0`;
}

const stringClaim = (payload: JWTPayload, name: string): string | undefined => {
  const value = payload[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
};

function principalFrom(payload: JWTPayload, rules: TokenRules): Principal {
  const tenantId = stringClaim(payload, 'tid');
  const userId = stringClaim(payload, 'oid');
  if (!tenantId || !userId) throw new UnauthorizedError('The token has no tenant or user.');
  if (payload.iss !== issuerFor(tenantId)) throw new UnauthorizedError('The token was issued for another tenant.');
  if (rules.allowedTenants !== null && !rules.allowedTenants.includes(tenantId.toLowerCase())) {
    throw new UnauthorizedError('The tenant is not allowed.');
  }
  const scopes = (stringClaim(payload, 'scp') ?? '').split(' ');
  if (!scopes.includes(rules.scope)) throw new UnauthorizedError('The token lacks the API scope.');
  if (stringClaim(payload, 'azp') !== rules.addinClientId)
    throw new UnauthorizedError('The token was issued to another client.');
  const email = stringClaim(payload, 'email') ?? stringClaim(payload, 'preferred_username') ?? '';
  const roles = Array.isArray(payload.roles) ? payload.roles.filter(isRole) : [];
  return { tenantId, userId, email, name: stringClaim(payload, 'name') ?? email, roles };
}

export function createTokenVerifier(rules: TokenRules): TokenVerifier {
  // A verified token is remembered until it expires, so a busy pane does not pay for RSA every call.
  const verified = new Map<string, { principal: Principal; expiresAt: number }>();
  return async (token) => {
    const cached = verified.get(token);
    if (cached && cached.expiresAt > Date.now()) return cached.principal;
    if (cached) verified.delete(token);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, rules.keys, {
        algorithms: ['RS256'],
        audience: rules.audience,
        clockTolerance: rules.clockToleranceSeconds ?? 60,
        requiredClaims: ['exp', 'iss', 'tid', 'oid']
      }));
    } catch (error) {
      if (error instanceof joseErrors.JOSEError || error instanceof TypeError) throw new UnauthorizedError();
      throw error;
    }
    const principal = principalFrom(payload, rules);
    if (verified.size >= CACHE_LIMIT) {
      const oldest = verified.keys().next().value;
      if (oldest !== undefined) verified.delete(oldest);
    }
    verified.set(token, { principal, expiresAt: (payload.exp ?? 0) * 1000 });
    return principal;
  };
}
