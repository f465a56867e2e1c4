import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import { resolve } from 'node:path';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { buildApp } from './app.js';
import { createDevIssuer, DEV_ADDIN_CLIENT_ID, DEV_AUDIENCE, DEV_SCOPE, type DevIssuer } from './auth/dev-issuer.js';
import { createTokenVerifier, entraKeys } from './auth/tokens.js';
import type { Config } from './config.js';
import { seedDemoTenant } from './demo/seed.js';
import { createMailboxService, type MailboxService, type MailboxServiceOptions } from './mailbox/service.js';
import type { DemoSeeding } from './startup-banner.js';
import { openStore, type OpenStoreOptions, type Store } from './store/index.js';

export interface RunningServer {
  app: FastifyInstance;
  store: Store;
  mailbox: MailboxService;
  /** Base URL, e.g. http://127.0.0.1:3000 */
  url: string;
  /** Whether the demo organization was seeded at this start. */
  demo: DemoSeeding;
  /** True from the start of close(): /readyz answers 503. */
  readonly shuttingDown: boolean;
  /**
   * The graceful stop: /readyz turns 503 and requests are still served for the configured drain time (so a load
   * balancer moves away), then the listener closes while requests in flight finish and the mailbox processor
   * stops between pages, then the store closes. Calling it again returns the same promise.
   */
  close(): Promise<void>;
}

export interface StartOptions {
  logger?: FastifyServerOptions['logger'];
  storeOptions?: OpenStoreOptions;
  staticRoot?: string;
  https?: { key: string | Buffer; cert: string | Buffer };
  /** Overrides for automatic logging (tests point MSAL at a stand-in). */
  mailbox?: Partial<Pick<MailboxServiceOptions, 'msalConfigurationFor' | 'tickMs' | 'access'>>;
}

/** Dev mode verifies the dev issuer's tokens; entra mode Entra ID's, for the configured audience and tenants. */
function tokenVerifierFor(config: Config, devIssuer: DevIssuer | null) {
  if (devIssuer) {
    return createTokenVerifier({
      keys: devIssuer.keys,
      audience: DEV_AUDIENCE,
      scope: DEV_SCOPE,
      addinClientId: DEV_ADDIN_CLIENT_ID,
      allowedTenants: null
    });
  }
  return createTokenVerifier({
    keys: entraKeys(config.entra?.jwksUrl ?? ''),
    audience: config.entra?.audience ?? '',
    scope: config.entra?.scope ?? '',
    addinClientId: config.entra?.addinClientId ?? '',
    allowedTenants: config.entra?.allowedTenants ?? []
  });
}

/** Where the listening server answers: a wildcard address as localhost, an IPv6 one in brackets. */
function listeningUrl(app: FastifyInstance, config: Config, https: boolean): string {
  const { port } = app.server.address() as AddressInfo;
  const host = ['0.0.0.0', '::'].includes(config.host)
    ? 'localhost'
    : config.host.includes(':')
      ? `[${config.host}]`
      : config.host;
  return `${https ? 'https' : 'http'}://${host}:${port}`;
}

/** Opens the store (migrating it), seeds the demo tenant into an empty store if asked, and listens. */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  const store = await openStore(config.databaseUrl, options.storeOptions);
  try {
    let demo: DemoSeeding = { kind: 'off' };
    if (config.seedDemo) {
      demo = (await store.isEmpty()) ? { kind: 'seeded', ...(await seedDemoTenant(store)) } : { kind: 'kept' };
    }
    const devIssuer = config.authMode === 'dev' ? await createDevIssuer() : null;
    const verifyToken = tokenVerifierFor(config, devIssuer);
    let appInstance: FastifyInstance | null = null;
    let closing: Promise<void> | null = null;
    const mailbox = createMailboxService({
      store,
      access: options.mailbox?.access ?? config.mailbox,
      publicUrl: config.publicUrl,
      holder: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
      // The app's logger, once the app exists.
      log: {
        info: (object, message) => appInstance?.log.info(object, message),
        error: (object, message) => appInstance?.log.error(object, message)
      },
      ...(options.mailbox?.msalConfigurationFor ? { msalConfigurationFor: options.mailbox.msalConfigurationFor } : {}),
      ...(options.mailbox?.tickMs ? { tickMs: options.mailbox.tickMs } : {})
    });
    const app = await buildApp({
      config,
      store,
      verifyToken,
      devIssuer,
      mailbox,
      staticRoot: options.staticRoot ?? resolve('dist'),
      logger: options.logger,
      https: options.https,
      shuttingDown: () => closing !== null
    });
    appInstance = app;
    await app.listen({ port: config.port, host: config.host });
    mailbox.start();
    return {
      app,
      store,
      mailbox,
      demo,
      url: listeningUrl(app, config, Boolean(options.https)),
      get shuttingDown() {
        return closing !== null;
      },
      close() {
        closing ??= (async () => {
          if (config.shutdownDrainMs > 0) {
            app.log.info(`shutting down: /readyz answers 503; serving for ${config.shutdownDrainMs} ms more`);
            await new Promise((resolve) => setTimeout(resolve, config.shutdownDrainMs));
          }
          // Both need the store: it closes last.
          await Promise.all([mailbox.stop(), app.close()]);
          await store.close();
          app.log.info('shut down: requests finished, mailbox processor stopped, store closed');
        })();
        return closing;
      }
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
