import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { GraphError } from './errors.js';

/*
 * The sign-in side: a minimal Microsoft Entra ID (v2.0 endpoint) for the client-credentials grant, and the
 * check Graph makes of the bearer token on every request.
 *
 * - POST /{tenant}/oauth2/v2.0/token with client_id, client_secret, scope=https://graph.microsoft.com/.default,
 *   grant_type=client_credentials → { token_type: 'Bearer', expires_in, ext_expires_in, access_token }.
 *   Failures in Entra's shape: { error, error_description: 'AADSTSnnn: ...', error_codes, timestamp,
 *   trace_id, correlation_id, error_uri }.
 * - GET /{tenant}/v2.0/.well-known/openid-configuration: the metadata MSAL reads to find the token endpoint.
 * - Tokens look like Entra's app-only Graph tokens (a JWT with aud, tid, appid, roles, idtyp=app, exp), but
 *   Graph here accepts exactly the tokens this service issued and has not expired.
 */

export interface AppRegistration {
  clientId: string;
  clientSecret: string;
  displayName?: string;
  /** Application permissions granted (admin-consented) on Graph. Default: ['Mail.ReadWrite']. */
  roles?: string[];
}

/** Who a token speaks for: an app (app-only, by its roles), or a signed-in user through an app (delegated). */
export interface GraphPrincipal {
  appId: string;
  tenantId: string;
  /** Application permissions, or for a delegated token the permissions the user granted. */
  roles: string[];
  /** Delegated tokens only: the signed-in user's mailbox (address or user id), which /me names. */
  me?: string;
}

export interface TokenFailure {
  /** HTTP status of the failed token response. Default 500. */
  status?: number;
  /** OAuth error code. Default 'temporarily_unavailable'. */
  error?: string;
  /** Default: a transient-error text with its AADSTS code. */
  description?: string;
  /**
   * Retry-After seconds on the failure (default 1; null: no header). MSAL remembers a 429/5xx token
   * answer and refuses the same request locally until Retry-After has passed, 60 s when there is none.
   */
  retryAfterSeconds?: number | null;
}

export interface TokenStats {
  tokenRequests: number;
  tokensIssued: number;
  tokenFailures: number;
}

interface IssuedToken {
  principal: GraphPrincipal;
  expiresAt: number;
}

export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

const GRAPH_RESOURCE = 'https://graph.microsoft.com';
const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
const GRAPH_SCOPES = [`${GRAPH_RESOURCE}/.default`, `${GRAPH_APP_ID}/.default`];
const MULTI_TENANT = ['common', 'organizations', 'consumers'];

const base64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');
const entraTimestamp = () =>
  new Date()
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, 'Z');

/** An error Entra answers a token request with: HTTP status, OAuth error, AADSTS code and text. */
interface EntraRefusal {
  status: number;
  error: string;
  code: number;
  text: string;
  headers?: Record<string, string>;
}

const refusal = (status: number, error: string, code: number, text: string): EntraRefusal => ({
  status,
  error,
  code,
  text
});

export class TokenService {
  readonly stats: TokenStats = { tokenRequests: 0, tokensIssued: 0, tokenFailures: 0 };
  private readonly issued = new Map<string, IssuedToken>();
  private readonly signingKey = randomBytes(32);
  private failures: { remaining: number; failure: TokenFailure }[] = [];

  constructor(
    readonly tenantId: string,
    private readonly tenantDomains: string[],
    private readonly apps: AppRegistration[],
    private readonly lifetimeSeconds: () => number
  ) {}

  isTenant(segment: string): boolean {
    const lower = segment.toLowerCase();
    return lower === this.tenantId.toLowerCase() || this.tenantDomains.some((d) => d.toLowerCase() === lower);
  }

  failTokens(count: number, failure: TokenFailure = {}): void {
    if (count > 0) this.failures.push({ remaining: count, failure });
  }

  /** Every token issued so far is expired from now on (Graph answers 401 InvalidAuthenticationToken). */
  expireTokens(): void {
    for (const token of this.issued.values()) token.expiresAt = Date.now() - 1000;
  }

  private entraError(
    status: number,
    error: string,
    code: number,
    text: string,
    correlationId: string,
    headers: Record<string, string> = {}
  ): HttpAnswer {
    const traceId = randomUUID();
    const timestamp = entraTimestamp();
    return {
      status,
      headers: { 'cache-control': 'no-store, no-cache', pragma: 'no-cache', ...headers },
      body: {
        error,
        error_description: `AADSTS${code}: ${text} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
        error_codes: [code],
        timestamp,
        trace_id: traceId,
        correlation_id: correlationId,
        error_uri: `https://login.microsoftonline.com/error?code=${code}`
      }
    };
  }

  /** POST /{tenant}/oauth2/v2.0/token */
  token(tenantSegment: string, form: URLSearchParams, clientRequestId: string | undefined): HttpAnswer {
    this.stats.tokenRequests += 1;
    const checked = this.injectedFailure() ?? this.checkRequest(tenantSegment, form);
    if ('error' in checked) {
      this.stats.tokenFailures += 1;
      const { status, error, code, text, headers } = checked;
      return this.entraError(status, error, code, text, clientRequestId ?? randomUUID(), headers);
    }
    return this.issue(checked);
  }

  /** The next failure a test injected, if any is left. */
  private injectedFailure(): EntraRefusal | null {
    const injected = this.failures[0];
    if (!injected) return null;
    injected.remaining -= 1;
    if (injected.remaining <= 0) this.failures.shift();
    const { status = 500, error = 'temporarily_unavailable', retryAfterSeconds = 1 } = injected.failure;
    const text = injected.failure.description ?? 'A transient error has occurred. Please try again.';
    const headers: Record<string, string> =
      retryAfterSeconds === null ? {} : { 'retry-after': String(retryAfterSeconds) };
    return { status, error, code: 90033, text, headers };
  }

  /** Entra's checks of a client-credentials request, in its order: the app it signs in, or the refusal. */
  private checkRequest(tenantSegment: string, form: URLSearchParams): AppRegistration | EntraRefusal {
    if (MULTI_TENANT.includes(tenantSegment.toLowerCase())) {
      return refusal(
        400,
        'invalid_request',
        7000218,
        `The client credentials grant needs a tenant-specific authority, not '${tenantSegment}'.`
      );
    }
    if (!this.isTenant(tenantSegment)) {
      return refusal(
        400,
        'invalid_tenant',
        90002,
        `Tenant '${tenantSegment}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`
      );
    }
    const grantType = form.get('grant_type');
    if (grantType !== 'client_credentials') {
      return refusal(
        400,
        'unsupported_grant_type',
        70003,
        `The app requested an unsupported grant type '${grantType ?? ''}'.`
      );
    }
    return this.checkClient(form);
  }

  private checkClient(form: URLSearchParams): AppRegistration | EntraRefusal {
    const clientId = form.get('client_id') ?? '';
    const app = this.apps.find((a) => a.clientId.toLowerCase() === clientId.toLowerCase());
    if (!app) {
      return refusal(
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${this.tenantId}'.`
      );
    }
    const secret = form.get('client_secret');
    if (secret === null) {
      return refusal(
        401,
        'invalid_client',
        7000216,
        "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type."
      );
    }
    if (secret !== app.clientSecret) {
      return refusal(
        401,
        'invalid_client',
        7000215,
        'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.'
      );
    }
    const scopes = (form.get('scope') ?? '').split(' ').filter(Boolean);
    if (scopes.length !== 1 || !GRAPH_SCOPES.includes(scopes[0] ?? '')) {
      return refusal(
        400,
        'invalid_scope',
        1002012,
        `The provided value for scope ${scopes.join(' ')} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`
      );
    }

    return app;
  }

  /** A signed token for the app, remembered for Graph's check. */
  private issue(app: AppRegistration): HttpAnswer {
    const lifetime = this.lifetimeSeconds();
    const now = Math.floor(Date.now() / 1000);
    const principal: GraphPrincipal = {
      appId: app.clientId,
      tenantId: this.tenantId,
      roles: app.roles ?? ['Mail.ReadWrite']
    };
    const header = base64url(JSON.stringify({ typ: 'JWT', alg: 'RS256', kid: 'graph-mailbox-stand-in' }));
    const payload = base64url(
      JSON.stringify({
        aud: GRAPH_RESOURCE,
        iss: `https://sts.windows.net/${this.tenantId}/`,
        iat: now,
        nbf: now,
        exp: now + lifetime,
        app_displayname: app.displayName ?? 'Interaction log processor',
        appid: app.clientId,
        appidacr: '1',
        idp: `https://sts.windows.net/${this.tenantId}/`,
        idtyp: 'app',
        oid: randomUUID(),
        roles: principal.roles,
        sub: randomUUID(),
        tid: this.tenantId,
        uti: randomBytes(16).toString('base64url'),
        ver: '1.0'
      })
    );
    const signature = createHmac('sha256', this.signingKey).update(`${header}.${payload}`).digest('base64url');
    const accessToken = `${header}.${payload}.${signature}`;
    this.issued.set(accessToken, { principal, expiresAt: (now + lifetime) * 1000 });
    this.stats.tokensIssued += 1;
    return {
      status: 200,
      headers: { 'cache-control': 'no-store, no-cache', pragma: 'no-cache' },
      body: { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: accessToken }
    };
  }

  /** GET /{tenant}/v2.0/.well-known/openid-configuration, with this service's own endpoints. */
  openIdConfiguration(origin: string, tenantSegment: string): HttpAnswer {
    const multi = MULTI_TENANT.includes(tenantSegment.toLowerCase());
    if (!multi && !this.isTenant(tenantSegment)) {
      return this.entraError(
        400,
        'invalid_tenant',
        90002,
        `Tenant '${tenantSegment}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`,
        randomUUID()
      );
    }
    const tenant = multi ? tenantSegment : this.tenantId;
    const issuerTenant = multi ? '{tenantid}' : this.tenantId;
    return {
      status: 200,
      headers: { 'cache-control': 'max-age=86400, private' },
      body: {
        token_endpoint: `${origin}/${tenant}/oauth2/v2.0/token`,
        token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
        jwks_uri: `${origin}/${tenant}/discovery/v2.0/keys`,
        response_modes_supported: ['query', 'fragment', 'form_post'],
        subject_types_supported: ['pairwise'],
        id_token_signing_alg_values_supported: ['RS256'],
        response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
        scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
        issuer: `${origin}/${issuerTenant}/v2.0`,
        request_uri_parameter_supported: false,
        userinfo_endpoint: `${origin}/oidc/userinfo`,
        authorization_endpoint: `${origin}/${tenant}/oauth2/v2.0/authorize`,
        device_authorization_endpoint: `${origin}/${tenant}/oauth2/v2.0/devicecode`,
        http_logout_supported: true,
        frontchannel_logout_supported: true,
        end_session_endpoint: `${origin}/${tenant}/oauth2/v2.0/logout`,
        claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'auth_time', 'nonce', 'tid', 'ver', 'oid'],
        tenant_region_scope: 'EU',
        cloud_instance_name: 'microsoftonline.com',
        cloud_graph_host_name: 'graph.windows.net',
        msgraph_host: 'graph.microsoft.com',
        rbac_url: 'https://pas.windows.net'
      }
    };
  }

  /** Graph's check of `Authorization: Bearer ...`. */
  authenticate(authorization: string | undefined): GraphPrincipal {
    const token = bearerToken(authorization);
    if (token.split('.').length !== 3) {
      throw new GraphError(
        401,
        'InvalidAuthenticationToken',
        'IDX14100: JWT is not well formed, there are no dots (.).'
      );
    }
    const issued = this.issued.get(token);
    if (!issued) throw new GraphError(401, 'InvalidAuthenticationToken', 'Access token validation failure.');
    if (issued.expiresAt <= Date.now()) {
      throw new GraphError(401, 'InvalidAuthenticationToken', 'Lifetime validation failed, the token is expired.');
    }
    return issued.principal;
  }
}

/** The token of `Authorization: Bearer <token>`, or Graph's 401 when there is none. */
export function bearerToken(authorization: string | undefined): string {
  const token = authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1] : undefined;
  if (!token) throw new GraphError(401, 'InvalidAuthenticationToken', 'Access token is empty.');
  return token;
}

/** The WWW-Authenticate header Graph sends with a 401. */
export const GRAPH_WWW_AUTHENTICATE = `Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="${GRAPH_APP_ID}"`;
