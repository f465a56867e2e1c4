import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { buildApp } from './app.js';
import { createDevIssuer, DEV_ADDIN_CLIENT_ID, DEV_AUDIENCE, DEV_SCOPE } from './auth/dev-issuer.js';
import { createRemoteJWKSet } from 'jose';
import { createTokenVerifier } from './auth/tokens.js';
import type { Config } from './config.js';
import { seedDemoTenant } from './demo/seed.js';
import { openStore, type OpenStoreOptions, type Store } from './store/index.js';

export interface RunningServer {
  app: FastifyInstance;
  store: Store;
  /** Base URL, e.g. http://127.0.0.1:3000 */
  url: string;
  close(): Promise<void>;
}

export interface StartOptions {
  logger?: FastifyServerOptions['logger'];
  storeOptions?: OpenStoreOptions;
  staticRoot?: string;
  https?: { key: string | Buffer; cert: string | Buffer };
}

/** Opens the store (migrating it), seeds the demo tenant into an empty store if asked, and listens. */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const store = await openStore(config.databaseUrl, options.storeOptions);
  try {
    if (config.seedDemo && (await store.isEmpty())) await seedDemoTenant(store);
    const devIssuer = config.authMode === 'dev' ? await createDevIssuer() : null;
    const verifyToken = devIssuer
      ? createTokenVerifier({
          keys: devIssuer.keys,
          audience: DEV_AUDIENCE,
          scope: DEV_SCOPE,
          addinClientId: DEV_ADDIN_CLIENT_ID,
          allowedTenants: null
        })
      : createTokenVerifier({
          keys: createRemoteJWKSet(new URL(config.entra?.jwksUrl ?? '')),
          audience: config.entra?.audience ?? '',
          scope: config.entra?.scope ?? '',
          addinClientId: config.entra?.addinClientId ?? '',
          allowedTenants: config.entra?.allowedTenants ?? []
        });
    const app = await buildApp({
      config,
      store,
      verifyToken,
      devIssuer,
      staticRoot: options.staticRoot ?? resolve('dist'),
      logger: options.logger,
      https: options.https
    });
    await app.listen({ port: config.port, host: config.host });
    const { port } = app.server.address() as AddressInfo;
    const host = ['0.0.0.0', '::'].includes(config.host)
      ? 'localhost'
      : config.host.includes(':')
        ? `[${config.host}]`
        : config.host;
    return {
      app,
      store,
      url: `${options.https ? 'https' : 'http'}://${host}:${port}`,
      async close() {
        await app.close();
        await store.close();
      }
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
