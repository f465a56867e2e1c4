import {
  createDevIssuer,
  DEV_ADDIN_CLIENT_ID,
  DEV_AUDIENCE,
  DEV_SCOPE,
  type DevIssuer
} from '../../src/server/auth/dev-issuer.js';
import { createTokenVerifier, type TokenVerifier } from '../../src/server/auth/tokens.js';

/*
 * Dev mode's tokens without a server: a fresh local issuer and the verifier that accepts what it issues, with the
 * same rules the server applies in dev mode (its audience, scope and add-in client, any tenant).
 */

export async function devAuth(): Promise<{ issuer: DevIssuer; verifyToken: TokenVerifier }> {
  const issuer = await createDevIssuer();
  const verifyToken = createTokenVerifier({
    keys: issuer.keys,
    audience: DEV_AUDIENCE,
    scope: DEV_SCOPE,
    addinClientId: DEV_ADDIN_CLIENT_ID,
    allowedTenants: null
  });
  return { issuer, verifyToken };
}
