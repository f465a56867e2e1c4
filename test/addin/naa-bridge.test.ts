/** @jest-environment jsdom */
import { BRIDGE_WAIT_MS, createNaaBridgeClient } from '../../src/addin/auth/naa-bridge.js';
import type * as NestedAppAuthModule from '../../src/addin/auth/nested-app-auth.js';
import { createNestedAppAuth } from '../../src/addin/auth/nested-app-auth.js';
import { createTokenSource, SignInRequiredError } from '../../src/addin/auth/tokens.js';
import type { AddinConfig } from '../../src/shared/schemas/addin-config.js';
import { nestedAppAuthBridgeScript, type BridgeTokens } from '../stand-ins/office/naa-bridge.js';

/*
 * The oracle for the small NAA bridge client (src/addin/auth/naa-bridge.ts): real MSAL, configured as the pane
 * configures it (createNestedAppAuth → createNestablePublicClientApplication), asks Outlook's bridge (the Office
 * stand-in's) for the API's token and then Graph's; the small client does the same on a fresh bridge. Every message
 * each sends is captured: the small client must send the same methods in the same order, with the same fields and
 * the same values, but for the ids and times each request makes up; and it must accept MSAL-shaped answers.
 * Then the pane's token source: the small client on the first load, and real MSAL (loaded then, not before) for
 * anything the small client doubts.
 */

// Real MSAL, watched: whether the token source loaded it, and when.
jest.mock('../../src/addin/auth/nested-app-auth.js', () => {
  const actual = jest.requireActual<typeof NestedAppAuthModule>('../../src/addin/auth/nested-app-auth.js');
  return { createNestedAppAuth: jest.fn(actual.createNestedAppAuth) };
});
const loadedMsal = createNestedAppAuth as jest.MockedFunction<typeof createNestedAppAuth>;

const entra = {
  clientId: '11111111-2222-4333-8444-555555555555',
  authority: 'https://login.microsoftonline.com/organizations',
  apiScope: 'api://addin.contoso.com/11111111-2222-4333-8444-555555555555/access_as_user',
  graphScopes: ['Mail.Read', 'User.Read']
};
const base64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** MSAL reads the ID token's claims (it checks no signature): an unsigned token with Entra's claims. */
const idToken = [
  base64url({ alg: 'none', typ: 'JWT' }),
  base64url({
    aud: entra.clientId,
    iss: 'https://login.microsoftonline.com/72f988bf-0000-4000-8000-000000000001/v2.0',
    iat: 1_700_000_000,
    exp: 4_000_000_000,
    oid: '0a1b2c3d-0000-4000-8000-00000000a11a',
    tid: '72f988bf-0000-4000-8000-000000000001',
    preferred_username: 'ana.lopez@northwind.example',
    name: 'Ana López'
  }),
  'unsigned'
].join('.');
const tokens: BridgeTokens = {
  apiScope: entra.apiScope,
  apiToken: 'api-token-from-outlook',
  graphToken: 'graph-token-from-outlook',
  idToken,
  account: {
    homeAccountId: '0a1b2c3d-0000-4000-8000-00000000a11a.72f988bf-0000-4000-8000-000000000001',
    localAccountId: '0a1b2c3d-0000-4000-8000-00000000a11a',
    tenantId: '72f988bf-0000-4000-8000-000000000001',
    username: 'ana.lopez@northwind.example',
    name: 'Ana López'
  }
};

type Message = Record<string, unknown> & { tokenParams?: Record<string, unknown> };

/** Puts the Office stand-in's bridge on the window (a fresh one) and returns every message sent to it. */
function standInBridge(): Message[] {
  window.eval(nestedAppAuthBridgeScript(tokens));
  const bridge = (window as unknown as { nestedAppAuthBridge: { postMessage: (text: string) => void } })
    .nestedAppAuthBridge;
  const sent: Message[] = [];
  const post = bridge.postMessage;
  bridge.postMessage = (text) => {
    sent.push(JSON.parse(text) as Message);
    post(text);
  };
  return sent;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A message with what each request makes up (its ids, its time) checked and set aside. */
function withoutMadeUp(message: Message): Message {
  const { requestId, sendTime, tokenParams, ...rest } = message;
  expect(requestId).toMatch(GUID);
  expect(typeof sendTime).toBe('number');
  if (!tokenParams) return rest;
  const { correlationId, ...params } = tokenParams;
  expect(correlationId).toMatch(GUID);
  return { ...rest, tokenParams: params };
}

beforeEach(() => {
  window.sessionStorage.clear();
  jest.clearAllMocks();
  const host = window as unknown as Record<string, unknown>;
  delete host.nestedAppAuthBridge;
  delete host.__initializeNestedAppAuth;
});

test('the small client sends what MSAL sends, in the same order, and reads the same answers', async () => {
  const fromMsal = standInBridge();
  const msal = await createNestedAppAuth(entra, 'ana.lopez@northwind.example');
  const msalTokens = [await msal.acquire([entra.apiScope]), await msal.acquire(entra.graphScopes)];

  const fromClient = standInBridge();
  const client = createNaaBridgeClient(entra.clientId);
  const clientTokens = [await client.token([entra.apiScope]), await client.token(entra.graphScopes)];

  expect(clientTokens).toEqual(msalTokens);
  expect(clientTokens).toEqual([tokens.apiToken, tokens.graphToken]);
  expect(fromMsal.map((message) => message.method)).toEqual(['GetInitContext', 'GetToken', 'GetToken']);
  expect(fromClient.map(withoutMadeUp)).toEqual(fromMsal.map(withoutMadeUp));
  // The fields the host reads, spelled out (the comparison above already holds them to MSAL's).
  expect(fromClient[0]).toMatchObject({ messageType: 'NestedAppAuthRequest', method: 'GetInitContext' });
  expect(fromClient[1]?.tokenParams).toMatchObject({ clientId: entra.clientId, scope: entra.apiScope });
  expect(fromClient[2]?.tokenParams).toMatchObject({
    clientId: entra.clientId,
    scope: entra.graphScopes.join(' '),
    platformBrokerId: tokens.account.homeAccountId
  });
  // Neither names the authority or the login hint: MSAL's NAA request has no place for them here.
  for (const { tokenParams } of [...fromMsal, ...fromClient].filter((message) => message.tokenParams)) {
    expect(tokenParams).not.toHaveProperty('authority');
    expect(tokenParams).not.toHaveProperty('loginHint');
  }
});

/** A bridge answering each request with `answer(request)` a turn later (nothing when it returns undefined). */
function scriptedBridge(answer: (request: Message) => unknown): Message[] {
  const sent: Message[] = [];
  const listeners: Array<(answer: unknown) => void> = [];
  Object.assign(window, {
    nestedAppAuthBridge: {
      addEventListener: (_name: string, listener: (answer: unknown) => void) => listeners.push(listener),
      removeEventListener: () => undefined,
      postMessage: (text: string) => {
        const request = JSON.parse(text) as Message;
        sent.push(request);
        const reply = answer(request);
        if (reply !== undefined) setTimeout(() => listeners.forEach((listener) => listener(reply)), 0);
      }
    }
  });
  return sent;
}

/** What the stand-in answers, as a string (its own format) or wrapped as `{ data }` (the other one MSAL reads). */
function standInAnswer(request: Message): Record<string, unknown> {
  const base = { messageType: 'NestedAppAuthResponse', requestId: request.requestId, success: true };
  if (request.method === 'GetInitContext') return { ...base, initContext: { sdkName: 'test', sdkVersion: '1' } };
  const scope = String(request.tokenParams?.scope);
  return {
    ...base,
    token: { access_token: `token for ${scope}`, expires_in: 3600, id_token: idToken, properties: null, scope },
    account: { ...tokens.account, environment: 'login.microsoftonline.com' }
  };
}

const ENTRA: AddinConfig = { authMode: 'entra', apiBaseUrl: '', graphBaseUrl: 'https://graph.microsoft.com', entra };
const ana = { email: 'ana.lopez@northwind.example', name: 'Ana López' };
const refuse = (request: Message) => ({
  messageType: 'NestedAppAuthResponse',
  requestId: request.requestId,
  success: false,
  error: { status: 'USER_INTERACTION_REQUIRED', code: 'interaction_required', description: 'Consent needed.' }
});

describe('the pane in Entra mode', () => {
  test('gets its tokens through the bridge without loading MSAL; one request per scope, then kept', async () => {
    const sent = scriptedBridge((request) => JSON.stringify(standInAnswer(request)));
    const source = createTokenSource(ENTRA, ana);
    const first = await Promise.all([source.apiToken(), source.apiToken(), source.apiToken()]);
    expect(first).toEqual(Array(3).fill(`token for ${entra.apiScope}`));
    expect(await source.apiToken()).toBe(`token for ${entra.apiScope}`);
    expect(await source.graphToken()).toBe(`token for ${entra.graphScopes.join(' ')}`);
    expect(sent.map((message) => message.method)).toEqual(['GetInitContext', 'GetToken', 'GetToken']);
    expect(loadedMsal).not.toHaveBeenCalled();
  });

  test('answers wrapped as { data } are read too', async () => {
    scriptedBridge((request) => ({ data: JSON.stringify(standInAnswer(request)) }));
    expect(await createTokenSource(ENTRA, ana).apiToken()).toBe(`token for ${entra.apiScope}`);
    expect(loadedMsal).not.toHaveBeenCalled();
  });

  test("waits for the host's __initializeNestedAppAuth, which may be what puts the bridge there", async () => {
    Object.assign(window, {
      __initializeNestedAppAuth: async () => {
        scriptedBridge((request) => JSON.stringify(standInAnswer(request)));
      }
    });
    expect(await createTokenSource(ENTRA, ana).apiToken()).toBe(`token for ${entra.apiScope}`);
    expect(loadedMsal).not.toHaveBeenCalled();
  });

  test('the host refuses (interaction required): MSAL is loaded and offers the Sign in button; it answers from then on', async () => {
    const sent = scriptedBridge((request) =>
      JSON.stringify(request.method === 'GetToken' ? refuse(request) : standInAnswer(request))
    );
    const source = createTokenSource(ENTRA, ana);
    const error = await source.apiToken().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SignInRequiredError);
    expect((error as SignInRequiredError).signIn).toEqual(expect.any(Function));
    expect(loadedMsal).toHaveBeenCalledTimes(1);
    // The small client's two requests, then MSAL's own two.
    expect(sent.map((message) => message.method)).toEqual(['GetInitContext', 'GetToken', 'GetInitContext', 'GetToken']);

    await expect(source.graphToken()).rejects.toBeInstanceOf(SignInRequiredError);
    expect(sent.map((message) => message.method).slice(4)).toEqual(['GetToken']); // MSAL's alone
    expect(loadedMsal).toHaveBeenCalledTimes(1);
  });

  const shaped = (reshape: (answer: Record<string, unknown>) => unknown) => (request: Message) =>
    request.method === 'GetToken' ? reshape(standInAnswer(request)) : JSON.stringify(standInAnswer(request));
  test.each([
    ['no bridge at all', null],
    [
      'an answer without an ID token',
      shaped((a) => JSON.stringify({ ...a, token: { access_token: 'a', expires_in: 9 } }))
    ],
    ['an answer without an account', shaped((a) => JSON.stringify({ ...a, account: undefined }))],
    [
      'an answer without an expiry',
      shaped((a) => JSON.stringify({ ...a, token: { access_token: 'a', id_token: idToken } }))
    ],
    ['an answer that is not JSON', shaped(() => 'not JSON')],
    ['an answer for another request', shaped((a) => JSON.stringify({ ...a, requestId: 'another' }))]
  ] as const)('%s: MSAL answers instead', async (_case, answer) => {
    jest.useFakeTimers();
    try {
      if (answer) scriptedBridge(answer);
      loadedMsal.mockResolvedValueOnce({ acquire: async () => 'token from MSAL' });
      const token = createTokenSource(ENTRA, ana).apiToken();
      await jest.advanceTimersByTimeAsync(BRIDGE_WAIT_MS.GetToken);
      expect(await token).toBe('token from MSAL');
    } finally {
      jest.useRealTimers();
    }
  });

  test('a host whose initialization fails: MSAL answers instead', async () => {
    Object.assign(window, { __initializeNestedAppAuth: () => Promise.reject(new Error('not in a NAA host')) });
    loadedMsal.mockResolvedValueOnce({ acquire: async () => 'token from MSAL' });
    expect(await createTokenSource(ENTRA, ana).apiToken()).toBe('token from MSAL');
  });

  test(`no answer: MSAL is asked after ${BRIDGE_WAIT_MS.GetInitContext} ms, not before`, async () => {
    jest.useFakeTimers();
    try {
      const sent = scriptedBridge(() => undefined);
      loadedMsal.mockResolvedValueOnce({ acquire: async () => 'token from MSAL' });
      const token = createTokenSource(ENTRA, ana).apiToken();
      await jest.advanceTimersByTimeAsync(BRIDGE_WAIT_MS.GetInitContext - 1);
      expect(loadedMsal).not.toHaveBeenCalled();
      await jest.advanceTimersByTimeAsync(1);
      expect(await token).toBe('token from MSAL');
      expect(sent.map((message) => message.method)).toEqual(['GetInitContext']);
    } finally {
      jest.useRealTimers();
    }
  });
});
