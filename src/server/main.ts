import { createRequire } from 'node:module';
import { loadConfig, ConfigError } from './config.js';
import { devCertificates } from './dev-certificates.js';
import { startServer } from './server.js';
import { demoSummary, startupBanner, startupLinks } from './startup-banner.js';

/** pino-pretty is a development dependency: an install without them logs JSON rather than failing to start. */
function prettyPrinterInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('pino-pretty');
    return true;
  } catch {
    return false;
  }
}

/* The process entry: configuration from the environment, then the server, then a clean stop on signals. */

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  const pretty = config.logFormat === 'pretty' && prettyPrinterInstalled();
  const https = config.https ? await devCertificates((message) => console.warn(message)) : undefined;
  const server = await startServer(config, {
    ...(https ? { https: { key: https.key, cert: https.cert } } : {}),
    logger: {
      level: config.logLevel,
      redact: ['req.headers.authorization', 'req.headers.cookie'],
      ...(pretty
        ? {
            transport: {
              target: 'pino-pretty',
              options: { translateTime: 'HH:MM:ss', ignore: 'pid,hostname,reqId', singleLine: false }
            }
          }
        : {})
    }
  });
  const facts = { url: server.url, config, store: server.store, demo: server.demo };
  if (pretty) console.log(`\n${startupBanner(facts).join('\n')}\n`);
  else
    server.app.log.info(
      { links: startupLinks(facts), demo: demoSummary(server.demo), store: server.store.description },
      `Interaction log API listening on ${server.url} (${server.store.engine}, ${config.authMode} auth)`
    );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    server.app.log.info(`${signal}: finishing in-flight requests, then closing the store`);
    const force = setTimeout(() => {
      server.app.log.error(`shutdown took longer than ${config.shutdownTimeoutMs} ms (SHUTDOWN_TIMEOUT_SECONDS)`);
      process.exit(1);
    }, config.shutdownTimeoutMs);
    force.unref();
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        server.app.log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      }
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  process.exit(1);
});
