/** @jest-environment jsdom */
import '@testing-library/jest-dom';
import { screen } from '@testing-library/react';
import type * as NestedAppAuth from '../../../src/addin/auth/nested-app-auth.js';
import type * as Mailbox from '../../../src/addin/office/mailbox.js';
import { ADDIN_CONFIG_ELEMENT_ID } from '../../../src/shared/addin-page.js';
import type { AddinConfig } from '../../../src/shared/schemas/addin-config.js';
import { fakeHost, lena, readItem } from '../pane-fakes.js';

/*
 * The pane's entry, as Outlook starts it: the first screen (the correspondent's header and the actions, from
 * Office's item data) is drawn while every request is still unanswered, the configuration comes from the page
 * itself, and in Entra mode the sign-in is under way while that first screen is drawn, not before it (here without
 * Outlook's NAA bridge, so through MSAL's chunk: test/addin/naa-bridge.test.ts has the bridge's own path).
 */

jest.mock('../../../src/addin/office/mailbox.js', () => ({ connectOffice: jest.fn() }));
// MSAL's chunk: asked for, and never ready within the test.
jest.mock('../../../src/addin/auth/nested-app-auth.js', () => ({
  createNestedAppAuth: jest.fn(() => new Promise(() => undefined))
}));
const mailbox = jest.requireMock('../../../src/addin/office/mailbox.js') as jest.Mocked<typeof Mailbox>;
const msal = jest.requireMock('../../../src/addin/auth/nested-app-auth.js') as jest.Mocked<typeof NestedAppAuth>;

const DEV: AddinConfig = { authMode: 'dev', apiBaseUrl: '', graphBaseUrl: '/graph', entra: null };
const ENTRA: AddinConfig = {
  authMode: 'entra',
  apiBaseUrl: '',
  graphBaseUrl: 'https://graph.microsoft.com',
  entra: {
    clientId: '66666666-7777-4888-9999-000000000000',
    authority: 'https://login.microsoftonline.com/organizations',
    apiScope: 'api://11111111-2222-4333-8444-555555555555/access_as_user',
    graphScopes: ['Mail.Read']
  }
};

/** Every request the pane makes: none is ever answered. */
let requests: string[];

beforeEach(() => {
  jest.clearAllMocks();
  requests = [];
  Object.assign(globalThis, {
    fetch: jest.fn((input: RequestInfo | URL) => {
      requests.push(String(input));
      return new Promise(() => undefined);
    })
  });
  Object.assign(performance, { mark: jest.fn() });
  // The entry renders on its own, as in Outlook, not inside a test's act().
  Object.assign(globalThis, { IS_REACT_ACT_ENVIRONMENT: false });
  mailbox.connectOffice.mockResolvedValue(fakeHost(readItem(lena)));
});

/** The page as the server sends it (with or without its configuration), and the entry started on it. */
async function startPane(config: AddinConfig | null): Promise<void> {
  document.head.innerHTML = config
    ? `<script id="${ADDIN_CONFIG_ELEMENT_ID}" type="application/json">${JSON.stringify(config)}</script>`
    : '';
  document.body.innerHTML = '<div id="root"></div>';
  // A fresh copy of the entry each time: it starts the pane as it is imported.
  await jest.isolateModulesAsync(async () => {
    await import('../../../src/addin/taskpane/index.js');
  });
  // Office and the configuration are ready within a few turns of the event loop.
  await new Promise((resolve) => setTimeout(resolve, 0));
}

async function expectFirstScreen(): Promise<void> {
  expect(await screen.findByRole('heading', { name: 'Lena Berg' })).toBeInTheDocument();
  expect(screen.getByText(lena.email)).toBeInTheDocument();
  expect(screen.getByRole('button', { name: 'Log this thread' })).toBeEnabled();
  // They need the person to be a contact, which only the API knows: shown, waiting for its answer.
  for (const name of [/Create opportunity/, /Add note/]) {
    const button = screen.getByRole('button', { name });
    expect(button).toBeDisabled();
    expect(button).not.toHaveAttribute('title');
  }
  expect(screen.getByLabelText('Loading…')).toHaveAttribute('aria-busy', 'true');
}

test('Entra mode: header and actions are drawn while MSAL is still loading, and nothing has been fetched', async () => {
  await startPane(ENTRA);
  await expectFirstScreen();
  // No NAA bridge in jsdom: MSAL's chunk was asked for before that screen was drawn, and it has not settled yet.
  expect(msal.createNestedAppAuth).toHaveBeenCalledWith(ENTRA.entra, 'ana.lopez@northwind.example');
  expect(requests).toEqual([]);
});

test('dev mode: header and actions are drawn while the token request is unanswered', async () => {
  await startPane(DEV);
  await expectFirstScreen();
  expect(requests).toEqual(['/api/v1/dev/token']);
  expect(msal.createNestedAppAuth).not.toHaveBeenCalled();
});

test('a page without the configuration asks the API for it before drawing anything', async () => {
  await startPane(null);
  expect(requests).toEqual(['/addin/config.json']);
  expect(screen.queryByRole('heading')).not.toBeInTheDocument();
});
