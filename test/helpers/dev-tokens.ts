import {
  createDevIssuer,
  DEV_ADDIN_CLIENT_ID,
  DEV_AUDIENCE,
  DEV_SCOPE,
  type DevIssuer
} from '../../src/server/auth/dev-issuer.js';
import { createTokenVerifier, type TokenVerifier } from '../../src/server/auth/tokens.js';

/** The API's dev issuer and a verifier of its tokens, as dev mode has them: what the dev Graph stand-in checks with. */
export async function devTokens(): Promise<{ issuer: DevIssuer; verifyToken: TokenVerifier }> {
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
