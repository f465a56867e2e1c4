import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import cors from '@fastify/cors';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, {
  LogController,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions
} from 'fastify';
import { AddinConfig } from '../shared/schemas/addin-config.js';
import { DevTokenRequest, DevTokenResponse } from '../shared/schemas/auth.js';
import { Problem } from '../shared/schemas/common.js';
import { authenticateWith } from './auth/authenticate.js';
import { historyPageCache, visibilityScopeCache } from './caches.js';
import type { DevIssuer } from './auth/dev-issuer.js';
import type { TokenVerifier } from './auth/tokens.js';
import type { MailboxService } from './mailbox/service.js';
import type { Config } from './config.js';
import { registerDevStandIns } from './dev-stand-ins.js';
import { registerJsonBodyParser } from './http/json-body.js';
import { frameworkErrorProblem, registerProblemHandlers, sendProblem } from './http/problems.js';
import { clampPageLimit } from './http/query.js';
import { createRateLimits } from './http/rate-limits.js';
import { openApiOptions } from './http/openapi.js';
import { registerSecurityHeaders } from './http/security-headers.js';
import { boundConnectionsPerAddress, checkingIntervalFor, closeAfterEarlyErrors } from './http/slow-clients.js';
import { addPanePage, withAddinConfig } from './http/pane-page.js';
import { registerStaticFiles } from './http/static-files.js';
import { addinConfigFor } from './http/routes/addin-config.js';
import { adminDirectoryRoutes } from './http/routes/admin-directory.js';
import { adminMailboxRoutes } from './http/routes/admin-mailbox.js';
import { adminSetupRoutes } from './http/routes/admin-setup.js';
import { composeRoutes } from './http/routes/compose.js';
import { directoryRoutes } from './http/routes/directory.js';
import { interactionRoutes } from './http/routes/interactions.js';
import { graphNotificationRoutes } from './http/routes/graph-notifications.js';
import { opportunityRoutes } from './http/routes/opportunities.js';
import { settingsRoutes } from './http/routes/settings.js';
import { teamRoutes } from './http/routes/team.js';
import { rejectNulCharacters, validatorCompiler } from './http/validation.js';
import type { Store } from './store/index.js';

export interface AppDependencies {
  config: Config;
  store: Store;
  verifyToken: TokenVerifier;
  /** Present in dev mode only; its route does not exist otherwise. */
  devIssuer: DevIssuer | null;
  mailbox: MailboxService;
  /** Built pane to serve at the root (dist/), when it exists. */
  staticRoot?: string | undefined;
  logger?: FastifyServerOptions['logger'];
  /** TLS key and certificate: the server then speaks HTTPS only. */
  https?: { key: string | Buffer; cert: string | Buffer } | undefined;
  /** True once the process is shutting down: /readyz then answers 503 so load balancers stop sending. */
  shuttingDown?: () => boolean;
}

export const BODY_LIMIT_BYTES = 1024 * 1024;

/** What the log never shows, whoever logs a request, a reply or a configuration object. */
export const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'authorization',
  'accessToken',
  'clientSecret',
  'client_secret',
  '*.authorization',
  '*.accessToken',
  '*.clientSecret',
  '*.client_secret',
  '*.*.clientSecret'
];

/**
 * A request URL as the log shows it: without its query string, which carries contacts' addresses
 * (`?correspondent=…`, `?email=…`) and search words, as the headers carry tokens.
 */
export const urlForLog = (url: string): string => {
  const query = url.indexOf('?');
  return query < 0 ? url : `${url.slice(0, query)}?[redacted]`;
};

/**
 * Fastify's request serializer with the URL as urlForLog gives it. Anything else logged as `req` (a handler's
 * own object) keeps its fields, its `url` redacted the same way; redaction paths still apply to it.
 */
function requestForLog(request: FastifyRequest): Record<string, string | number | undefined> {
  if (!('raw' in request)) {
    const own = request as unknown as { url?: unknown };
    return (typeof own.url === 'string' ? { ...own, url: urlForLog(own.url) } : own) as Record<string, string>;
  }
  return {
    method: request.method,
    url: urlForLog(request.url),
    version: request.headers['accept-version']?.toString(),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort
  };
}

/** The logger options with our redaction added to whatever the caller asked for. */
function withRedaction(logger: FastifyServerOptions['logger']): FastifyServerOptions['logger'] {
  if (!logger) return false;
  const options = logger === true ? {} : logger;
  const given = Array.isArray(options.redact) ? options.redact : (options.redact?.paths ?? []);
  return {
    ...options,
    redact: { paths: [...new Set([...given, ...REDACTED_LOG_PATHS])], censor: '[redacted]' },
    serializers: { ...options.serializers, req: requestForLog }
  };
}
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Pretty logs' request lines, through Fastify's own extension point: one short line per answered request for
 * people ("GET /api/v1/me 200 3 ms") instead of two objects. The query string is left out: it can hold contacts'
 * addresses. An error is logged in full, with its stack.
 */
class OneLineRequestLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const line = `${request.method} ${request.url.split('?', 1)[0]} ${reply.statusCode} ${Math.round(reply.elapsedTime)} ms`;
    if (error) reply.log.error({ err: error }, line);
    else if (reply.statusCode >= 500) reply.log.error(line);
    else reply.log.info(line);
  }
}

const READ_ONLY_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export async function buildApp(deps: AppDependencies): Promise<FastifyInstance> {
  const { config, store } = deps;
  const app = createFastify(deps);

  // Node's own limit for the headers alone (60 s) must not exceed the whole request's.
  app.server.headersTimeout = config.requestTimeoutMs;
  boundConnectionsPerAddress(app.server, config.maxConnectionsPerAddress);
  closeAfterEarlyErrors(app);
  app.setValidatorCompiler(validatorCompiler);
  registerJsonBodyParser(app);
  app.addHook('preValidation', rejectNulCharacters);
  app.addHook('preValidation', clampPageLimit);
  app.decorateRequest('principal', null);
  app.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  registerProblemHandlers(app);
  registerSecurityHeaders(app, { production: config.nodeEnv === 'production' });
  const limits = createRateLimits(config.rateLimits);

  if (config.addinOrigin) {
    // A list, so only that origin is ever echoed (a fixed string would be sent to every origin).
    await app.register(cors, { origin: [config.addinOrigin], credentials: false, maxAge: 600 });
  }

  await app.register(swagger, openApiOptions);

  registerOperationalRoutes(app, deps);

  await registerDevRoutes(app, deps, limits);

  // Microsoft Graph's deliveries carry no token: outside the authenticated scope, with their own limits.
  await app.register(graphNotificationRoutes, { prefix: '/api/v1/graph', mailbox: deps.mailbox });

  await app.register(
    async (api) => {
      api.addHook('onRequest', authenticateWith(deps.verifyToken, limits));
      api.addHook('onSend', async (request) => {
        // Read your own writes: a write is answered once the caches know of it (on PostgreSQL its notifications
        // arrive on another connection, a moment after the commit).
        if (!READ_ONLY_METHODS.has(request.method)) await store.invalidations.caughtUp();
      });
      await api.register(directoryRoutes, { store });
      // The app's caches of the store, made once beside it and handed to the routes that read through them.
      const historyCache = historyPageCache(config, store.invalidations);
      const sources = { store, scopes: visibilityScopeCache(store.invalidations) };
      await api.register(interactionRoutes, { ...sources, historyCache, limits });
      await api.register(opportunityRoutes, sources);
      await api.register(composeRoutes, sources);
      await api.register(adminMailboxRoutes, { store, mailbox: deps.mailbox, config });
      await api.register(adminSetupRoutes, { store, config });
      await api.register(adminDirectoryRoutes, { store });
      await api.register(settingsRoutes, { store });
      await api.register(teamRoutes, sources);
    },
    { prefix: '/api/v1' }
  );

  if (deps.staticRoot && existsSync(deps.staticRoot)) {
    addPanePage(app, { root: deps.staticRoot, config: addinConfigFor(config) });
    await registerStaticFiles(app, deps.staticRoot, { serveSourceMaps: config.nodeEnv !== 'production' });
  }
  return app;
}

/** The Fastify instance with the server's options: timeouts, logging, proxy trust, body limit, request ids. */
function createFastify(deps: AppDependencies) {
  const { config } = deps;
  // With `https`, Fastify builds an https.Server; the routes and hooks are typed the same either way.
  const checking = { connectionsCheckingInterval: checkingIntervalFor(config.requestTimeoutMs) };
  // Fastify hands `http` (or `https`) to Node's createServer; its types know only one of them at a time.
  const serverOptions = (deps.https
    ? { https: { ...deps.https, ...checking } }
    : { http: checking }) as unknown as FastifyServerOptions;
  return Fastify({
    ...serverOptions,
    requestTimeout: config.requestTimeoutMs,
    connectionTimeout: config.requestTimeoutMs,
    logger: withRedaction(deps.logger),
    trustProxy: config.trustProxy,
    bodyLimit: BODY_LIMIT_BYTES,
    // A caller's request id is kept when it is safe to log; otherwise we make one.
    requestIdHeader: false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    routerOptions: { ignoreTrailingSlash: true },
    frameworkErrors: frameworkErrorProblem,
    ...(config.logFormat === 'pretty' ? { logController: new OneLineRequestLog() } : {})
  }).withTypeProvider<TypeBoxTypeProvider>();
}

type App = ReturnType<typeof createFastify>;

/** Liveness, readiness, the OpenAPI document and the add-in's configuration: no token needed. */
function registerOperationalRoutes(app: App, deps: AppDependencies): void {
  const { config, store } = deps;
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    if (deps.shuttingDown?.()) {
      return sendProblem(reply, 503, 'This instance is shutting down.', { code: 'shutting-down' });
    }
    // A StoreUnavailableError becomes a 503 problem with Retry-After, its cause in the log.
    await store.checkWritable();
    return { status: 'ready', store: store.engine };
  });
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  const addinConfig = addinConfigFor(config);
  app.get('/addin/config.json', { schema: { hide: true, response: { 200: AddinConfig } } }, async (_request, reply) => {
    void reply.header('cache-control', 'no-store');
    return addinConfig;
  });
}

/** Dev mode only: the token route and the stand-ins for Microsoft's cloud. */
async function registerDevRoutes(app: App, deps: AppDependencies, limits: ReturnType<typeof createRateLimits>) {
  const { devIssuer } = deps;
  if (devIssuer) {
    app.post(
      '/api/v1/dev/token',
      {
        schema: {
          operationId: 'issueDevToken',
          tags: ['dev'],
          summary: 'Dev mode only: a token shaped like an Entra ID access token',
          security: [],
          body: DevTokenRequest,
          response: { 200: DevTokenResponse, 400: Problem }
        },
        onRequest: (request, _reply, done) => {
          limits.unauthenticated(request);
          done();
        }
      },
      async (request) => devIssuer.issue(request.body)
    );
    const addinConfig = addinConfigFor(deps.config);
    await registerDevStandIns(app, {
      verifyToken: deps.verifyToken,
      staticRoot: deps.staticRoot,
      panePage: (html) => withAddinConfig(html, addinConfig)
    });
  }
}
