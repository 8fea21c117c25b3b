import { type IncomingHttpHeaders, IncomingMessage } from 'node:http';

// All-zero trace and parent ids are invalid (W3C Trace Context): such a traceparent is ignored.
const TRACEPARENT = /^00-(?!0{32})([0-9a-f]{32})-(?!0{16})([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * The Sentry SDK continues incoming traces from `sentry-trace` only. A caller instrumented with
 * plain OpenTelemetry sends just the W3C `traceparent`; this request class derives the
 * equivalent `sentry-trace` from it, so that caller's trace continues here too.
 */
export class W3CTraceIncomingMessage extends IncomingMessage {}

// Node builds `headers` lazily in an accessor on IncomingMessage.prototype; wrap that accessor.
const parent = Object.getOwnPropertyDescriptor(IncomingMessage.prototype, 'headers')!;
Object.defineProperty(W3CTraceIncomingMessage.prototype, 'headers', {
  configurable: true,
  get(this: IncomingMessage): IncomingHttpHeaders {
    const headers = parent.get!.call(this) as IncomingHttpHeaders;
    const match = typeof headers.traceparent === 'string' && !headers['sentry-trace'] ? TRACEPARENT.exec(headers.traceparent) : null;
    if (match) headers['sentry-trace'] = `${match[1]}-${match[2]}-${parseInt(match[3]!, 16) & 1}`;
    return headers;
  },
  set(this: IncomingMessage, value: IncomingHttpHeaders) {
    parent.set!.call(this, value);
  },
});
