import { createServiceApp, type ServiceDeps } from '@casino/shared';
import cors from 'cors';
import { type Express, Router } from 'express';
import helmet from 'helmet';
import { docsRouter, loadSpec } from './api/docs';
import { apiRoutes, type Upstreams } from './api/routes';

/** Browsers may send trace headers, so a browser's trace continues into the backend. */
const ALLOWED_HEADERS = ['authorization', 'content-type', 'idempotency-key', 'sentry-trace', 'baggage', 'traceparent', 'tracestate'];
const EXPOSED_HEADERS = ['x-trace-id', 'idempotent-replayed', 'retry-after', 'ratelimit', 'ratelimit-policy', 'www-authenticate'];

/** The gateway: the public API, its documentation, authentication and rate limits. */
export function createApp(deps: ServiceDeps & { upstreams: Upstreams; spec?: Record<string, unknown> }): Express {
  const routes = Router();
  routes.use(docsRouter(deps.spec ?? loadSpec()));
  routes.use('/api/v1', apiRoutes(deps));
  return createServiceApp({
    ...deps,
    routes,
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
