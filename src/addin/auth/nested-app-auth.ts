import {
  BrowserAuthError,
  createNestablePublicClientApplication,
  InteractionRequiredAuthError,
  type AccountInfo,
  type IPublicClientApplication
} from '@azure/msal-browser';
import type { AddinConfig } from '../../shared/schemas/addin-config.js';
import { openAuthDialog, type DialogToken } from '../office/dialog.js';
import { SignInRequiredError } from './tokens.js';

/*
 * Nested app authentication (NAA), Microsoft's recommended sign-in for Outlook add-ins: Outlook brokers
 * the token, so the user signs in once to Office. Where NAA is not available MSAL works as a normal
 * SPA. Tokens are first asked for silently; when the user must act, acquire() fails with a
 * SignInRequiredError whose signIn() the pane runs from its Sign in button: MSAL's popup, or, once a popup
 * could not open (some hosts block them), the Office dialog.
 *
 * Why a button: browsers open windows only from a user's gesture, and Office on the web asks "Allow or
 * Ignore" before a dialog opened without one unless told not to (promptBeforeOpen). Microsoft's dialog
 * guidance: https://learn.microsoft.com/office/dev/add-ins/develop/dialog-best-practices#handle-pop-up-blockers-with-office-on-the-web
 * So signIn() calls acquireTokenPopup / displayDialogAsync synchronously, and no sign-in window ever opens on
 * its own. MSAL opens its popup (blank, then navigated) inside acquireTokenPopup's synchronous part only with
 * system.navigatePopups (its default, set here so that it stays so).
 */

type EntraConfig = NonNullable<AddinConfig['entra']>;

export interface NestedAppAuth {
  /** A token without prompting, or a SignInRequiredError carrying the sign-in to run from a click. */
  acquire(scopes: string[]): Promise<string>;
}

const EXPIRY_MARGIN_MS = 60_000;

export async function createNestedAppAuth(entra: EntraConfig, loginHint: string): Promise<NestedAppAuth> {
  const pca: IPublicClientApplication = await createNestablePublicClientApplication({
    auth: {
      clientId: entra.clientId,
      authority: entra.authority,
      redirectUri: new URL('/auth-redirect.html', window.location.href).href
    },
    cache: { cacheLocation: 'sessionStorage' },
    system: { navigatePopups: true }
  });

  const account = (): AccountInfo | undefined =>
    pca.getActiveAccount() ??
    pca.getAllAccounts().find((a) => a.username.toLowerCase() === loginHint.toLowerCase()) ??
    pca.getAllAccounts()[0];

  const cancelled = (error: unknown) => error instanceof BrowserAuthError && error.errorCode === 'user_cancelled';
  const needsInteraction = (error: unknown) =>
    error instanceof InteractionRequiredAuthError || (error instanceof BrowserAuthError && !cancelled(error));

  // Tokens the Office dialog sent back, by scopes: its MSAL runs in another window, whose cache this one cannot read.
  const dialogTokens = new Map<string, DialogToken>();
  const scopeKey = (scopes: string[]) => [...scopes].sort().join(' ');
  let popupBlocked = false;

  const signInRequired = (scopes: string[], message?: string) =>
    new SignInRequiredError(message, { signIn: () => signIn(scopes), popupBlocked });

  /** Runs from the Sign in button's click: the window opens before this returns. */
  const signIn = (scopes: string[]): Promise<void> => {
    if (!popupBlocked) {
      return pca.acquireTokenPopup({ scopes, loginHint }).then(
        (result) => pca.setActiveAccount(result.account),
        (error: unknown) => {
          if (!cancelled(error) && !needsInteraction(error)) throw error;
          // The window did not open (or failed): the next click uses the Office dialog.
          if (!cancelled(error)) popupBlocked = true;
          throw signInRequired(scopes);
        }
      );
    }
    const url = new URL('/auth-dialog.html', window.location.href);
    url.searchParams.set('scopes', scopes.join(' '));
    url.searchParams.set('loginHint', loginHint);
    return openAuthDialog(url.href).then((token) => {
      if (!token) throw signInRequired(scopes);
      dialogTokens.set(scopeKey(scopes), token);
    });
  };

  return {
    async acquire(scopes) {
      const fromDialog = dialogTokens.get(scopeKey(scopes));
      if (fromDialog && fromDialog.expiresOn - EXPIRY_MARGIN_MS > Date.now()) return fromDialog.accessToken;
      try {
        const known = account();
        const result = known
          ? await pca.acquireTokenSilent({ scopes, account: known })
          : await pca.ssoSilent({ scopes, loginHint });
        pca.setActiveAccount(result.account);
        return result.accessToken;
      } catch (silentError) {
        if (!needsInteraction(silentError)) throw silentError;
        throw signInRequired(scopes);
      }
    }
  };
}
