import {
  BrowserAuthError,
  createNestablePublicClientApplication,
  InteractionRequiredAuthError,
  type AccountInfo,
  type IPublicClientApplication
} from '@azure/msal-browser';
import type { AddinConfig } from '../../shared/schemas/addin-config.js';
import { openAuthDialog } from '../office/dialog.js';
import { SignInRequiredError } from './tokens.js';

/*
 * Nested app authentication (NAA), Microsoft's recommended sign-in for Outlook add-ins: Outlook brokers
 * the token, so the user signs in once to Office. Where NAA is not available MSAL works as a normal
 * SPA; then silent → popup → the Office dialog API, in that order (popups are blocked in some hosts).
 */

type EntraConfig = NonNullable<AddinConfig['entra']>;

export interface NestedAppAuth {
  acquire(scopes: string[]): Promise<string>;
}

export async function createNestedAppAuth(entra: EntraConfig, loginHint: string): Promise<NestedAppAuth> {
  const pca: IPublicClientApplication = await createNestablePublicClientApplication({
    auth: {
      clientId: entra.clientId,
      authority: entra.authority,
      redirectUri: new URL('/auth-redirect.html', window.location.href).href
    },
    cache: { cacheLocation: 'sessionStorage' }
  });

  const account = (): AccountInfo | undefined =>
    pca.getActiveAccount() ??
    pca.getAllAccounts().find((a) => a.username.toLowerCase() === loginHint.toLowerCase()) ??
    pca.getAllAccounts()[0];

  const needsInteraction = (error: unknown) =>
    error instanceof InteractionRequiredAuthError ||
    (error instanceof BrowserAuthError && error.errorCode !== 'user_cancelled');

  return {
    async acquire(scopes) {
      try {
        const known = account();
        const result = known
          ? await pca.acquireTokenSilent({ scopes, account: known })
          : await pca.ssoSilent({ scopes, loginHint });
        pca.setActiveAccount(result.account);
        return result.accessToken;
      } catch (silentError) {
        if (!needsInteraction(silentError)) throw silentError;
      }
      try {
        const result = await pca.acquireTokenPopup({ scopes, loginHint });
        pca.setActiveAccount(result.account);
        return result.accessToken;
      } catch (popupError) {
        if (popupError instanceof BrowserAuthError && popupError.errorCode === 'user_cancelled') {
          throw new SignInRequiredError();
        }
      }
      const dialogUrl = new URL('/auth-dialog.html', window.location.href);
      dialogUrl.searchParams.set('scopes', scopes.join(' '));
      dialogUrl.searchParams.set('loginHint', loginHint);
      const token = await openAuthDialog(dialogUrl.href);
      if (!token) throw new SignInRequiredError();
      return token;
    }
  };
}
