/**
 * Serves the built web frontend (frontend/dist): the assets, /config.json with the settings the
 * browser needs at run time, and /api passed on to the gateway, so the app works from one origin.
 * With FRONTEND_API_URL set the browser calls the gateway itself (CORS) and the proxy sits idle.
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import express from 'express';
import helmet from 'helmet';
import { createProxyMiddleware } from 'http-proxy-middleware';
import type { FrontendConfig } from '@casino/shared/config';

export interface FrontendServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

const origin = (url: string | null) => (url ? new URL(url).origin : null);

/** Where the page may connect: itself, the gateway under CORS, Sentry's ingest, Spotlight. */
export function connectSources(config: FrontendConfig): string[] {
  const { runtime } = config;
  return [
    "'self'",
    ...new Set(
      [origin(runtime.apiBaseUrl || null), origin(runtime.sentryDsn), origin(runtime.spotlightUrl)].filter((o): o is string => o !== null),
    ),
  ];
}

/** A path as the static middleware decodes it; one that cannot be decoded is left as it is. */
function decodedPath(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

export function frontendApp(config: FrontendConfig, distDir: string): express.Express {
  if (!existsSync(join(distDir, 'index.html'))) {
    throw new Error(`The frontend is not built (${join(distDir, 'index.html')} is missing): run npm run build.`);
  }
  const app = express();
  app.disable('x-powered-by');
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          'default-src': ["'self'"],
          'script-src': ["'self'"],
          'style-src': ["'self'"],
          'img-src': ["'self'", 'data:'],
          'connect-src': connectSources(config),
          // Session replay compresses in a worker it starts from a blob.
          'worker-src': ["'self'", 'blob:'],
          'upgrade-insecure-requests': null,
        },
      },
      crossOriginEmbedderPolicy: false,
      // Plain HTTP on a laptop; TLS (and HSTS) belong to whatever terminates it in front.
      strictTransportSecurity: false,
    }),
  );
  app.get('/config.json', (_req, res) => {
    res.set('cache-control', 'no-store').json(config.runtime);
  });
  app.use(
    createProxyMiddleware({
      target: config.gatewayUrl,
      pathFilter: '/api',
      xfwd: true,
      proxyTimeout: 60_000,
      on: {
        // Set, never appended to: whatever X-Forwarded-For a client sends is dropped, so the
        // gateway (which trusts this one hop) sees the address that really connected.
        proxyReq: (proxyReq, req) => {
          proxyReq.setHeader('x-forwarded-for', req.socket.remoteAddress ?? '');
        },
        error: (err, _req, res) => {
          // A gateway that is down answers like any other failure: a problem document.
          if (!('writeHead' in res) || res.headersSent) return void res.end();
          res.writeHead(502, { 'content-type': 'application/problem+json' });
          res.end(
            JSON.stringify({
              type: 'urn:casino:problem:gateway-unreachable',
              title: 'Bad Gateway',
              status: 502,
              detail: `The frontend server cannot reach the gateway at ${config.gatewayUrl} (${(err as NodeJS.ErrnoException).code ?? err.message}).`,
            }),
          );
        },
      },
    }),
  );
  // The hidden source maps are for Sentry, not for whoever asks: refused by the path the static
  // files are looked up by, decoded as they decode it, so no spelling of `.map` gets through.
  app.use((req, res, next) => (/\.map$/i.test(decodedPath(req.path)) ? void res.sendStatus(404) : next()));
  // Hashed assets never change; index.html always revalidates so a new build is picked up at once.
  app.use('/assets', express.static(join(distDir, 'assets'), { immutable: true, maxAge: '1y', fallthrough: false }));
  app.use(express.static(distDir, { index: false, maxAge: 0 }));
  app.get(['/', '/console', '/console/{*rest}'], (_req, res) => {
    res.set('cache-control', 'no-cache').sendFile(join(distDir, 'index.html'));
  });
  return app;
}

/** Listens on the configured port (0 for any free one). */
export async function startFrontendServer(config: FrontendConfig, distDir: string): Promise<FrontendServer> {
  const app = frontendApp(config, distDir);
  const server = createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
