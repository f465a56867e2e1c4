/*
 * The silent sign-in of the pane's first load, without MSAL: a small client of Outlook's nested app authentication
 * bridge (`window.nestedAppAuthBridge`) that asks for a token the way MSAL's own NAA path does (GetInitContext once,
 * then GetToken per scope, in MSAL's envelope) and accepts only a plain success.
 *
 * Why not MSAL here: its NAA path pulls in its whole PublicClientApplication and StandardController (about 67 KB
 * brotli), which put the pane's first load in production over its 150 KB budget (docs/PERFORMANCE.md). This replaces
 * MSAL for that one request only. Anything else (no bridge, an error answer, an answer it does not recognize, no
 * answer in time) rejects with BridgeDoubt, and the caller then asks MSAL, which handles every case (interaction
 * required, the popup, the Office dialog, hosts without NAA). test/addin/naa-bridge.test.ts holds the messages to
 * MSAL's own: it runs real MSAL on the same bridge and compares what each sends.
 */

/** Outlook's side of NAA: messages are JSON strings, answers arrive as strings or as `{ data }`. */
interface AuthBridge {
  addEventListener(name: 'message', listener: (answer: string | { data: string }) => void): void;
  postMessage(message: string): void;
}

interface HostWindow {
  nestedAppAuthBridge?: AuthBridge;
  /** Set by some hosts to make the bridge ready; MSAL awaits it first, and so does this. */
  __initializeNestedAppAuth?: () => Promise<void>;
}

/** The bridge cannot be trusted with this request: ask MSAL instead. */
export class BridgeDoubt extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BridgeDoubt';
  }
}

export interface NaaBridgeClient {
  /** A token for `scopes` from Outlook without prompting, or a BridgeDoubt. */
  token(scopes: string[]): Promise<string>;
}

type Answer = Record<string, unknown>;

/*
 * What MSAL 5 puts around every bridge request and into every token request (its NestedAppAuthAdapter and
 * RequestParameterBuilder.buildMergedClaims: the default optional ID token claims). The host may read them, so they
 * are sent as MSAL sends them; the oracle test fails when an MSAL update changes them.
 */
const ENVELOPE = { clientLibrary: 'msal.js.browser', clientLibraryVersion: '5.29.0' } as const;
const OPTIONAL = { essential: false };
const DEFAULT_CLAIMS = JSON.stringify({
  id_token: { signin_state: OPTIONAL, login_hint: OPTIONAL, tenant_region_sub_scope: OPTIONAL }
});

/**
 * GetInitContext is answered by the host itself: an Outlook that speaks the protocol answers at once, so a short wait
 * tells one that does not. GetToken may go to Microsoft Entra ID over the network first.
 */
export const BRIDGE_WAIT_MS = { GetInitContext: 2_000, GetToken: 10_000 } as const;
const EXPIRY_MARGIN_MS = 60_000;

const isObject = (value: unknown): value is Answer => typeof value === 'object' && value !== null;
const nonEmpty = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

/** What a successful GetToken must hold for MSAL to accept it, and more: an expiry and the account's id. */
function tokenFrom(answer: Answer): { accessToken: string; expiresIn: number; homeAccountId: string } {
  const { token, account } = answer;
  if (
    isObject(token) &&
    nonEmpty(token.access_token) &&
    nonEmpty(token.id_token) &&
    typeof token.expires_in === 'number' &&
    token.expires_in > 0 &&
    isObject(account) &&
    nonEmpty(account.homeAccountId) &&
    nonEmpty(account.environment)
  ) {
    return { accessToken: token.access_token, expiresIn: token.expires_in, homeAccountId: account.homeAccountId };
  }
  throw new BridgeDoubt('The bridge answered GetToken in a shape this client does not know.');
}

export function createNaaBridgeClient(clientId: string): NaaBridgeClient {
  const waiting = new Map<string, (answer: Answer) => void>();
  const hear = (message: string | { data: string }) => {
    let answer: unknown;
    try {
      answer = JSON.parse(typeof message === 'string' ? message : message.data);
    } catch {
      return; // not an answer that names one of our requests: the wait runs out
    }
    if (isObject(answer) && typeof answer.requestId === 'string') waiting.get(answer.requestId)?.(answer);
  };

  const ask = (bridge: AuthBridge, method: keyof typeof BRIDGE_WAIT_MS, fields: Answer = {}) =>
    new Promise<Answer>((resolve, reject) => {
      const requestId = crypto.randomUUID();
      const timer = setTimeout(() => {
        waiting.delete(requestId);
        reject(new BridgeDoubt(`The bridge did not answer ${method} within ${BRIDGE_WAIT_MS[method]} ms.`));
      }, BRIDGE_WAIT_MS[method]);
      waiting.set(requestId, (answer) => {
        clearTimeout(timer);
        waiting.delete(requestId);
        if (answer.success === true) resolve(answer);
        else reject(new BridgeDoubt(`The bridge refused ${method}.`));
      });
      const request = { messageType: 'NestedAppAuthRequest', method, requestId, sendTime: Date.now(), ...ENVELOPE };
      bridge.postMessage(JSON.stringify({ ...request, ...fields }));
    });

  const connect = async (): Promise<AuthBridge> => {
    const host = window as unknown as HostWindow;
    if (typeof host.__initializeNestedAppAuth === 'function') await host.__initializeNestedAppAuth();
    const bridge = host.nestedAppAuthBridge;
    if (!bridge) throw new BridgeDoubt('Outlook offers no nested app authentication bridge here.');
    bridge.addEventListener('message', hear);
    const { initContext } = await ask(bridge, 'GetInitContext');
    if (!isObject(initContext)) throw new BridgeDoubt('The bridge answered GetInitContext without a context.');
    return bridge;
  };

  let connected: Promise<AuthBridge> | null = null;
  let homeAccountId: string | undefined;
  const tokens = new Map<string, Promise<{ accessToken: string; expiresAt: number }>>();

  const fetchToken = async (scopes: string[]) => {
    connected ??= connect();
    const bridge = await connected;
    const tokenParams = {
      // MSAL names the account once it knows it (from the first answer), as its silent request does.
      ...(homeAccountId ? { platformBrokerId: homeAccountId } : {}),
      clientId,
      scope: scopes.join(' '),
      correlationId: crypto.randomUUID(),
      claims: DEFAULT_CLAIMS,
      authenticationScheme: 'Bearer',
      extraParameters: {}
    };
    const requestedAt = Date.now();
    const token = tokenFrom(await ask(bridge, 'GetToken', { tokenParams }));
    homeAccountId = token.homeAccountId;
    return { accessToken: token.accessToken, expiresAt: requestedAt + token.expiresIn * 1000 - EXPIRY_MARGIN_MS };
  };

  return {
    async token(scopes) {
      const key = [...scopes].sort().join(' ');
      const known = tokens.get(key);
      if (known) {
        const current = await known;
        if (current.expiresAt > Date.now()) return current.accessToken;
      }
      // One request per scope at a time: the pane's first requests all ask for the API's token together.
      const next = fetchToken(scopes).catch((error: unknown) => {
        tokens.delete(key);
        throw error instanceof BridgeDoubt ? error : new BridgeDoubt(String(error));
      });
      tokens.set(key, next);
      return (await next).accessToken;
    }
  };
}
