import { type FrontendRuntimeConfig, traceUrl } from '../../shared/src/frontend-runtime-config';

/**
 * Settings read at run time from /config.json, which whoever serves the bundle writes: the demo
 * server from its environment, nginx from a mounted file. Missing or unreadable, the defaults run
 * the app against the same origin with nothing sent anywhere.
 */
export type RuntimeConfig = FrontendRuntimeConfig;

export const DEFAULT_CONFIG: RuntimeConfig = {
  apiBaseUrl: '',
  sentryDsn: null,
  tracesSampleRate: 1,
  replaysSessionSampleRate: 0.1,
  replaysOnErrorSampleRate: 1,
  spotlightUrl: null,
  traceLifecycle: 'stream',
  traceUrlTemplate: null,
  traceViewer: null,
};

const rate = (v: unknown, fallback: number) => (typeof v === 'number' && v >= 0 && v <= 1 ? v : fallback);
const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : null);

/** Keeps only well-formed values, so a hand-written config.json cannot break the app. */
export function parseConfig(raw: unknown): RuntimeConfig {
  const c = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
  const template = text(c.traceUrlTemplate);
  return {
    apiBaseUrl: (text(c.apiBaseUrl) ?? '').replace(/\/+$/, ''),
    sentryDsn: text(c.sentryDsn),
    tracesSampleRate: rate(c.tracesSampleRate, DEFAULT_CONFIG.tracesSampleRate),
    replaysSessionSampleRate: rate(c.replaysSessionSampleRate, DEFAULT_CONFIG.replaysSessionSampleRate),
    replaysOnErrorSampleRate: rate(c.replaysOnErrorSampleRate, DEFAULT_CONFIG.replaysOnErrorSampleRate),
    spotlightUrl: text(c.spotlightUrl),
    traceLifecycle: c.traceLifecycle === 'static' ? 'static' : 'stream',
    traceUrlTemplate: template?.includes('{traceId}') ? template : null,
    traceViewer: !template?.includes('{traceId}') ? null : c.traceViewer === 'Sentry' ? 'Sentry' : 'Spotlight',
  };
}

export async function loadConfig(): Promise<RuntimeConfig> {
  try {
    const res = await fetch('/config.json', { cache: 'no-store' });
    return res.ok ? parseConfig(await res.json()) : DEFAULT_CONFIG;
  } catch {
    return DEFAULT_CONFIG;
  }
}

export { traceUrl };
