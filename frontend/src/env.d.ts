declare const __SENTRY_RELEASE__: string;
declare const __SENTRY_ENVIRONMENT__: string;

/** Chromium's non-standard heap figures (`performance.memory`). */
interface Performance {
  memory?: { usedJSHeapSize: number; totalJSHeapSize: number; jsHeapSizeLimit: number };
}
