import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { issuerFor } from '../../src/server/auth/tokens.js';
import { DEMO_TENANT_ID } from '../../src/shared/demo.js';
import type { Env } from './config.js';

/*
 * A local Microsoft Entra ID for the API in Entra mode: a signing key made here, its JWKS on loopback HTTP (what
 * ENTRA_JWKS_URL points the API at, instead of Microsoft's discovery keys), and access tokens shaped like Entra v2
 * delegated tokens for the add-in, signed with that key. The API verifies them exactly as it verifies Microsoft's.
 */

export const ENTRA_AUDIENCE = '11111111-2222-4333-8444-555555555555';
export const ENTRA_ADDIN_CLIENT_ID = '66666666-7777-4888-9999-000000000000';
const SCOPE = 'access_as_user';
const LIFETIME_SECONDS = 3600;

export interface SignedInUser {
  email: string;
  name: string;
  oid?: string;
  roles?: string[];
}

export interface LocalEntraIssuer {
  /** The API's settings for Entra mode with this issuer, for the demo tenant. */
  env: Env;
  /** An access token for the API, for `user`. */
  accessToken(user: SignedInUser): Promise<string>;
  /** An ID token for `user` (the claims MSAL reads to know the account; its signature is never checked). */
  idToken(user: SignedInUser): Promise<string>;
  close(): Promise<void>;
}

export async function startLocalEntraIssuer(tenantId = DEMO_TENANT_ID): Promise<LocalEntraIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const kid = `local-${randomUUID()}`;
  const keys = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }] });
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(keys);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const oidOf = (user: SignedInUser) => user.oid ?? '0a1b2c3d-0000-4000-8000-00000000a11a';
  const sign = (claims: Record<string, unknown>, audience: string) => {
    const now = Math.floor(Date.now() / 1000);
    const registered = { iss: issuerFor(tenantId), aud: audience, iat: now, nbf: now, exp: now + LIFETIME_SECONDS };
    return new SignJWT({ ...registered, tid: tenantId, ver: '2.0', ...claims })
      .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
      .sign(privateKey);
  };
  return {
    env: {
      AUTH_MODE: 'entra',
      ENTRA_API_AUDIENCE: ENTRA_AUDIENCE,
      ENTRA_ADDIN_CLIENT_ID,
      ENTRA_ALLOWED_TENANTS: tenantId,
      ENTRA_JWKS_URL: `http://127.0.0.1:${port}/common/discovery/v2.0/keys`
    },
    accessToken: (user) =>
      sign(
        {
          oid: oidOf(user),
          email: user.email,
          preferred_username: user.email,
          name: user.name,
          roles: user.roles ?? [],
          scp: SCOPE,
          azp: ENTRA_ADDIN_CLIENT_ID
        },
        ENTRA_AUDIENCE
      ),
    idToken: (user) =>
      sign(
        { oid: oidOf(user), sub: oidOf(user), preferred_username: user.email, name: user.name },
        ENTRA_ADDIN_CLIENT_ID
      ),
    close: () => new Promise((resolve) => server.close(() => resolve()))
  };
}
