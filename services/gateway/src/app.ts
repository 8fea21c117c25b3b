import { createServiceApp, scheduleJob, type ServiceDeps } from '@casino/shared';
import cors from 'cors';
import { type Express, Router } from 'express';
import helmet from 'helmet';
import { requireAdmin } from './api/auth';
import { docsRouter, loadSpec } from './api/docs';
import { apiRoutes } from './api/routes';
import type { Upstreams } from './data/upstreams';
import { reconcileOnSchedule } from './ops/reconcile-on-schedule';
import { readReconciliation } from './ops/reconciliation';
import { opsRoutes } from './ops/routes';
import { gatewayFaults } from './scenarios';

/** Browsers may send trace headers, so a browser's trace continues into the backend. */
const ALLOWED_HEADERS = ['authorization', 'content-type', 'idempotency-key', 'sentry-trace', 'baggage', 'traceparent', 'tracestate'];
const EXPOSED_HEADERS = ['x-trace-id', 'idempotent-replayed', 'retry-after', 'ratelimit', 'ratelimit-policy', 'www-authenticate'];

/**
 * The gateway: the public API (api/) and its documentation, beside the control plane (ops/) behind
 * the admin token; authentication, rate limits and the gateway's own faults (scenarios/).
 */
export function createApp(
  deps: ServiceDeps & { upstreams: Upstreams; spec?: Record<string, unknown>; syncScenariosEveryMs?: number; jobs?: boolean },
): Express {
  const faults = gatewayFaults(deps.scenarios, deps.upstreams);
  // Scheduled work, a Sentry cron monitor each (jobs/catalogue.ts); the service's main turns it on.
  if (deps.jobs) scheduleJob(deps, 'reconciliation', () => reconcileOnSchedule(() => readReconciliation(deps.upstreams)));
  const routes = Router();
  routes.use(docsRouter(deps.spec ?? loadSpec()));
  routes.use('/api/v1/admin', requireAdmin(deps.config.adminToken, deps.cache, deps.config.jwt.secret), opsRoutes(deps));
  routes.use('/api/v1', apiRoutes({ ...deps, faults }));
  routes.use('/api/v1', faults.apiErrors);
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
