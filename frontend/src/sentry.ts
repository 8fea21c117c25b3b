import * as Sentry from '@sentry/react';
import type { RuntimeConfig } from './config';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The browser is the first hop of every trace: fetches to the gateway (same origin through the
 * proxy, or the gateway's own origin under CORS) carry sentry-trace and baggage, so the backend's
 * spans join the browser's trace. Nothing else gets those headers.
 */
export function propagationTargets(apiBaseUrl: string, pageOrigin: string): RegExp[] {
  const origins = new Set([pageOrigin]);
  if (apiBaseUrl) origins.add(new URL(apiBaseUrl).origin);
  return [/^\/(?!\/)/, ...[...origins].map((o) => new RegExp(`^${escape(o)}(/|$)`))];
}

const SPOTLIGHT_ONLY_DSN = 'http://spotlight@localhost/0';

let pageScope: Sentry.Scope | undefined;
/**
 * The scope at the bottom of the SDK's scope stack, which holds what applies to the whole page. A
 * browser has no async context: while an action awaits, its forked scope stays on top of the stack
 * and is the "current" one for any code that runs meanwhile, so page-wide state is written here.
 */
export const getPageScope = (): Sentry.Scope | undefined => pageScope;

/** Starts the SDK. With no DSN and no Spotlight it stays off: nothing is sent, nothing is traced. */
export function initSentry(config: RuntimeConfig): void {
  if (!config.sentryDsn && !config.spotlightUrl) return;
  // The SDK only runs with a DSN. With Spotlight alone it gets a local placeholder DSN and a
  // transport that drops everything; the Spotlight integration forwards each envelope to the sidecar.
  const spotlightOnly = !config.sentryDsn;
  const sidecar = config.spotlightUrl ? new URL(config.spotlightUrl).origin : null;
  Sentry.init({
    dsn: config.sentryDsn ?? SPOTLIGHT_ONLY_DSN,
    ...(spotlightOnly
      ? {
          transport: (options: Parameters<typeof Sentry.makeFetchTransport>[0]) =>
            Sentry.createTransport(options, async () => ({ statusCode: 200 })),
        }
      : {}),
    release: __SENTRY_RELEASE__,
    environment: __SENTRY_ENVIRONMENT__,
    tracesSampleRate: config.tracesSampleRate,
    traceLifecycle: config.traceLifecycle,
    tracePropagationTargets: propagationTargets(config.apiBaseUrl, window.location.origin),
    propagateTraceparent: true,
    replaysSessionSampleRate: config.replaysSessionSampleRate,
    replaysOnErrorSampleRate: config.replaysOnErrorSampleRate,
    // As on the services: no user data, no bodies (passwords), no auth or key headers.
    dataCollection: {
      userInfo: false,
      cookies: false,
      httpBodies: [],
      httpHeaders: { request: { deny: ['authorization', 'cookie', 'idempotency-key'] }, response: { deny: ['set-cookie'] } },
    },
    integrations: [
      // The SDK's own posts to Spotlight are not the player's requests: no spans for them.
      Sentry.browserTracingIntegration({ shouldCreateSpanForRequest: (url) => !sidecar || !url.startsWith(sidecar) }),
      ...(config.spotlightUrl ? [Sentry.spotlightBrowserIntegration({ sidecarUrl: config.spotlightUrl })] : []),
      // Scenarios the browser runs, as flag evaluations on its error events (see flags.ts).
      Sentry.featureFlagsIntegration(),
    ],
    initialScope: { tags: { service: 'frontend' } },
    beforeSend(event) {
      // The bearer tokens live in sessionStorage and request headers; never let one ride along.
      if (event.request?.headers) delete event.request.headers.Authorization;
      // As on the services' events: where it came from and under which release, without the trace.
      event.tags = { ...event.tags, 'casino.service': 'frontend', ...(event.release ? { 'casino.release': event.release } : {}) };
      return event;
    },
  });
  // Called before the app renders: nothing has forked a scope yet.
  pageScope = Sentry.getCurrentScope();
  // Session replay is the largest part of the SDK: it loads after the page, in its own chunk, so
  // the lobby's first load does not wait for it. Inputs and text stay masked.
  if (config.sentryDsn && (config.replaysSessionSampleRate > 0 || config.replaysOnErrorSampleRate > 0)) {
    void import('@sentry/replay').then(({ replayIntegration }) =>
      Sentry.addIntegration(replayIntegration({ maskAllText: true, blockAllMedia: true })),
    );
  }
}
