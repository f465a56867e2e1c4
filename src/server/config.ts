/*
 * Configuration comes only from the environment and is checked once at start. Every problem is
 * reported at once, each with what to set, so an operator fixes them in one go.
 */

export type AuthMode = 'dev' | 'entra';

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
  /** App-only access to the tenants' shared mailboxes; null when not configured (no automatic logging). */
  mailbox: MailboxAccessConfig | null;
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
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`The server cannot start until its configuration is fixed:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export const DEFAULT_DATABASE_URL = './data/interaction-log.sqlite';
export const DEFAULT_JWKS_URL = 'https://login.microsoftonline.com/common/discovery/v2.0/keys';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): Config {
  const problems: string[] = [];
  const value = (name: string) => {
    const raw = env[name]?.trim();
    return raw === undefined || raw === '' ? undefined : raw;
  };
  const bool = (name: string, fallback: boolean) => {
    const raw = value(name);
    if (raw === undefined) return fallback;
    if (raw === 'true' || raw === 'false') return raw === 'true';
    problems.push(`${name} must be "true" or "false" (got "${raw}").`);
    return fallback;
  };
  const url = (name: string, fallback?: string) => {
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
  };

  const nodeEnv = value('NODE_ENV') ?? 'development';
  const production = nodeEnv === 'production';

  const portText = value('PORT') ?? '3000';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 0 || port > 65535) {
    problems.push(`PORT must be a whole number from 0 to 65535 (got "${portText}").`);
  }

  const authModeText = value('AUTH_MODE') ?? (production ? 'entra' : 'dev');
  const authMode: AuthMode | null = authModeText === 'dev' || authModeText === 'entra' ? authModeText : null;
  if (authMode === null) problems.push(`AUTH_MODE must be "dev" or "entra" (got "${authModeText}").`);
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

  let entra: EntraConfig | null = null;
  if (authMode === 'entra') {
    const audience = value('ENTRA_API_AUDIENCE');
    const addinClientId = value('ENTRA_ADDIN_CLIENT_ID');
    const tenants = (value('ENTRA_ALLOWED_TENANTS') ?? '')
      .split(',')
      .map((t) => t.trim())
      .filter(Boolean);
    if (!audience) problems.push("ENTRA_API_AUDIENCE is required in entra mode: the API's App ID URI or client id.");
    if (!addinClientId)
      problems.push("ENTRA_ADDIN_CLIENT_ID is required in entra mode: the add-in's application (client) id.");
    else if (!GUID.test(addinClientId)) problems.push(`ENTRA_ADDIN_CLIENT_ID must be a GUID (got "${addinClientId}").`);
    if (tenants.length === 0)
      problems.push('ENTRA_ALLOWED_TENANTS is required in entra mode: comma-separated tenant ids.');
    for (const tenant of tenants) {
      if (!GUID.test(tenant))
        problems.push(`ENTRA_ALLOWED_TENANTS holds "${tenant}", which is not a tenant id (GUID).`);
    }
    const jwksUrl = url('ENTRA_JWKS_URL', DEFAULT_JWKS_URL);
    entra = {
      audience: audience ?? '',
      scope: value('ENTRA_API_SCOPE') ?? 'access_as_user',
      addinClientId: addinClientId ?? '',
      allowedTenants: tenants.map((t) => t.toLowerCase()),
      jwksUrl: jwksUrl ?? DEFAULT_JWKS_URL
    };
  }

  const addinOrigin = url('ADDIN_ORIGIN') ?? null;

  let mailbox: MailboxAccessConfig | null = null;
  const mailboxClientId = value('MAILBOX_CLIENT_ID');
  if (mailboxClientId) {
    const secret = value('MAILBOX_CLIENT_SECRET') ?? null;
    const keyFile = value('MAILBOX_CERTIFICATE_KEY_FILE');
    const thumbprint = value('MAILBOX_CERTIFICATE_THUMBPRINT');
    if (!GUID.test(mailboxClientId)) problems.push(`MAILBOX_CLIENT_ID must be a GUID (got "${mailboxClientId}").`);
    if (!secret && !keyFile) {
      problems.push('MAILBOX_CLIENT_SECRET or MAILBOX_CERTIFICATE_KEY_FILE is required with MAILBOX_CLIENT_ID.');
    }
    if (keyFile && !thumbprint) {
      problems.push('MAILBOX_CERTIFICATE_THUMBPRINT (SHA-256, hex) is required with MAILBOX_CERTIFICATE_KEY_FILE.');
    }
    mailbox = {
      clientId: mailboxClientId,
      clientSecret: secret,
      certificate: keyFile && thumbprint ? { privateKeyFile: keyFile, thumbprintSha256: thumbprint } : null,
      graphBaseUrl: url('GRAPH_BASE_URL', 'https://graph.microsoft.com') ?? 'https://graph.microsoft.com',
      graphScope: value('GRAPH_SCOPE') ?? 'https://graph.microsoft.com/.default',
      authorityHost:
        url('ENTRA_AUTHORITY_HOST', 'https://login.microsoftonline.com') ?? 'https://login.microsoftonline.com',
      schedule: bool('MAILBOX_SCHEDULE', true)
    };
  }
  const logLevel = value('LOG_LEVEL') ?? 'info';
  if (!LOG_LEVELS.includes(logLevel))
    problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${logLevel}").`);

  const config: Config = {
    port,
    host: value('HOST') ?? 'localhost',
    databaseUrl,
    authMode: authMode ?? 'entra',
    seedDemo: bool('SEED_DEMO', authMode === 'dev'),
    nodeEnv,
    https: bool('HTTPS', false),
    entra,
    addinOrigin: addinOrigin === null ? null : new URL(addinOrigin).origin,
    logLevel,
    mailbox
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}
