/**
 * Marks the spans of generated traffic, so a view can leave it out (or show only it). The traffic
 * generator sends `baggage: synthetic=true`; Sentry's SDK reads only its own `sentry-*` entries
 * from baggage and passes nothing else on, so the gateway, where traffic enters, records the mark.
 */
import { parseBaggageHeader } from '@sentry/core';
import * as Sentry from '@sentry/node';
import { Attr } from './telemetry';

/** Span attribute and event tag on requests from the traffic generator (or any caller that says so). */
export const SYNTHETIC_ATTRIBUTE = Attr.synthetic;

/** True when the baggage header has the entry `synthetic=true`, among any others. */
export function isSynthetic(baggage: string | string[] | undefined): boolean {
  return parseBaggageHeader(baggage)?.synthetic === 'true';
}

/**
 * Sets `casino.synthetic=true` on the active span and on its root (the request's server span, which
 * views and sampling rules read), and as a tag on the request's scope so its errors carry it too.
 */
export function markSynthetic(baggage: string | string[] | undefined): void {
  if (!isSynthetic(baggage)) return;
  const span = Sentry.getActiveSpan();
  if (span) {
    span.setAttribute(SYNTHETIC_ATTRIBUTE, true);
    Sentry.getRootSpan(span).setAttribute(SYNTHETIC_ATTRIBUTE, true);
  }
  Sentry.getIsolationScope().setTag(SYNTHETIC_ATTRIBUTE, 'true');
}
