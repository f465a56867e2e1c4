import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { verifiedTokenCache } from '../caches.js';
import { UnauthorizedError } from '../errors.js';
import { isRole, type Principal } from '../domain/principal.js';

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

export interface TokenVerifier {
  /** The token's caller, or an UnauthorizedError. */
  (token: string): Promise<Principal>;
  /** The caller of a token verified before and not yet expired, at once; undefined for any other token. */
  remembered(token: string): Principal | undefined;
}

export interface KeySetOptions {
  /** How long fetched keys are used before they are fetched again (jose's cacheMaxAge). */
  maxAgeMs?: number;
  /**
   * After a fetch, how long a token with an unknown `kid` is refused without fetching again (jose's
   * cooldownDuration). A rotated key therefore works at once when the keys were fetched longer ago than
   * this, and a stream of forged `kid`s costs Microsoft at most one request per period.
   */
  cooldownMs?: number;
  timeoutMs?: number;
}

/** Entra's signing keys, from the one configured JWKS URL (never from the token), cached by jose. */
export function entraKeys(jwksUrl: string, options: KeySetOptions = {}): JWTVerifyGetKey {
  return createRemoteJWKSet(new URL(jwksUrl), {
    cacheMaxAge: options.maxAgeMs ?? 10 * 60_000,
    cooldownDuration: options.cooldownMs ?? 30_000,
    timeoutDuration: options.timeoutMs ?? 5_000
  });
}

const rejected = (reason: string) => new UnauthorizedError(undefined, { reason });

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
  if (!tenantId || !userId) throw rejected('no tid or oid');
  if (payload.iss !== issuerFor(tenantId)) throw rejected('iss does not match tid');
  if (rules.allowedTenants !== null && !rules.allowedTenants.includes(tenantId.toLowerCase())) {
    throw rejected('tenant not allowed');
  }
  const scopes = (stringClaim(payload, 'scp') ?? '').split(' ');
  if (!scopes.includes(rules.scope)) throw rejected('scope missing');
  if (stringClaim(payload, 'azp') !== rules.addinClientId) throw rejected('azp is not the add-in');
  const email = stringClaim(payload, 'email') ?? stringClaim(payload, 'preferred_username') ?? '';
  const roles = Array.isArray(payload.roles) ? payload.roles.filter(isRole) : [];
  return { tenantId, userId, email, name: stringClaim(payload, 'name') ?? email, roles };
}

/**
 * Verified tokens are remembered until they expire (caches.ts `verifiedTokenCache`). They are kept under their
 * last characters (part of the signature) and the whole token is compared on a hit: a token is about 1 KB, and
 * hashing it whole for a map cost more than the rest of a remembered lookup.
 */
const TOKEN_KEY_LENGTH = 43;
const tokenKey = (token: string) => token.slice(-TOKEN_KEY_LENGTH);

export function createTokenVerifier(rules: TokenRules): TokenVerifier {
  const verified = verifiedTokenCache();
  const remembered = (token: string): Principal | undefined => {
    const key = tokenKey(token);
    const entry = verified.get(key);
    if (entry === undefined || entry.token !== token) return undefined;
    if (entry.expiresAt > Date.now()) return entry.principal;
    verified.delete(key);
    return undefined;
  };
  const verify = async (token: string): Promise<Principal> => {
    const known = remembered(token);
    if (known) return known;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, rules.keys, {
        algorithms: ['RS256'],
        audience: rules.audience,
        clockTolerance: rules.clockToleranceSeconds ?? 60,
        requiredClaims: ['exp', 'iss', 'tid', 'oid']
      }));
    } catch (error) {
      // TypeError: the key set could not be fetched; still no token we can accept.
      if (error instanceof joseErrors.JOSEError || error instanceof TypeError) {
        throw rejected(error instanceof joseErrors.JOSEError ? error.code : 'key set unavailable');
      }
      throw error;
    }
    const principal = principalFrom(payload, rules);
    verified.set(tokenKey(token), { token, principal, expiresAt: (payload.exp ?? 0) * 1000 });
    return principal;
  };
  return Object.assign(verify, { remembered });
}
