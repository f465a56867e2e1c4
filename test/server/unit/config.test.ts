import { ConfigError, DEFAULT_DATABASE_URL, loadConfig } from '../../../src/server/config.js';

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
    schedule: true
  });
  expect(problemsOf({ MAILBOX_CLIENT_ID: 'app' })).toEqual([
    expect.stringMatching(/^MAILBOX_CLIENT_ID must be a GUID/),
    expect.stringMatching(/^MAILBOX_CLIENT_SECRET or MAILBOX_CERTIFICATE_KEY_FILE is required/)
  ]);
  expect(
    problemsOf({ MAILBOX_CLIENT_ID: '11111111-2222-4333-8444-555555555555', MAILBOX_CERTIFICATE_KEY_FILE: '/k.pem' })
  ).toEqual([expect.stringMatching(/^MAILBOX_CERTIFICATE_THUMBPRINT/)]);
});
