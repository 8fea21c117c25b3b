import { createServiceApp, type ServiceDeps } from '@casino/shared';
import cors from 'cors';
import { type Express, Router } from 'express';
import helmet from 'helmet';
import { docsRouter, loadSpec } from './api/docs';
import { errorBurstReports } from './api/error-burst';
import { apiRoutes } from './api/routes';
import type { Upstreams } from './data/upstreams';
import { ChaosRunner } from './data/chaos-runner';
import { ScenarioControl } from './data/scenario-control';

/** Browsers may send trace headers, so a browser's trace continues into the backend. */
const ALLOWED_HEADERS = ['authorization', 'content-type', 'idempotency-key', 'sentry-trace', 'baggage', 'traceparent', 'tracestate'];
const EXPOSED_HEADERS = ['x-trace-id', 'idempotent-replayed', 'retry-after', 'ratelimit', 'ratelimit-policy', 'www-authenticate'];

/** The gateway: the public API, its documentation, authentication and rate limits. */
export function createApp(
  deps: ServiceDeps & { upstreams: Upstreams; spec?: Record<string, unknown>; syncScenariosEveryMs?: number },
): Express {
  const control = new ScenarioControl(deps);
  const chaos = new ChaosRunner(control, deps.scenarios, deps.logger);
  if (deps.syncScenariosEveryMs) control.startSync(deps.syncScenariosEveryMs);
  const routes = Router();
  routes.use(docsRouter(deps.spec ?? loadSpec()));
  routes.use('/api/v1', apiRoutes({ ...deps, control, chaos }));
  routes.use('/api/v1', errorBurstReports(deps.scenarios));
  return createServiceApp({
    ...deps,
    routes,
    // The gateway holds the scenario state; the services take it from here.
    scenarioRoutes: false,
    before: [
      helmet({ contentSecurityPolicy: { directives: { 'upgrade-insecure-requests': null } } }),
      cors({
        origin: deps.config.corsOrigins === '*' ? '*' : deps.config.corsOrigins,
        allowedHeaders: ALLOWED_HEADERS,
        exposedHeaders: EXPOSED_HEADERS,
        maxAge: 600,
      }),
    ],
  });
}
