/**
 * Loaded with `--import` before each hop of the bench's "bare chain + SDK" row: the SDK as its own
 * documentation starts it, tracing every request, and nothing else of the platform's, sending to
 * the bench's ingest. What Sentry costs a service that does almost nothing but forward a request.
 */
import * as Sentry from '@sentry/node';

Sentry.init({ dsn: process.env.HOP_SENTRY_DSN, tracesSampleRate: 1 });
