/*
 * Outlook's side of nested app authentication, for browser runs in Entra mode: Outlook gives the pane's window a
 * `nestedAppAuthBridge`, through which MSAL asks the host for tokens (GetInitContext, then GetToken per scope); the
 * host answers from its own sign-in. This one answers with tokens handed to it (a local issuer's, see
 * test/helpers/entra-issuer.ts), a turn of the event loop later, as a message; it never signs anyone in
 * interactively. MSAL's envelope types: @azure/msal-browser src/naa/.
 *
 * It is page script text, for `addInitScript`: it must be on the window before the pane's MSAL chunk starts.
 */

export interface BridgeTokens {
  /** The API's full scope (AddinConfig.entra.apiScope): a GetToken naming it gets `apiToken`. */
  apiScope: string;
  apiToken: string;
  /** What any other GetToken (Graph's scopes) gets. */
  graphToken: string;
  idToken: string;
  account: { homeAccountId: string; localAccountId: string; tenantId: string; username: string; name: string };
}

/** `interactionRequired`: Outlook would have to ask the user (consent, a new sign-in), so every GetToken is refused. */
export function nestedAppAuthBridgeScript(
  tokens: BridgeTokens,
  options: { interactionRequired?: boolean } = {}
): string {
  return `(() => {
  const tokens = ${JSON.stringify(tokens)};
  const interactionRequired = ${options.interactionRequired === true};
  const listeners = [];
  const answer = (request) => {
    const base = { messageType: 'NestedAppAuthResponse', requestId: request.requestId };
    if (request.method === 'GetInitContext') {
      return { ...base, success: true, initContext: { sdkName: 'office-stand-in', sdkVersion: '1.0.0', capabilities: { queryAccount: false } } };
    }
    if (request.method === 'GetToken' && !interactionRequired) {
      const scope = (request.tokenParams && request.tokenParams.scope) || '';
      const token = scope.split(' ').includes(tokens.apiScope) ? tokens.apiToken : tokens.graphToken;
      return {
        ...base,
        success: true,
        token: { access_token: token, expires_in: 3600, id_token: tokens.idToken, properties: null, scope },
        account: { ...tokens.account, environment: 'login.microsoftonline.com' }
      };
    }
    return { ...base, success: false, error: { status: 'USER_INTERACTION_REQUIRED', description: 'The stand-in signs no one in.' } };
  };
  window.nestedAppAuthBridge = {
    addEventListener: (name, listener) => { if (name === 'message') listeners.push(listener); },
    removeEventListener: (name, listener) => {
      const at = listeners.indexOf(listener);
      if (at >= 0) listeners.splice(at, 1);
    },
    postMessage: (text) => {
      const response = JSON.stringify(answer(JSON.parse(text)));
      setTimeout(() => listeners.forEach((listener) => listener(response)), 0);
    }
  };
})();`;
}
