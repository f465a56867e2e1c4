import { loadConfig, type Config } from '../../src/server/config.js';
import { startServer, type RunningServer } from '../../src/server/server.js';
import type { DevTokenRequest } from '../../src/shared/schemas/auth.js';
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

export async function startTestApi(engine: EngineName = 'sqlite', env: Record<string, string> = {}): Promise<TestApi> {
  const testStore = await createTestStore(engine);
  // The test store already migrated; the server opens its own connection to the same data.
  const config: Config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    SEED_DEMO: 'false',
    AUTH_MODE: 'dev',
    DATABASE_URL: testStore.url,
    ...env
  });
  const server = await startServer(config, {
    storeOptions: testStore.pgSchema ? { pgSchema: testStore.pgSchema, pgPoolSize: 4 } : {}
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
