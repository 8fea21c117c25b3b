/**
 * What the browser app reads from /config.json: written by the demo's frontend server
 * (frontend-server.ts, from parseFrontendConfig) or nginx's start-up script, read by
 * frontend/src/config.ts. No imports, so the browser build can use the same type.
 */
export interface FrontendRuntimeConfig {
  /** Where the gateway is: '' for the same origin (a proxy passes /api on), else its origin (CORS). */
  apiBaseUrl: string;
  /** The browser project's DSN; null sends nothing. */
  sentryDsn: string | null;
  tracesSampleRate: number;
  replaysSessionSampleRate: number;
  replaysOnErrorSampleRate: number;
  /** The Spotlight sidecar's stream URL when Spotlight is on. */
  spotlightUrl: string | null;
  /** How spans are sent: streamed, or as transactions (static), which Spotlight's UI needs. */
  traceLifecycle: 'stream' | 'static';
  /**
   * Trace links: `{traceId}` is replaced. Sentry's trace view when an organisation is configured,
   * else Spotlight's when Spotlight is on; null when there is no viewer to open.
   */
  traceUrlTemplate: string | null;
  traceViewer: 'Sentry' | 'Spotlight' | null;
}

/** A trace's page in the configured viewer, or null when there is none to open. */
export const traceUrl = (config: Pick<FrontendRuntimeConfig, 'traceUrlTemplate'>, traceId: string): string | null =>
  config.traceUrlTemplate?.replace('{traceId}', encodeURIComponent(traceId)) ?? null;
