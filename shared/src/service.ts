import { createServer, type Server } from 'node:http';
import * as Sentry from '@sentry/node';
import express, { type Express, type NextFunction, type Request, type RequestHandler, type Response, type Router } from 'express';
import { backoffDelay, sleep } from './backoff';
import { type Cache, createCache } from './cache';
import { outageAwareCache } from './scenarios/cache-outage';
import { type Config, loadConfig, type ServiceName } from './config';
import { AppError, notFoundHandler, problemHandler, sendProblem } from './errors';
import { healthRouter } from './health';
import { createLogger, httpLogger, type Logger } from './logger';
import { type BusinessMetric, createMetrics, type Metrics, metricsJson, metricsMiddleware } from './metrics';
import { sentryMode } from './sentry';
import { createStore, RETENTION_MIN_AGE_MS, type RetentionPolicy, type Store, StoreUnavailableError } from './store';
import { flagScenarios, type ScenarioName, Scenarios, startState } from './scenarios';
import { runRequest } from './request-context';
import {
  type CallerPolicy,
  IDENTITY_PROBLEMS,
  SCENARIO_CALLERS,
  type IdentityProblem,
  requireCallers,
  TokenVerifier,
} from './service-identity';
import { scenarioStateRouter } from './scenarios/route';
import { markSynthetic } from './synthetic';
import { requestTraceId, traceIds } from './telemetry';
import { W3CTraceIncomingMessage } from './w3c';

/** What every service's createApp receives. Tests build it with `testDeps`. */
export interface ServiceDeps {
  config: Config;
  logger: Logger;
  metrics: Metrics;
  store: Store;
  cache: Cache;
  /** The demo scenarios as the gateway last said, or as SCENARIOS set them at start. */
  scenarios: Scenarios;
  /** True once shutdown has begun. */
  draining: () => boolean;
}

export interface ServiceAppOptions extends ServiceDeps {
  routes: Router;
  /** Middleware that must run before body parsing, e.g. CORS or docs. */
  before?: RequestHandler[];
  bodyLimit?: string;
  /**
   * Serves GET and PUT /internal/scenarios, through which the gateway sets the scenario state.
   * Off for the gateway, which holds that state itself and is the only public service.
   */
  scenarioRoutes?: boolean;
  /**
   * Which services may call which route: required of every service but the gateway, whose API is
   * public. The gateway alone may set the scenarios (/internal/scenarios), whatever this says.
   */
  callers?: CallerPolicy;
}

/** 401 or 403 as problem+json, for a call that identity checks refuse. */
function refuseCaller(res: Response, problem: IdentityProblem, detail: string): void {
  const { status, title } = IDENTITY_PROBLEMS[problem];
  sendProblem(res, new AppError(status, { slug: problem, title, detail }));
}

/** How long an idle connection to a service stays open. */
const KEEP_ALIVE_MS = 65_000;

/**
 * Where every request starts: its context (its own trace id while the SDK is off, and a place for
 * the scenarios that affect it, which its request log line reads from the response), the synthetic
 * mark, the scenarios on as its feature flags, and `x-trace-id`, which lets any client, curl
 * included, quote the trace of what it just did.
 */
const enterRequest =
  (on: Scenarios) =>
  (req: Request, res: Response, next: NextFunction): void => {
    const scenarios = new Set<ScenarioName>();
    res.locals.scenarios = scenarios;
    markSynthetic(req.headers.baggage);
    flagScenarios(on);
    runRequest({ traceId: requestTraceId(req.headers), scenarios }, () => {
      res.setHeader('x-trace-id', traceIds().traceId);
      next();
    });
  };

/**
 * The common shape of every service: request log, metrics, health, JSON bodies, the routes, then
 * 404 and problem+json for everything that goes wrong.
 */
export function createServiceApp(options: ServiceAppOptions): Express {
  const { logger, metrics, routes } = options;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', options.config.trustProxy);
  app.use(enterRequest(options.scenarios));
  // While draining, each answer closes its connection: a caller's keep-alive connection would
  // otherwise go on bringing new requests until the shutdown timeout cut it, requests and all.
  app.use((_req, res, next) => {
    if (options.draining()) res.setHeader('connection', 'close');
    next();
  });
  app.use(httpLogger(logger));
  app.use(metricsMiddleware(metrics));
  const { service, identity } = options.config;
  if (service !== 'gateway') {
    if (!options.callers) throw new Error(`the ${service} service must say which services may call its routes`);
    const verifier = new TokenVerifier(service, identity.publicKeys);
    app.use(requireCallers(service, verifier, { ...options.callers, ...SCENARIO_CALLERS }, refuseCaller));
  }
  app.use(healthRouter(options));
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  app.get('/metrics/json', async (_req, res) => {
    res.json(await metricsJson(metrics.registry));
  });
  for (const handler of options.before ?? []) app.use(handler);
  app.use(express.json({ limit: options.bodyLimit ?? '16kb', strict: true }));
  if (options.scenarioRoutes ?? true) app.use(scenarioStateRouter(options.scenarios));
  app.use(routes);
  app.use(notFoundHandler);
  app.use(problemHandler(logger));
  return app;
}

/**
 * Runs `pass` every `everyMs` in the background until `stopWhen` says so (the service drains, say),
 * never keeping the process alive. A pass that fails is logged and the next one tries again.
 */
export function repeatInBackground(
  everyMs: number,
  logger: Logger,
  what: string,
  pass: () => Promise<void>,
  stopWhen: () => boolean = () => false,
): void {
  const timer = setInterval(() => {
    if (stopWhen()) return clearInterval(timer);
    pass().catch((err: Error) => logger.warn({ err: { message: err.message } }, `${what} failed; retrying later`));
  }, everyMs).unref();
}

/**
 * Runs a retention pass every `retainEveryMs` while the service serves, when it is given (the
 * service's main gives it; component tests leave it out) and RETAIN_RECORDS keeps a bound (the
 * embedded store's default): `retire` drops the oldest finished records beyond it and says how
 * many went.
 */
export function retainInBackground(
  deps: Pick<ServiceDeps, 'config' | 'logger' | 'draining'> & { retainEveryMs?: number },
  what: string,
  retire: (policy: RetentionPolicy) => Promise<number>,
): void {
  const keep = deps.config.retainRecords;
  const everyMs = deps.retainEveryMs;
  if (!everyMs || keep <= 0) return;
  const pass = async () => {
    const retired = await retire({ keep, minAgeMs: RETENTION_MIN_AGE_MS });
    if (retired) deps.logger.info({ retired, keep }, `retired the oldest ${what} into carried totals`);
  };
  repeatInBackground(everyMs, deps.logger, `${what} retention pass`, pass, deps.draining);
}

/** Waits for the store with backoff and jitter, up to a bound, then gives up loudly. */
async function initStore(store: Store, logger: Logger, deadlineMs: number): Promise<void> {
  const start = Date.now();
  for (let attempt = 0; ; attempt++) {
    try {
      await store.init();
      if (attempt > 0)
        logger.info({ attempts: attempt + 1 }, `${store.kind} reachable after ${((Date.now() - start) / 1000).toFixed(1)} s`);
      return;
    } catch (err) {
      if (!(err instanceof StoreUnavailableError)) throw err;
      const waitMs = backoffDelay(attempt, 250, 5000);
      if (Date.now() - start + waitMs > deadlineMs) {
        throw new Error(
          `${store.kind} was not reachable within ${Math.round(deadlineMs / 1000)} s (MONGO_CONNECT_TIMEOUT_MS): ${err.message}`,
          { cause: err },
        );
      }
      logger.warn({ err: { message: err.message }, attempt }, `${store.kind} not reachable yet; retrying`);
      await sleep(waitMs);
    }
  }
}

/**
 * Starts a service: config (fail fast), logger, metrics, store, cache, the app, then listens.
 * SIGTERM, SIGINT or the launcher going away drain in-flight requests, flush Sentry and exit.
 */
export async function runService(
  service: ServiceName,
  owned: readonly BusinessMetric[],
  build: (deps: ServiceDeps) => Express,
): Promise<Server> {
  try {
    return await start(service, owned, build);
  } catch (err) {
    // A service that cannot start says why and exits non-zero, so its supervisor notices.
    console.error(`[${service}] failed to start:`, err);
    await Sentry.close(2000).catch(() => undefined);
    process.exit(1);
  }
}

async function start(service: ServiceName, owned: readonly BusinessMetric[], build: (deps: ServiceDeps) => Express): Promise<Server> {
  const config = loadConfig(service);
  const logger = createLogger({ service, version: config.version, level: config.logLevel });
  let draining = false;
  const deps: ServiceDeps = {
    config,
    logger,
    metrics: createMetrics(service, owned),
    store: createStore({ mongoUrl: config.mongoUrl, database: `casino_${service}`, dataDir: config.embeddedDataDir }),
    cache: createCache({ redisUrl: config.redisUrl, namespace: service, logger }),
    scenarios: new Scenarios(startState(config.scenarios)),
    draining: () => draining,
  };
  deps.cache = outageAwareCache(deps.cache, deps.scenarios, logger);
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));

  const app = build(deps);
  await initStore(deps.store, logger, config.mongoConnectTimeoutMs);
  // Idle keep-alive connections outlive the callers' (undici keeps one 4 s): the caller always lets
  // go first, so no request is ever sent on a connection this server is closing ("other side closed").
  const server = createServer({ IncomingMessage: W3CTraceIncomingMessage, keepAliveTimeout: KEEP_ALIVE_MS }, app);
  server.listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  }).catch((err: Error) => {
    logger.fatal({ err }, `cannot listen on ${config.host}:${config.port}`);
    process.exit(1);
  });
  logger.info(
    { port: config.port, store: deps.store.kind, cache: deps.cache.status(), sentry: sentryMode(), release: config.sentry.release },
    `${service} listening on http://${config.host}:${config.port}`,
  );

  const shutdown = async (why: string) => {
    if (draining) return;
    draining = true;
    logger.info(`${why}: draining`);
    const force = setTimeout(() => server.closeAllConnections(), config.shutdownTimeoutMs).unref();
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    clearTimeout(force);
    await Sentry.close(2000).catch(() => undefined);
    await Promise.allSettled([deps.store.close(), deps.cache.close()]);
    logger.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
  // Started by the demo launcher over IPC: if the launcher dies, even by SIGKILL, we go too.
  if (process.send) process.once('disconnect', () => void shutdown('launcher gone'));
  return server;
}
