import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type JWTVerifyGetKey } from 'jose';
import { v5 as uuidv5 } from 'uuid';
import type { DevTokenRequest } from '../../shared/schemas/auth.js';
import { DEMO_TENANT_ID } from '../../shared/demo.js';
import { issuerFor } from './tokens.js';

/*
 * Dev mode's stand-in for Microsoft Entra ID: it signs tokens shaped like Entra v2 access tokens with a
 * key made at start, and exposes only that key to the verifier, which then applies exactly the rules it
 * applies to real tokens.
 */

export const DEV_AUDIENCE = 'api://localhost/interaction-log';
export const DEV_SCOPE = 'access_as_user';
export const DEV_ADDIN_CLIENT_ID = '7d1c3f5e-0000-4000-8000-00000000d3e0';
const DEV_TOKEN_LIFETIME_SECONDS = 3600;
// Fixed so the same person gets the same `oid` across restarts, as with a real directory.
const DEV_OID_NAMESPACE = '0f7a7b8e-3c1d-4f5e-9a2b-6c7d8e9f0a1b';

export interface DevIssuer {
  keys: JWTVerifyGetKey;
  issue(request: DevTokenRequest): Promise<{ accessToken: string; expiresIn: number }>;
}

export async function createDevIssuer(): Promise<DevIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const kid = `dev-${Date.now().toString(36)}`;
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return {
    keys: createLocalJWKSet({ keys: [jwk] }),
    async issue(request) {
      const tenantId = request.tenantId ?? DEMO_TENANT_ID;
      const email = request.email.trim();
      const accessToken = await new SignJWT({
        tid: tenantId,
        oid: uuidv5(`${tenantId.toLowerCase()}/${email.toLowerCase()}`, DEV_OID_NAMESPACE),
        email,
        preferred_username: email,
        name: request.name ?? email.split('@')[0],
        roles: request.roles ?? [],
        scp: DEV_SCOPE,
        azp: DEV_ADDIN_CLIENT_ID,
        ver: '2.0'
      })
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
        .setIssuer(issuerFor(tenantId))
        .setAudience(DEV_AUDIENCE)
        .setIssuedAt()
        .setNotBefore('0s')
        .setExpirationTime(`${DEV_TOKEN_LIFETIME_SECONDS}s`)
        .sign(privateKey);
      return { accessToken, expiresIn: DEV_TOKEN_LIFETIME_SECONDS };
    }
  };
}
