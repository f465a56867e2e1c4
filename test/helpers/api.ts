import { startServer, type RunningServer, type StartOptions } from '../../src/server/server.js';
import type { Store } from '../../src/server/store/index.js';
import type { DevTokenRequest } from '../../src/shared/schemas/auth.js';
import { graphStandInEnv, testConfig, type Env, type GraphStandInAccess } from './config.js';
import { createTestStore, type EngineName, type TestStore } from './stores.js';

/*
 * The real server on a loopback port over real HTTP, with a fresh store, in dev auth mode: the same
 * token verification path as Entra, with a local key.
 */

/** Requests to a running server, as a client would send them. */
export interface ApiClient {
  /** fetch against the server; a token in `as` becomes the Authorization header. */
  call(
    method: string,
    path: string,
    options?: { as?: string; body?: unknown; headers?: Record<string, string> }
  ): Promise<ApiResponse>;
  /** A dev-mode access token from the server's own issuer. */
  token(request: DevTokenRequest): Promise<string>;
}

export interface TestApi extends ApiClient {
  server: RunningServer;
  url: string;
  testStore: TestStore;
  close(): Promise<void>;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever the API answered
  body: any;
}

export interface TestServerOptions {
  /** Environment over testConfig()'s defaults, e.g. rate limits. */
  env?: Env;
  /** The Graph mailbox stand-in automatic logging reaches, with the stand-in's app registration and MSAL setup. */
  graph?: GraphStandInAccess;
  /** The mailbox service's test hooks (a shorter tick, another MSAL configuration per tenant). */
  mailbox?: StartOptions['mailbox'];
  logger?: StartOptions['logger'];
}

export interface TestApiOptions extends TestServerOptions {
  /** Runs on the fresh store before the server starts: data the server must find when it comes up. */
  seed?: (store: Store) => Promise<void>;
}

/** A server in dev auth mode over a test store's data; several may share one store, as instances behind a balancer. */
export function startTestServer(testStore: TestStore, options: TestServerOptions = {}): Promise<RunningServer> {
  const { graph } = options;
  const config = testConfig({
    AUTH_MODE: 'dev',
    DATABASE_URL: testStore.url,
    ...(graph ? graphStandInEnv(graph) : {}),
    ...options.env
  });
  return startServer(config, {
    storeOptions: testStore.pgSchema ? { pgSchema: testStore.pgSchema, pgPoolSize: 4 } : {},
    mailbox: {
      ...(graph ? { msalConfigurationFor: () => graph.msalConfiguration() } : {}),
      ...options.mailbox
    },
    logger: options.logger
  });
}

export function apiClient(server: Pick<RunningServer, 'url'>): ApiClient {
  const call: ApiClient['call'] = async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.as) headers.authorization = `Bearer ${options.as}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    }
    const response = await fetch(`${server.url}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, headers: response.headers, body: parsed };
  };
  return {
    call,
    async token(request) {
      const response = await call('POST', '/api/v1/dev/token', { body: request });
      if (response.status !== 200) throw new Error(`dev token: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body.accessToken as string;
    }
  };
}

export async function startTestApi(engine: EngineName = 'sqlite', options: TestApiOptions = {}): Promise<TestApi> {
  const testStore = await createTestStore(engine);
  await options.seed?.(testStore.store);
  // The test store already migrated; the server opens its own connection to the same data.
  const server = await startTestServer(testStore, options);
  return {
    server,
    url: server.url,
    testStore,
    ...apiClient(server),
    async close() {
      await server.close();
      await testStore.dispose();
    }
  };
}

/** Someone a suite acts as: a dev token request, in the suite's tenant. */
export type Person = Omit<DevTokenRequest, 'tenantId'>;

/** Ada (an admin), Ana and Ben (salespeople) at northwind: the team a suite acts as when it needs no one else. */
export const northwindTeam = {
  admin: { email: 'ada@northwind.example', name: 'Ada', roles: ['Admin'] },
  ana: { email: 'ana@northwind.example', name: 'Ana' },
  ben: { email: 'ben@northwind.example', name: 'Ben' }
} satisfies Record<string, Person>;

/** Who sees whose history in the tenant, set as its admin would ('own': each salesperson only their own). */
export async function setHistoryVisibility(api: ApiClient, admin: string, historyVisibility: 'organization' | 'own') {
  const changed = await api.call('PATCH', '/api/v1/settings', { as: admin, body: { historyVisibility } });
  expect(changed.status).toBe(200);
}

export interface SuiteApiOptions<P extends string> extends TestApiOptions {
  /** The tenant every person of the suite signs in to. */
  tenantId?: string;
  /** The people the suite acts as; their tokens are in `tokens` from the suite's first beforeAll on. */
  people?: Record<P, Person>;
  /** Each person calls GET /me once, in order, so that their salesperson records exist before the suite's own setup. */
  signIn?: boolean;
}

/** The API a describe block shares: started in its beforeAll with its people's tokens, closed in its afterAll. */
export interface SuiteApi<P extends string> extends Omit<TestApi, 'close'> {
  readonly tokens: Readonly<Record<P, string>>;
}

/**
 * Starts a fresh API for the enclosing describe block (registers its beforeAll and afterAll) and hands back the
 * API before it runs: calls and fields reach the running server once the block's tests run.
 */
export function useTestApi<P extends string = never>(
  engine: EngineName,
  options: SuiteApiOptions<P> = {}
): SuiteApi<P> {
  let started: TestApi | undefined;
  const tokens = {} as Record<P, string>;
  const live = (): TestApi => {
    if (!started) throw new Error('the suite API is used before its beforeAll or after its afterAll');
    return started;
  };
  beforeAll(async () => {
    const api = await startTestApi(engine, options);
    started = api;
    const people = Object.entries(options.people ?? {}) as Array<[P, Person]>;
    for (const [name, person] of people) tokens[name] = await api.token({ ...person, tenantId: options.tenantId });
    if (!options.signIn) return;
    for (const [name] of people) expect((await api.call('GET', '/api/v1/me', { as: tokens[name] })).status).toBe(200);
  });
  afterAll(async () => {
    await started?.close();
    started = undefined;
  });
  return {
    tokens,
    call: (...args) => live().call(...args),
    token: (request) => live().token(request),
    get server() {
      return live().server;
    },
    get url() {
      return live().url;
    },
    get testStore() {
      return live().testStore;
    }
  };
}
