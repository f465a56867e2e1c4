/** @jest-environment jsdom */
import {
  BrowserAuthError,
  createNestablePublicClientApplication,
  InteractionRequiredAuthError
} from '@azure/msal-browser';
import { createNestedAppAuth } from '../../src/addin/auth/nested-app-auth.js';
import { SignInRequiredError } from '../../src/addin/auth/tokens.js';
import { openAuthDialog } from '../../src/addin/office/dialog.js';

/*
 * The sign-in order: silent (NAA brokered by Outlook, or MSAL's cache) → popup → the Office dialog. MSAL's
 * client is replaced by a scripted one; MSAL's own error classes decide which step comes next.
 */

jest.mock('@azure/msal-browser', () => ({
  ...jest.requireActual('@azure/msal-browser'),
  createNestablePublicClientApplication: jest.fn()
}));
jest.mock('../../src/addin/office/dialog.js', () => ({ openAuthDialog: jest.fn() }));

const entra = {
  clientId: '11111111-2222-4333-8444-555555555555',
  authority: 'https://login.microsoftonline.com/organizations',
  apiScope: 'api://addin.contoso.com/11111111-2222-4333-8444-555555555555/access_as_user',
  graphScopes: ['Mail.Read']
};
const account = {
  username: 'Ana.Lopez@northwind.example',
  homeAccountId: 'h',
  environment: 'e',
  tenantId: 't',
  localAccountId: 'l'
};
const result = (accessToken: string) => ({ accessToken, account });

function scriptedClient(steps: {
  silent?: () => Promise<unknown>;
  popup?: () => Promise<unknown>;
  accounts?: unknown[];
}) {
  const pca = {
    getActiveAccount: jest.fn(() => null),
    getAllAccounts: jest.fn(() => steps.accounts ?? [account]),
    setActiveAccount: jest.fn(),
    acquireTokenSilent: jest.fn(steps.silent ?? (async () => result('silent-token'))),
    ssoSilent: jest.fn(steps.silent ?? (async () => result('sso-token'))),
    acquireTokenPopup: jest.fn(steps.popup ?? (async () => result('popup-token')))
  };
  (createNestablePublicClientApplication as jest.Mock).mockResolvedValue(pca);
  return pca;
}

beforeEach(() => jest.clearAllMocks());

test('configures MSAL for the add-in and returns the silent token for the known account', async () => {
  const pca = scriptedClient({});
  const auth = await createNestedAppAuth(entra, 'ana.lopez@northwind.example');
  expect(await auth.acquire([entra.apiScope])).toBe('silent-token');
  expect(createNestablePublicClientApplication).toHaveBeenCalledWith(
    expect.objectContaining({ auth: expect.objectContaining({ clientId: entra.clientId, authority: entra.authority }) })
  );
  expect(pca.acquireTokenSilent).toHaveBeenCalledWith({ scopes: [entra.apiScope], account });
  expect(pca.acquireTokenPopup).not.toHaveBeenCalled();
});

test('no account yet: SSO with the Outlook user as login hint', async () => {
  const pca = scriptedClient({ accounts: [] });
  const auth = await createNestedAppAuth(entra, 'ana.lopez@northwind.example');
  expect(await auth.acquire(['Mail.Read'])).toBe('sso-token');
  expect(pca.ssoSilent).toHaveBeenCalledWith({ scopes: ['Mail.Read'], loginHint: 'ana.lopez@northwind.example' });
});

test('interaction required: a popup', async () => {
  const pca = scriptedClient({
    silent: () => Promise.reject(new InteractionRequiredAuthError('consent_required', 'consent_required'))
  });
  const auth = await createNestedAppAuth(entra, 'ana.lopez@northwind.example');
  expect(await auth.acquire(['Mail.Read'])).toBe('popup-token');
  expect(pca.acquireTokenPopup).toHaveBeenCalledWith({
    scopes: ['Mail.Read'],
    loginHint: 'ana.lopez@northwind.example'
  });
});

test('popup blocked by the host: the Office dialog', async () => {
  scriptedClient({
    silent: () => Promise.reject(new InteractionRequiredAuthError('login_required', 'login_required')),
    popup: () => Promise.reject(new BrowserAuthError('popup_window_error', 'popup_window_error'))
  });
  (openAuthDialog as jest.Mock).mockResolvedValue('dialog-token');
  const auth = await createNestedAppAuth(entra, 'ana.lopez@northwind.example');
  expect(await auth.acquire([entra.apiScope])).toBe('dialog-token');
  const url = new URL((openAuthDialog as jest.Mock).mock.calls[0][0] as string);
  expect(url.pathname).toBe('/auth-dialog.html');
  expect(url.searchParams.get('scopes')).toBe(entra.apiScope);
  expect(url.searchParams.get('loginHint')).toBe('ana.lopez@northwind.example');
});

test('the user closes the popup or the dialog: sign-in required, no further prompts', async () => {
  scriptedClient({
    silent: () => Promise.reject(new InteractionRequiredAuthError('login_required', 'login_required')),
    popup: () => Promise.reject(new BrowserAuthError('user_cancelled', 'user_cancelled'))
  });
  const auth = await createNestedAppAuth(entra, 'ana.lopez@northwind.example');
  await expect(auth.acquire(['Mail.Read'])).rejects.toBeInstanceOf(SignInRequiredError);
  expect(openAuthDialog).not.toHaveBeenCalled();

  scriptedClient({
    silent: () => Promise.reject(new InteractionRequiredAuthError('login_required', 'login_required')),
    popup: () => Promise.reject(new BrowserAuthError('popup_window_error', 'popup_window_error'))
  });
  (openAuthDialog as jest.Mock).mockResolvedValue(null);
  const again = await createNestedAppAuth(entra, 'ana.lopez@northwind.example');
  await expect(again.acquire(['Mail.Read'])).rejects.toBeInstanceOf(SignInRequiredError);
});

test('a failure that no prompt can fix is not turned into a prompt', async () => {
  const pca = scriptedClient({ silent: () => Promise.reject(new TypeError('Failed to fetch')) });
  const auth = await createNestedAppAuth(entra, 'ana.lopez@northwind.example');
  await expect(auth.acquire(['Mail.Read'])).rejects.toThrow('Failed to fetch');
  expect(pca.acquireTokenPopup).not.toHaveBeenCalled();
});
