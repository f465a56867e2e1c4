import { ConfidentialClientApplication, type Configuration } from '@azure/msal-node';

/*
 * App-only access to the shared mailbox: the client-credentials flow of an app registration whose mail
 * permission an Exchange admin scoped to that one mailbox (RBAC for Applications). The secret or the
 * certificate's private key comes from the environment and is never stored or logged. MSAL keeps the
 * token in memory until shortly before it expires.
 *
 * The seeds' way (a non-personal member account with delegated Mail.ReadWrite.Shared) would need a stored
 * refresh token or the account's password; app-only needs neither, which is why it is the one built here.
 */

export interface AppCredentials {
  clientId: string;
  clientSecret?: string | undefined;
  certificate?: { thumbprintSha256: string; privateKey: string; x5c?: string | undefined } | undefined;
  /** https://login.microsoftonline.com unless told otherwise (sovereign clouds, test stand-ins). */
  authorityHost?: string | undefined;
}

export type TokenSource = () => Promise<string>;

/** MSAL's configuration for one tenant of the multi-tenant app registration. */
export function msalConfiguration(credentials: AppCredentials, tenantId: string): Configuration {
  const authorityHost = (credentials.authorityHost ?? 'https://login.microsoftonline.com').replace(/\/+$/, '');
  return {
    auth: {
      clientId: credentials.clientId,
      authority: `${authorityHost}/${tenantId}`,
      ...(credentials.clientSecret ? { clientSecret: credentials.clientSecret } : {}),
      ...(credentials.certificate ? { clientCertificate: credentials.certificate } : {})
    }
  };
}

/** `scope` is Graph's resource with /.default: https://graph.microsoft.com/.default in the global cloud. */
export function appOnlyTokenSource(configuration: Configuration, scope: string): TokenSource {
  const application = new ConfidentialClientApplication(configuration);
  const scopes = [scope];
  // MSAL caches too, but asking its cache costs more than a Graph request to a fast mailbox: the token is
  // kept here until five minutes before it expires (MSAL would renew it about then as well).
  let held: { token: string; renewAt: number } | null = null;
  let asking: Promise<string> | null = null;
  const ask = async () => {
    const result = await application.acquireTokenByClientCredential({ scopes });
    if (!result?.accessToken) throw new Error('No access token for the shared mailbox.');
    const expiresAt = result.expiresOn?.getTime() ?? Date.now();
    held = { token: result.accessToken, renewAt: expiresAt - RENEW_BEFORE_EXPIRY_MS };
    return result.accessToken;
  };
  return () => {
    if (held && Date.now() < held.renewAt) return Promise.resolve(held.token);
    asking ??= ask().finally(() => {
      asking = null;
    });
    return asking;
  };
}

const RENEW_BEFORE_EXPIRY_MS = 5 * 60_000;
