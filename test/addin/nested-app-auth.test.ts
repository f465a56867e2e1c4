/** @jest-environment jsdom */
import {
  BrowserAuthError,
  createNestablePublicClientApplication,
  InteractionRequiredAuthError
} from '@azure/msal-browser';
import '@testing-library/jest-dom';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { createElement } from 'react';
import { createNestedAppAuth } from '../../src/addin/auth/nested-app-auth.js';
import { SignInRequiredError } from '../../src/addin/auth/tokens.js';
import { createTranslator } from '../../src/addin/i18n/catalogues.js';
import { openAuthDialog } from '../../src/addin/office/dialog.js';
import { ErrorState } from '../../src/addin/taskpane/components/States.js';
import { ServicesProvider, type PaneServices } from '../../src/addin/taskpane/services.js';

/*
 * The sign-in order: silent (NAA brokered by Outlook, or MSAL's cache); when that needs the user, the pane
 * shows a Sign in button, and its click opens MSAL's popup, or the Office dialog where the popup could not
 * open. Browsers open windows only from a user's gesture, so nothing may open a window on its own, and the
 * click must open it in the same task (no await before it). MSAL's client is replaced by a scripted one;
 * MSAL's own error classes decide which step comes next.
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
const loginRequired = () => Promise.reject(new InteractionRequiredAuthError('login_required', 'login_required'));
const popupBlocked = () => Promise.reject(new BrowserAuthError('popup_window_error', 'popup_window_error'));

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

/** A client that needs a sign-in until its popup has been answered, then answers silently with `silentToken`. */
function signInByPopup(silentToken: string) {
  let signedIn = false;
  return scriptedClient({
    silent: () => (signedIn ? Promise.resolve(result(silentToken)) : loginRequired()),
    popup: async () => {
      signedIn = true;
      return result('popup-token');
    }
  });
}

/** The SignInRequiredError `promise` rejects with. */
async function signInError(promise: Promise<unknown>): Promise<SignInRequiredError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e
  );
  if (!(error instanceof SignInRequiredError)) throw new Error(`expected SignInRequiredError, got ${String(error)}`);
  return error;
}

/** Lets every pending promise and timer of the code under test run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

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

test('interaction required: no window opens by itself; sign-in is offered instead', async () => {
  const pca = scriptedClient({ silent: loginRequired, popup: popupBlocked });
  const auth = await createNestedAppAuth(entra, 'ana.lopez@northwind.example');
  const error = await signInError(auth.acquire(['Mail.Read']));
  await settle();
  expect(error.signIn).toEqual(expect.any(Function));
  expect(error.popupBlocked).toBe(false);
  expect(pca.acquireTokenPopup).not.toHaveBeenCalled();
  expect(openAuthDialog).not.toHaveBeenCalled();
});

test('signIn opens the popup at once, in the calling task; the token is then had silently', async () => {
  const pca = signInByPopup('silent-after-popup');
  const auth = await createNestedAppAuth(entra, 'ana.lopez@northwind.example');
  const error = await signInError(auth.acquire(['Mail.Read']));
  const done = error.signIn?.();
  expect(pca.acquireTokenPopup).toHaveBeenCalledWith({
    scopes: ['Mail.Read'],
    loginHint: 'ana.lopez@northwind.example'
  });
  await done;
  expect(pca.setActiveAccount).toHaveBeenCalledWith(account);
  expect(await auth.acquire(['Mail.Read'])).toBe('silent-after-popup');
});

test('popup blocked: the next Sign in opens the Office dialog at once, whose token then serves silently', async () => {
  scriptedClient({ silent: loginRequired, popup: popupBlocked });
  (openAuthDialog as jest.Mock).mockResolvedValue({ accessToken: 'dialog-token', expiresOn: Date.now() + 3600_000 });
  const auth = await createNestedAppAuth(entra, 'ana.lopez@northwind.example');
  const first = await signInError(auth.acquire([entra.apiScope]));
  const blocked = await signInError(first.signIn?.() ?? Promise.resolve());
  expect(blocked.popupBlocked).toBe(true);
  expect(openAuthDialog).not.toHaveBeenCalled(); // not after the popup's failure: that is no longer the click

  const again = await signInError(auth.acquire([entra.apiScope]));
  expect(again.popupBlocked).toBe(true);
  const done = again.signIn?.();
  expect(openAuthDialog).toHaveBeenCalledTimes(1);
  const url = new URL((openAuthDialog as jest.Mock).mock.calls[0][0] as string);
  expect(url.pathname).toBe('/auth-dialog.html');
  expect(url.searchParams.get('scopes')).toBe(entra.apiScope);
  expect(url.searchParams.get('loginHint')).toBe('ana.lopez@northwind.example');
  await done;
  expect(await auth.acquire([entra.apiScope])).toBe('dialog-token');
  await expect(auth.acquire(['Mail.Read'])).rejects.toBeInstanceOf(SignInRequiredError); // other scopes: not given
});

test('the user closes the popup or the dialog: sign-in still required, nothing else opens', async () => {
  const pca = scriptedClient({
    silent: loginRequired,
    popup: () => Promise.reject(new BrowserAuthError('user_cancelled', 'user_cancelled'))
  });
  const auth = await createNestedAppAuth(entra, 'ana.lopez@northwind.example');
  const cancelled = await signInError((await signInError(auth.acquire(['Mail.Read']))).signIn?.() ?? Promise.resolve());
  expect(cancelled.popupBlocked).toBe(false);
  expect(pca.acquireTokenPopup).toHaveBeenCalledTimes(1);
  expect(openAuthDialog).not.toHaveBeenCalled();

  scriptedClient({ silent: loginRequired, popup: popupBlocked });
  (openAuthDialog as jest.Mock).mockResolvedValue(null);
  const again = await createNestedAppAuth(entra, 'ana.lopez@northwind.example');
  await signInError((await signInError(again.acquire(['Mail.Read']))).signIn?.() ?? Promise.resolve());
  await signInError((await signInError(again.acquire(['Mail.Read']))).signIn?.() ?? Promise.resolve());
  expect(openAuthDialog).toHaveBeenCalledTimes(1);
});

test('a failure that no prompt can fix is not turned into a prompt', async () => {
  const pca = scriptedClient({ silent: () => Promise.reject(new TypeError('Failed to fetch')) });
  const auth = await createNestedAppAuth(entra, 'ana.lopez@northwind.example');
  await expect(auth.acquire(['Mail.Read'])).rejects.toThrow('Failed to fetch');
  expect(pca.acquireTokenPopup).not.toHaveBeenCalled();
});

describe('the Sign in button', () => {
  function renderErrorState(error: unknown, onRetry: () => void, displayLanguage = 'en-US') {
    const services = { i18n: createTranslator(displayLanguage) } as unknown as PaneServices;
    render(createElement(ServicesProvider, { services, children: createElement(ErrorState, { error, onRetry }) }));
  }

  test('its click opens the popup within the click’s own task, then the pane tries again', async () => {
    const pca = signInByPopup('silent-token');
    const auth = await createNestedAppAuth(entra, 'ana.lopez@northwind.example');
    const onRetry = jest.fn();
    renderErrorState(await signInError(auth.acquire([entra.apiScope])), onRetry);
    await settle();
    expect(pca.acquireTokenPopup).not.toHaveBeenCalled();

    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    // fireEvent dispatches synchronously: whatever the handler did before its first await has happened now.
    expect(pca.acquireTokenPopup).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(onRetry).toHaveBeenCalledTimes(1));
  });

  test('popup blocked: it says so, and the next click opens the Office dialog within its task', async () => {
    scriptedClient({ silent: loginRequired, popup: popupBlocked });
    (openAuthDialog as jest.Mock).mockResolvedValue({ accessToken: 'dialog-token', expiresOn: Date.now() + 3600_000 });
    const auth = await createNestedAppAuth(entra, 'ana.lopez@northwind.example');
    await signInError((await signInError(auth.acquire([entra.apiScope]))).signIn?.() ?? Promise.resolve());

    const onRetry = jest.fn();
    renderErrorState(await signInError(auth.acquire([entra.apiScope])), onRetry, 'fi-FI');
    expect(screen.getByText(createTranslator('fi-FI').t('signInBlockedText'))).toBeInTheDocument();
    await settle();
    expect(openAuthDialog).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Kirjaudu sisään' }));
    expect(openAuthDialog).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(onRetry).toHaveBeenCalledTimes(1));
  });

  test('dev sign-in and an API 401 carry no window to open: the click tries again', async () => {
    const onRetry = jest.fn();
    renderErrorState(new SignInRequiredError(), onRetry);
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(onRetry).toHaveBeenCalledTimes(1);
  });
});
