/**
 * What a scenario affected: each request records the scenarios that acted on it, and the marks reach
 * its spans, its events and its log lines, so a presenter can filter on `casino.scenario`.
 */
import * as Sentry from '@sentry/node';
import { currentRequest } from '../request-context';
import { Attr } from '../telemetry';
import type { ScenarioName } from './catalogue';

/** The scenarios that affected the current request so far, comma-separated; undefined if none. */
export function appliedScenarios(): string | undefined {
  const names = currentRequest()?.scenarios;
  return names?.size ? [...names].join(',') : undefined;
}

/**
 * Marks the current request as affected by a scenario: an attribute on the active span and on the
 * service's root span, a tag on every event the request reports, and a field on its log lines, so
 * a presenter can filter on `casino.scenario`.
 */
export function scenarioApplied(name: ScenarioName): void {
  const names = currentRequest()?.scenarios;
  names?.add(name);
  const value = names?.size ? [...names].join(',') : name;
  const span = Sentry.getActiveSpan();
  if (span) {
    span.setAttribute(Attr.scenario, value);
    Sentry.getRootSpan(span).setAttribute(Attr.scenario, value);
    // The isolation scope is per request only while the SDK runs.
    Sentry.getIsolationScope().setTag(Attr.scenario, value);
  }
}
