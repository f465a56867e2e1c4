import { createStandardPublicClientApplication } from '@azure/msal-browser';
import type { AddinConfig } from '../../shared/schemas/addin-config.js';
import { messageParent } from '../office/dialog.js';

/*
 * The page the Office dialog opens when neither NAA nor a popup could sign the user in: a full-window
 * redirect sign-in, whose token goes back to the pane through messageParent.
 */

async function run(): Promise<void> {
  const config = (await (await fetch('/addin/config.json')).json()) as AddinConfig;
  if (!config.entra) throw new Error('Sign-in is not configured.');
  const pca = await createStandardPublicClientApplication({
    auth: {
      clientId: config.entra.clientId,
      authority: config.entra.authority,
      redirectUri: new URL('/auth-dialog.html', window.location.href).href
    },
    cache: { cacheLocation: 'sessionStorage' }
  });
  const returned = await pca.handleRedirectPromise();
  if (returned) {
    await messageParent({ accessToken: returned.accessToken, expiresOn: returned.expiresOn?.getTime() });
    return;
  }
  const params = new URLSearchParams(window.location.search);
  const scopes = (params.get('scopes') ?? '').split(' ').filter(Boolean);
  const loginHint = params.get('loginHint') ?? undefined;
  await pca.acquireTokenRedirect({ scopes, ...(loginHint ? { loginHint } : {}) });
}

run().catch((error: unknown) => messageParent({ error: error instanceof Error ? error.message : String(error) }));
