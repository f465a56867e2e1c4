import { startServer, type RunningServer, type StartOptions } from '../../src/server/server.js';
import type { Store } from '../../src/server/store/index.js';
import type { DevTokenRequest } from '../../src/shared/schemas/auth.js';
import { graphStandInEnv, testConfig, type Env, type GraphStandInAccess } from './config.js';
import { createTestStore, type EngineName, type TestStore } from './stores.js';

/*
 * The real server on a loopback port over real HTTP, with a fresh store, in dev auth mode: the same
 * token verification path as Entra, with a local key.
 */

export interface TestApi {
  server: RunningServer;
  url: string;
  testStore: TestStore;
  token(request: DevTokenRequest): Promise<string>;
  /** fetch against the server; a token in `as` becomes the Authorization header. */
  call(
    method: string,
    path: string,
    options?: { as?: string; body?: unknown; headers?: Record<string, string> }
  ): Promise<ApiResponse>;
  close(): Promise<void>;
}

export interface ApiResponse {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever the API answered
  body: any;
}

export interface TestApiOptions {
  /** Environment over testConfig()'s defaults, e.g. rate limits. */
  env?: Env;
  /** The Graph mailbox stand-in automatic logging reaches, with the stand-in's app registration and MSAL setup. */
  graph?: GraphStandInAccess;
  /** The mailbox service's test hooks (a shorter tick, another MSAL configuration per tenant). */
  mailbox?: StartOptions['mailbox'];
  logger?: StartOptions['logger'];
  /** Runs on the fresh store before the server starts: data the server must find when it comes up. */
  seed?: (store: Store) => Promise<void>;
}

export async function startTestApi(engine: EngineName = 'sqlite', options: TestApiOptions = {}): Promise<TestApi> {
  const testStore = await createTestStore(engine);
  await options.seed?.(testStore.store);
  const { graph } = options;
  // The test store already migrated; the server opens its own connection to the same data.
  const config = testConfig({
    AUTH_MODE: 'dev',
    DATABASE_URL: testStore.url,
    ...(graph ? graphStandInEnv(graph) : {}),
    ...options.env
  });
  const mailbox: StartOptions['mailbox'] = {
    ...(graph ? { msalConfigurationFor: () => graph.msalConfiguration() } : {}),
    ...options.mailbox
  };
  const server = await startServer(config, {
    storeOptions: testStore.pgSchema ? { pgSchema: testStore.pgSchema, pgPoolSize: 4 } : {},
    mailbox,
    logger: options.logger
  });
  const call: TestApi['call'] = async (method, path, options = {}) => {
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
    server,
    url: server.url,
    testStore,
    call,
    async token(request) {
      const response = await call('POST', '/api/v1/dev/token', { body: request });
      if (response.status !== 200) throw new Error(`dev token: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body.accessToken as string;
    },
    async close() {
      await server.close();
      await testStore.dispose();
    }
  };
}
