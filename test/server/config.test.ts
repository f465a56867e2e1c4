import { ConfigError, DEFAULT_DATABASE_URL, loadConfig } from '../../src/server/config.js';

const entraEnv = {
  AUTH_MODE: 'entra',
  ENTRA_API_AUDIENCE: 'api://interaction-log',
  ENTRA_ADDIN_CLIENT_ID: '11111111-2222-4333-8444-555555555555',
  ENTRA_ALLOWED_TENANTS: 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee, AAAAAAAA-1111-4222-8333-444444444444'
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

test('defaults: dev mode, port 3000, the embedded store, demo data', () => {
  expect(loadConfig({})).toMatchObject({
    port: 3000,
    host: 'localhost',
    databaseUrl: DEFAULT_DATABASE_URL,
    authMode: 'dev',
    seedDemo: true,
    https: false,
    entra: null,
    addinOrigin: null
  });
  expect(loadConfig({ SEED_DEMO: 'false' }).seedDemo).toBe(false);
});

test('entra mode reads its settings; scope and JWKS URL have defaults', () => {
  const config = loadConfig(entraEnv);
  expect(config.entra).toEqual({
    audience: 'api://interaction-log',
    scope: 'access_as_user',
    addinClientId: '11111111-2222-4333-8444-555555555555',
    allowedTenants: ['aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee', 'aaaaaaaa-1111-4222-8333-444444444444'],
    jwksUrl: 'https://login.microsoftonline.com/common/discovery/v2.0/keys'
  });
  expect(config.seedDemo).toBe(false);
  expect(loadConfig({ ...entraEnv, NODE_ENV: 'production' }).authMode).toBe('entra');
  expect(loadConfig({ NODE_ENV: 'production', ...entraEnv, AUTH_MODE: '' }).authMode).toBe('entra');
});

test('dev mode is refused in production', () => {
  expect(problemsOf({ NODE_ENV: 'production', AUTH_MODE: 'dev' })).toEqual([
    expect.stringMatching(/AUTH_MODE=dev is refused/)
  ]);
});

test('every problem is reported at once, each naming its variable', () => {
  const problems = problemsOf({
    PORT: 'eighty',
    AUTH_MODE: 'entra',
    ENTRA_ADDIN_CLIENT_ID: 'not-a-guid',
    ENTRA_ALLOWED_TENANTS: 'contoso',
    ENTRA_JWKS_URL: 'ftp://keys',
    SEED_DEMO: 'yes',
    HTTPS: '1',
    DATABASE_URL: 'mysql://db/x',
    ADDIN_ORIGIN: 'not a url',
    LOG_LEVEL: 'loud'
  });
  for (const variable of [
    'PORT',
    'ENTRA_API_AUDIENCE',
    'ENTRA_ADDIN_CLIENT_ID',
    'ENTRA_ALLOWED_TENANTS',
    'ENTRA_JWKS_URL',
    'SEED_DEMO',
    'HTTPS',
    'DATABASE_URL',
    'ADDIN_ORIGIN',
    'LOG_LEVEL'
  ]) {
    expect(problems.filter((p) => p.startsWith(variable))).toHaveLength(1);
  }
  expect(problems).toHaveLength(10);
});

test('unknown AUTH_MODE and missing tenants are explained', () => {
  expect(problemsOf({ AUTH_MODE: 'basic' })).toEqual([expect.stringContaining('AUTH_MODE must be "dev" or "entra"')]);
  expect(problemsOf({ ...entraEnv, ENTRA_ALLOWED_TENANTS: ' , ' })).toEqual([
    expect.stringContaining('ENTRA_ALLOWED_TENANTS is required')
  ]);
});

test('database URLs: paths, file: URLs and postgres URLs are accepted', () => {
  for (const url of [
    './x.sqlite',
    '/tmp/x.sqlite',
    'file:./x.sqlite',
    'file:///tmp/x.sqlite',
    'postgres://u@h/db',
    'postgresql://h/db'
  ]) {
    expect(loadConfig({ DATABASE_URL: url }).databaseUrl).toBe(url);
  }
  expect(loadConfig({ ADDIN_ORIGIN: 'https://addin.example.com/taskpane.html' }).addinOrigin).toBe(
    'https://addin.example.com'
  );
});

test('automatic logging: app credentials, each problem named', () => {
  expect(loadConfig({}).mailbox).toBeNull();
  expect(
    loadConfig({ MAILBOX_CLIENT_ID: '11111111-2222-4333-8444-555555555555', MAILBOX_CLIENT_SECRET: 's3cret' }).mailbox
  ).toEqual({
    clientId: '11111111-2222-4333-8444-555555555555',
    clientSecret: 's3cret',
    certificate: null,
    graphBaseUrl: 'https://graph.microsoft.com',
    graphScope: 'https://graph.microsoft.com/.default',
    authorityHost: 'https://login.microsoftonline.com',
    schedule: true,
    concurrency: 32
  });
  expect(problemsOf({ MAILBOX_CLIENT_ID: 'app' })).toEqual([
    expect.stringMatching(/^MAILBOX_CLIENT_ID must be a GUID/),
    expect.stringMatching(/^MAILBOX_CLIENT_SECRET or MAILBOX_CERTIFICATE_KEY_FILE is required/)
  ]);
  expect(
    problemsOf({
      MAILBOX_CLIENT_ID: '11111111-2222-4333-8444-555555555555',
      MAILBOX_CERTIFICATE_KEY_FILE: 'package.json'
    })
  ).toEqual([expect.stringMatching(/^MAILBOX_CERTIFICATE_THUMBPRINT/)]);
});

describe('each missing or malformed setting has its own message', () => {
  const mailboxEnv = {
    MAILBOX_CLIENT_ID: '11111111-2222-4333-8444-555555555555',
    MAILBOX_CLIENT_SECRET: 's3cret'
  };
  const production = { ...entraEnv, NODE_ENV: 'production' };
  // [the variable the message must start with, the environment, what the message must say]
  test.each<[string, Record<string, string>, RegExp]>([
    ['NODE_ENV', { NODE_ENV: 'prod' }, /one of development, production, test \(got "prod"\)/],
    ['PORT', { PORT: 'eighty' }, /whole number from 0 to 65535/],
    ['PORT', { PORT: '70000' }, /whole number from 0 to 65535 \(got "70000"\)/],
    ['HOST', { HOST: 'my host' }, /address or host name/],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://db/x' }, /SQLite file path, a file: URL or a postgres:\/\/ URL/],
    ['AUTH_MODE', { AUTH_MODE: 'basic' }, /"dev" or "entra"/],
    ['AUTH_MODE', { ...production, AUTH_MODE: 'dev' }, /refused when NODE_ENV=production/],
    ['SEED_DEMO', { SEED_DEMO: 'yes' }, /"true" or "false" \(got "yes"\)/],
    ['HTTPS', { HTTPS: '1' }, /"true" or "false"/],
    ['HTTPS', { ...production, HTTPS: 'true' }, /terminate TLS at the load balancer/],
    ['ENTRA_API_AUDIENCE', { ...entraEnv, ENTRA_API_AUDIENCE: '' }, /required in entra mode/],
    ['ENTRA_ADDIN_CLIENT_ID', { ...entraEnv, ENTRA_ADDIN_CLIENT_ID: '' }, /required in entra mode/],
    ['ENTRA_ADDIN_CLIENT_ID', { ...entraEnv, ENTRA_ADDIN_CLIENT_ID: 'addin' }, /must be a GUID/],
    ['ENTRA_ALLOWED_TENANTS', { ...entraEnv, ENTRA_ALLOWED_TENANTS: '' }, /required in entra mode/],
    ['ENTRA_ALLOWED_TENANTS', { ...entraEnv, ENTRA_ALLOWED_TENANTS: 'contoso.com' }, /"contoso.com", which is not/],
    ['ENTRA_API_SCOPE', { ...entraEnv, ENTRA_API_SCOPE: 'access as user' }, /scope name/],
    ['ENTRA_JWKS_URL', { ...entraEnv, ENTRA_JWKS_URL: 'ftp://keys' }, /http\(s\) URL/],
    ['ADDIN_ORIGIN', { ADDIN_ORIGIN: 'addin.contoso.com' }, /http\(s\) URL/],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }, /one of fatal, error/],
    ['MAILBOX_CLIENT_ID', { ...mailboxEnv, MAILBOX_CLIENT_ID: 'mailbox-app' }, /must be a GUID/],
    [
      'MAILBOX_CLIENT_SECRET',
      { MAILBOX_CLIENT_ID: mailboxEnv.MAILBOX_CLIENT_ID },
      /or MAILBOX_CERTIFICATE_KEY_FILE is required/
    ],
    ['MAILBOX_CLIENT_SECRET', { MAILBOX_CLIENT_SECRET: 's3cret' }, /MAILBOX_CLIENT_ID is not/],
    [
      'MAILBOX_CERTIFICATE_KEY_FILE',
      {
        MAILBOX_CLIENT_ID: mailboxEnv.MAILBOX_CLIENT_ID,
        MAILBOX_CERTIFICATE_KEY_FILE: '/nonexistent/mailbox.pem',
        MAILBOX_CERTIFICATE_THUMBPRINT: 'ab'.repeat(32)
      },
      /"\/nonexistent\/mailbox.pem", which does not exist/
    ],
    [
      'MAILBOX_CERTIFICATE_THUMBPRINT',
      { MAILBOX_CLIENT_ID: mailboxEnv.MAILBOX_CLIENT_ID, MAILBOX_CERTIFICATE_KEY_FILE: 'package.json' },
      /required with MAILBOX_CERTIFICATE_KEY_FILE/
    ],
    [
      'MAILBOX_CERTIFICATE_THUMBPRINT',
      {
        MAILBOX_CLIENT_ID: mailboxEnv.MAILBOX_CLIENT_ID,
        MAILBOX_CERTIFICATE_KEY_FILE: 'package.json',
        MAILBOX_CERTIFICATE_THUMBPRINT: 'AB:CD'
      },
      /64 hex digits/
    ],
    ['MAILBOX_SCHEDULE', { ...mailboxEnv, MAILBOX_SCHEDULE: 'sometimes' }, /"true" or "false"/],
    ['MAILBOX_CONCURRENCY', { ...mailboxEnv, MAILBOX_CONCURRENCY: '0' }, /whole number from 1 to 1000 \(got "0"\)/],
    ['GRAPH_BASE_URL', { ...mailboxEnv, GRAPH_BASE_URL: 'graph' }, /http\(s\) URL/],
    ['ENTRA_AUTHORITY_HOST', { ...mailboxEnv, ENTRA_AUTHORITY_HOST: 'login' }, /http\(s\) URL/],
    ['TRUST_PROXY', { TRUST_PROXY: 'yes' }, /proxies' addresses or CIDR ranges/],
    ['TRUST_PROXY', { TRUST_PROXY: '1' }, /not a hop count/],
    ['TRUST_PROXY', { TRUST_PROXY: '10.0.0.0/33' }, /\(got "10.0.0.0\/33"\)/],
    ['SHUTDOWN_DRAIN_SECONDS', { SHUTDOWN_DRAIN_SECONDS: '-1' }, /seconds from 0 to 3600/],
    ['SHUTDOWN_TIMEOUT_SECONDS', { SHUTDOWN_TIMEOUT_SECONDS: '0' }, /seconds from 1 to 3600/],
    [
      'SHUTDOWN_TIMEOUT_SECONDS',
      { SHUTDOWN_DRAIN_SECONDS: '20', SHUTDOWN_TIMEOUT_SECONDS: '15' },
      /must be longer than SHUTDOWN_DRAIN_SECONDS/
    ]
  ])('%s: %o', (variable, env, message) => {
    const problems = problemsOf(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.startsWith(variable)).toBe(true);
    expect(problems[0]).toMatch(message);
  });

  test('the first line says the server cannot start, then one line per problem', () => {
    try {
      loadConfig({ PORT: 'x', LOG_LEVEL: 'loud', TRUST_PROXY: 'maybe' });
      throw new Error('loadConfig accepted a broken environment');
    } catch (error) {
      const lines = (error as Error).message.split('\n');
      expect(lines[0]).toMatch(/cannot start until its configuration is fixed/);
      expect(lines.slice(1).map((line) => line.replace(/^ {2}- ([A-Z_]+).*$/, '$1'))).toEqual([
        'PORT',
        'LOG_LEVEL',
        'TRUST_PROXY'
      ]);
    }
  });
});

describe('production settings', () => {
  test('TRUST_PROXY: off by default; true, or addresses and ranges', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, 192.168.1.7,fd00::/8' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '192.168.1.7',
      'fd00::/8'
    ]);
  });

  test('shutdown: no drain and 30 seconds in all unless set', () => {
    expect(loadConfig({})).toMatchObject({ shutdownDrainMs: 0, shutdownTimeoutMs: 30_000 });
    expect(loadConfig({ SHUTDOWN_DRAIN_SECONDS: '5', SHUTDOWN_TIMEOUT_SECONDS: '25.5' })).toMatchObject({
      shutdownDrainMs: 5000,
      shutdownTimeoutMs: 25_500
    });
  });

  test('a production environment with the Entra settings starts in entra mode, without demo data', () => {
    expect(loadConfig({ ...entraEnv, AUTH_MODE: '', NODE_ENV: 'production', TRUST_PROXY: '10.0.0.0/8' })).toMatchObject(
      {
        authMode: 'entra',
        seedDemo: false,
        https: false,
        trustProxy: ['10.0.0.0/8']
      }
    );
  });
});

describe('PUBLIC_URL: where Graph delivers change notifications', () => {
  const problemOf = (env: Record<string, string>) => {
    try {
      loadConfig(env);
      return null;
    } catch (error) {
      return (error as ConfigError).problems.join('\n');
    }
  };

  test('unset: polling only; an https origin is kept as its origin', () => {
    expect(loadConfig({}).publicUrl).toBeNull();
    expect(loadConfig({ PUBLIC_URL: 'https://crm.contoso.com/' }).publicUrl).toBe('https://crm.contoso.com');
    expect(loadConfig({ PUBLIC_URL: 'https://crm.contoso.com:8443' }).publicUrl).toBe('https://crm.contoso.com:8443');
  });

  test('http only on loopback and outside production; never a path, query or credentials', () => {
    expect(loadConfig({ PUBLIC_URL: 'http://127.0.0.1:3000' }).publicUrl).toBe('http://127.0.0.1:3000');
    for (const wrong of [
      'http://crm.contoso.com',
      'https://crm.contoso.com/api',
      'https://crm.contoso.com/?x=1',
      'https://user:pw@crm.contoso.com',
      'ftp://crm.contoso.com',
      'crm.contoso.com'
    ]) {
      expect(problemOf({ PUBLIC_URL: wrong })).toMatch(/^PUBLIC_URL must be the https origin/);
    }
    expect(problemOf({ ...entraEnv, NODE_ENV: 'production', PUBLIC_URL: 'https://localhost:3000' })).toMatch(
      /loopback address cannot be reached by Graph/
    );
    expect(problemOf({ ...entraEnv, NODE_ENV: 'production', PUBLIC_URL: 'http://127.0.0.1:3000' })).toMatch(
      /PUBLIC_URL/
    );
  });
});
