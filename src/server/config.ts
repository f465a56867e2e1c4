import { isGuid } from '../shared/guid.js';
import { existsSync } from 'node:fs';
import { isIP } from 'node:net';

/*
 * Configuration comes only from the environment and is checked once at start. Every problem is
 * reported at once, each with what to set, so an operator fixes them in one go.
 */

export type AuthMode = 'dev' | 'entra';
export type LogFormat = 'pretty' | 'json';

export interface EntraConfig {
  audience: string;
  scope: string;
  addinClientId: string;
  allowedTenants: string[];
  jwksUrl: string;
}

export interface Config {
  port: number;
  host: string;
  databaseUrl: string;
  authMode: AuthMode;
  seedDemo: boolean;
  nodeEnv: string;
  https: boolean;
  entra: EntraConfig | null;
  /** The only origin allowed by CORS (the pane's, when it is served from elsewhere). */
  addinOrigin: string | null;
  logLevel: string;
  /** `pretty`: one short line per request and errors in full, for people (development); `json`: one JSON object a line. */
  logFormat: LogFormat;
  /** App-only access to the tenants' shared mailboxes; null when not configured (no automatic logging). */
  mailbox: MailboxAccessConfig | null;
  /**
   * The https origin at which Microsoft Graph reaches this API (PUBLIC_URL): it switches on change notifications
   * (POST /api/v1/graph/notifications and /lifecycle); null: the processor polls only.
   */
  publicUrl: string | null;
  /** Requests per minute and instance: per signed-in user, and per tenant. */
  rateLimits: { userPerMinute: number; tenantPerMinute: number };
  /** Memory for serialized history pages (embedded store only); 0 turns the cache off. */
  historyCacheBytes: number;
  /**
   * Which proxies' X-Forwarded-* headers to believe (Fastify's trustProxy): none, all, or those at these
   * addresses and CIDR ranges. Behind TLS termination it makes request.ip and request.protocol the client's.
   */
  trustProxy: boolean | string[];
  /** On SIGTERM, how long /readyz answers 503 while requests are still served, so the load balancer moves away. */
  shutdownDrainMs: number;
  /** How long a shutdown may take in all before the process exits with failure. */
  shutdownTimeoutMs: number;
  /**
   * The longest a client may take to send a whole request (headers and body), and the longest a connection may
   * stay silent: a slow or stalled client loses its socket past it.
   */
  requestTimeoutMs: number;
  /** Open connections one client address may hold at once (0: no bound). */
  maxConnectionsPerAddress: number;
}

export interface MailboxAccessConfig {
  clientId: string;
  clientSecret: string | null;
  certificate: { privateKeyFile: string; thumbprintSha256: string } | null;
  graphBaseUrl: string;
  /** Graph's resource scope for app-only tokens. */
  graphScope: string;
  authorityHost: string;
  /** Whether this instance runs the scheduled processor (every instance may; leases keep one per mailbox). */
  schedule: boolean;
  /**
   * Mailbox runs at once in this instance (MAILBOX_CONCURRENCY, default 32); the others wait their turn. Runs mostly
   * wait on the store and Graph: 8 made 1,000 tenants' notifications queue (docs/PERFORMANCE.md).
   */
  concurrency: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`The server cannot start until its configuration is fixed:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export const DEFAULT_DATABASE_URL = './data/interaction-log.sqlite';
export const DEFAULT_JWKS_URL = 'https://login.microsoftonline.com/common/discovery/v2.0/keys';
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const NODE_ENVS = ['development', 'production', 'test'];
const SCOPE_NAME = /^[A-Za-z0-9._-]{1,100}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/i;

/** An IPv4/IPv6 address, or one with a /prefix length that fits it. */
function isAddressOrRange(text: string): boolean {
  const [address = '', prefix, ...rest] = text.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

type Env = Record<string, string | undefined>;

/** Reads settings from the environment; every problem is collected, so one start names them all. */
function envReader(env: Env, problems: string[]) {
  const value = (name: string) => {
    const raw = env[name]?.trim();
    return raw === undefined || raw === '' ? undefined : raw;
  };
  return {
    problems,
    value,
    bool(name: string, fallback: boolean) {
      const raw = value(name);
      if (raw === undefined) return fallback;
      if (raw === 'true' || raw === 'false') return raw === 'true';
      problems.push(`${name} must be "true" or "false" (got "${raw}").`);
      return fallback;
    },
    url(name: string, fallback?: string) {
      const raw = value(name) ?? fallback;
      if (raw === undefined) return undefined;
      try {
        const parsed = new URL(raw);
        if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error('not http');
        return raw;
      } catch {
        problems.push(`${name} must be an http(s) URL (got "${raw}").`);
        return undefined;
      }
    },
    perMinute(name: string, fallback: number) {
      const raw = value(name) ?? String(fallback);
      if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 100_000_000) {
        problems.push(`${name} must be a whole number of requests per minute from 1 to 100000000 (got "${raw}").`);
        return fallback;
      }
      return Number(raw);
    },
    /** A whole number from `min` to `max`. */
    count(name: string, fallback: number, min: number, max: number) {
      const raw = value(name);
      if (raw === undefined) return fallback;
      if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
        problems.push(`${name} must be a whole number from ${min} to ${max} (got "${raw}").`);
        return fallback;
      }
      return Number(raw);
    },
    /** A number of seconds from `min` to an hour, in milliseconds. */
    seconds(name: string, fallback: number, min: number) {
      const raw = value(name);
      if (raw === undefined) return fallback * 1000;
      if (!/^\d+(\.\d+)?$/.test(raw) || Number(raw) < min || Number(raw) > 3600) {
        problems.push(`${name} must be a number of seconds from ${min} to 3600 (got "${raw}").`);
        return fallback * 1000;
      }
      return Number(raw) * 1000;
    }
  };
}

type EnvReader = ReturnType<typeof envReader>;

export function loadConfig(env: Env = process.env): Config {
  const read = envReader(env, []);
  const base = baseSettings(read);
  const entra = base.authMode === 'entra' ? entraSettings(read) : null;
  const addinOrigin = read.url('ADDIN_ORIGIN') ?? null;
  const mailbox = mailboxSettings(read);
  const publicUrl = publicUrlSetting(read.value('PUBLIC_URL'), base.nodeEnv === 'production', read.problems);
  const historyCacheText = read.value('HISTORY_CACHE_MB') ?? '32';
  const historyCacheMegabytes = Number(historyCacheText);
  if (!/^\d+$/.test(historyCacheText) || historyCacheMegabytes > 4096) {
    read.problems.push(
      `HISTORY_CACHE_MB must be a whole number of megabytes from 0 to 4096 (got "${historyCacheText}").`
    );
  }
  const rateLimits = {
    userPerMinute: read.perMinute('RATE_LIMIT_USER_PER_MINUTE', 1200),
    tenantPerMinute: read.perMinute('RATE_LIMIT_TENANT_PER_MINUTE', 30_000)
  };
  const logging = loggingSettings(read, base.nodeEnv);
  const connections = connectionSettings(read);
  const config: Config = {
    ...base,
    authMode: base.authMode ?? 'entra',
    seedDemo: read.bool('SEED_DEMO', base.authMode === 'dev'),
    entra,
    addinOrigin: addinOrigin === null ? null : new URL(addinOrigin).origin,
    ...logging,
    mailbox,
    publicUrl,
    rateLimits,
    historyCacheBytes: historyCacheMegabytes * 1024 * 1024,
    ...connections
  };
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  return config;
}

/** Where and how the server runs: environment, address, authentication mode, TLS, database. */
function baseSettings(read: EnvReader) {
  const { value, problems } = read;
  const nodeEnv = value('NODE_ENV') ?? 'development';
  const production = nodeEnv === 'production';
  // A misspelt "production" would otherwise fall back to dev mode, which mints tokens for anyone.
  if (!NODE_ENVS.includes(nodeEnv)) {
    problems.push(`NODE_ENV must be one of ${NODE_ENVS.join(', ')} (got "${nodeEnv}").`);
  }

  const host = value('HOST') ?? 'localhost';
  if (!/^[A-Za-z0-9.:%-]+$/.test(host)) {
    problems.push(`HOST must be an address or host name to listen on, such as 0.0.0.0 (got "${host}").`);
  }

  const portText = value('PORT') ?? '3000';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 0 || port > 65535) {
    problems.push(`PORT must be a whole number from 0 to 65535 (got "${portText}").`);
  }

  const authModeText = value('AUTH_MODE') ?? (production ? 'entra' : 'dev');
  const authMode: AuthMode | null = authModeText === 'dev' || authModeText === 'entra' ? authModeText : null;
  if (authMode === null) problems.push(`AUTH_MODE must be "dev" or "entra" (got "${authModeText}").`);
  const https = read.bool('HTTPS', false);
  if (https && production) {
    problems.push(
      'HTTPS=true serves local development certificates and is refused when NODE_ENV=production: terminate TLS at ' +
        'the load balancer or reverse proxy, leave HTTPS unset, and set TRUST_PROXY.'
    );
  }
  if (authMode === 'dev' && production) {
    problems.push(
      'AUTH_MODE=dev is refused when NODE_ENV=production: it would let anyone mint tokens. Use AUTH_MODE=entra.'
    );
  }

  const databaseUrl = value('DATABASE_URL') ?? DEFAULT_DATABASE_URL;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(databaseUrl) && !/^(postgres(ql)?|file):\/\//i.test(databaseUrl)) {
    problems.push(
      `DATABASE_URL must be a SQLite file path, a file: URL or a postgres:// URL (got "${databaseUrl.split('://')[0]}://...").`
    );
  }
  return { nodeEnv, host, port, authMode, https, databaseUrl };
}

/** Entra ID sign-in: the API's audience and scope, the add-in's client id, the tenants let in. */
function entraSettings(read: EnvReader): EntraConfig {
  const { value, problems } = read;
  const audience = value('ENTRA_API_AUDIENCE');
  const addinClientId = value('ENTRA_ADDIN_CLIENT_ID');
  const tenants = (value('ENTRA_ALLOWED_TENANTS') ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  if (!audience) problems.push("ENTRA_API_AUDIENCE is required in entra mode: the API's App ID URI or client id.");
  if (!addinClientId)
    problems.push("ENTRA_ADDIN_CLIENT_ID is required in entra mode: the add-in's application (client) id.");
  else if (!isGuid(addinClientId)) problems.push(`ENTRA_ADDIN_CLIENT_ID must be a GUID (got "${addinClientId}").`);
  if (tenants.length === 0)
    problems.push('ENTRA_ALLOWED_TENANTS is required in entra mode: comma-separated tenant ids.');
  for (const tenant of tenants) {
    if (!isGuid(tenant)) problems.push(`ENTRA_ALLOWED_TENANTS holds "${tenant}", which is not a tenant id (GUID).`);
  }
  const jwksUrl = read.url('ENTRA_JWKS_URL', DEFAULT_JWKS_URL);
  const scope = value('ENTRA_API_SCOPE') ?? 'access_as_user';
  if (!SCOPE_NAME.test(scope)) {
    problems.push(`ENTRA_API_SCOPE must be a scope name such as access_as_user (got "${scope}").`);
  }
  return {
    audience: audience ?? '',
    scope,
    addinClientId: addinClientId ?? '',
    allowedTenants: tenants.map((t) => t.toLowerCase()),
    jwksUrl: jwksUrl ?? DEFAULT_JWKS_URL
  };
}

/** Automatic logging's app-only access to Graph; null when MAILBOX_CLIENT_ID is not set. */
function mailboxSettings(read: EnvReader): MailboxAccessConfig | null {
  const { value, problems } = read;
  const clientId = value('MAILBOX_CLIENT_ID');
  if (!clientId) {
    for (const name of ['MAILBOX_CLIENT_SECRET', 'MAILBOX_CERTIFICATE_KEY_FILE', 'MAILBOX_CERTIFICATE_THUMBPRINT']) {
      if (value(name)) problems.push(`${name} is set but MAILBOX_CLIENT_ID is not: set the app's client id too.`);
    }
    return null;
  }
  const secret = value('MAILBOX_CLIENT_SECRET') ?? null;
  const keyFile = value('MAILBOX_CERTIFICATE_KEY_FILE');
  const thumbprint = value('MAILBOX_CERTIFICATE_THUMBPRINT');
  if (!isGuid(clientId)) problems.push(`MAILBOX_CLIENT_ID must be a GUID (got "${clientId}").`);
  if (!secret && !keyFile) {
    problems.push('MAILBOX_CLIENT_SECRET or MAILBOX_CERTIFICATE_KEY_FILE is required with MAILBOX_CLIENT_ID.');
  }
  if (keyFile && !existsSync(keyFile)) {
    problems.push(`MAILBOX_CERTIFICATE_KEY_FILE names "${keyFile}", which does not exist.`);
  }
  if (keyFile && !thumbprint) {
    problems.push('MAILBOX_CERTIFICATE_THUMBPRINT (SHA-256, hex) is required with MAILBOX_CERTIFICATE_KEY_FILE.');
  } else if (thumbprint && !SHA256_HEX.test(thumbprint)) {
    problems.push(
      `MAILBOX_CERTIFICATE_THUMBPRINT must be the certificate's SHA-256 thumbprint, 64 hex digits (got "${thumbprint}").`
    );
  }
  return {
    clientId,
    clientSecret: secret,
    certificate: keyFile && thumbprint ? { privateKeyFile: keyFile, thumbprintSha256: thumbprint } : null,
    graphBaseUrl: read.url('GRAPH_BASE_URL', 'https://graph.microsoft.com') ?? 'https://graph.microsoft.com',
    graphScope: value('GRAPH_SCOPE') ?? 'https://graph.microsoft.com/.default',
    authorityHost:
      read.url('ENTRA_AUTHORITY_HOST', 'https://login.microsoftonline.com') ?? 'https://login.microsoftonline.com',
    schedule: read.bool('MAILBOX_SCHEDULE', true),
    concurrency: read.count('MAILBOX_CONCURRENCY', 32, 1, 1000)
  };
}

function loggingSettings(read: EnvReader, nodeEnv: string) {
  const { value, problems } = read;
  const logLevel = value('LOG_LEVEL') ?? 'info';
  if (!LOG_LEVELS.includes(logLevel))
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${logLevel}").`);
  // People read development logs; machines read the others.
  const logFormat = value('LOG_FORMAT') ?? (nodeEnv === 'development' ? 'pretty' : 'json');
  if (logFormat !== 'pretty' && logFormat !== 'json')
    problems.push(`LOG_FORMAT must be "pretty" or "json" (got "${logFormat}").`);
  return { logLevel, logFormat: logFormat === 'pretty' ? ('pretty' as const) : ('json' as const) };
}

/** The proxy in front, shutdown timing, request timeout and the bound on connections per address. */
function connectionSettings(read: EnvReader) {
  const { problems } = read;
  const trustProxy = trustProxySetting(read.value('TRUST_PROXY'), problems);
  const shutdownDrainMs = read.seconds('SHUTDOWN_DRAIN_SECONDS', 0, 0);
  const shutdownTimeoutMs = read.seconds('SHUTDOWN_TIMEOUT_SECONDS', 30, 1);
  if (shutdownTimeoutMs <= shutdownDrainMs) {
    problems.push(
      `SHUTDOWN_TIMEOUT_SECONDS (${shutdownTimeoutMs / 1000}) must be longer than SHUTDOWN_DRAIN_SECONDS ` +
        `(${shutdownDrainMs / 1000}), or requests in flight are cut off.`
    );
  }
  const requestTimeoutMs = read.seconds('REQUEST_TIMEOUT_SECONDS', 30, 1);
  const connectionsText = read.value('MAX_CONNECTIONS_PER_ADDRESS');
  // Behind a proxy every connection comes from the proxy: the bound is then the proxy's to keep, per client.
  let maxConnectionsPerAddress = trustProxy === false ? 50 : 0;
  if (connectionsText !== undefined) {
    if (/^\d+$/.test(connectionsText) && Number(connectionsText) <= 100_000) {
      maxConnectionsPerAddress = Number(connectionsText);
    } else {
      problems.push(
        `MAX_CONNECTIONS_PER_ADDRESS must be a whole number from 0 (no bound) to 100000 (got "${connectionsText}").`
      );
    }
  }
  return { trustProxy, shutdownDrainMs, shutdownTimeoutMs, requestTimeoutMs, maxConnectionsPerAddress };
}

/**
 * PUBLIC_URL: an https origin (Graph delivers change notifications only to https URLs:
 * https://learn.microsoft.com/graph/change-notifications-delivery-webhooks). Outside production, http on a
 * loopback address is accepted too, for tests and a Graph stand-in on the same machine.
 */
function publicUrlSetting(raw: string | undefined, production: boolean, problems: string[]): string | null {
  if (raw === undefined) return null;
  const fail = (why: string) => {
    problems.push(
      `PUBLIC_URL must be the https origin Microsoft Graph can reach, such as https://crm.contoso.com (${why}).`
    );
    return null;
  };
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    return fail(`got "${raw}"`);
  }
  if (parsed.username || parsed.password || parsed.search || parsed.hash || !['', '/'].includes(parsed.pathname)) {
    return fail(`an origin only, without path, query or credentials: got "${raw}"`);
  }
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname);
  if (parsed.protocol === 'https:' && !(production && loopback)) return parsed.origin;
  if (parsed.protocol === 'http:' && loopback && !production) return parsed.origin;
  return fail(production && loopback ? `a loopback address cannot be reached by Graph: got "${raw}"` : `got "${raw}"`);
}

/** TRUST_PROXY: "true", "false", or comma-separated addresses and CIDR ranges of the proxies. */
function trustProxySetting(raw: string | undefined, problems: string[]): Config['trustProxy'] {
  if (raw === undefined || raw === 'false') return false;
  if (raw === 'true') return true;
  if (/^\d+$/.test(raw)) {
    // Fastify 5 trusts no one for a hop count: it cannot tell a proxy from a client that sends the headers itself.
    problems.push(
      `TRUST_PROXY takes the proxies' addresses or CIDR ranges (or "true" when only the proxy can reach this ` +
        `port), not a hop count (got "${raw}").`
    );
    return false;
  }
  const entries = raw
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const wrong = entries.filter((entry) => !isAddressOrRange(entry));
  if (entries.length === 0 || wrong.length > 0) {
    problems.push(
      `TRUST_PROXY must be "true", "false", or the proxies' addresses or CIDR ranges ` +
        `separated by commas (got "${raw}").`
    );
    return false;
  }
  return entries;
}
