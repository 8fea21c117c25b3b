/**
 * Scenarios are the platform's feature flags. Each request and each scheduled job records the
 * scenarios on at its start as flag evaluations through the SDK's feature-flags integration: its
 * error events carry them (`contexts.flags`, which Sentry's issue page lists and its suspect-flags
 * view compares), and so does its span (`flag.evaluation.<name>`). With none on, nothing is added.
 */
import type { FeatureFlagsIntegration } from '@sentry/core';
import * as Sentry from '@sentry/node';
import type { Scenarios } from './state';

/** Records the scenarios on now on the current scope and the active span. */
export function flagScenarios(scenarios: Scenarios): void {
  const on = scenarios.enabled();
  if (!on.length) return;
  const flags = Sentry.getClient()?.getIntegrationByName<FeatureFlagsIntegration>('FeatureFlags');
  for (const name of on) flags?.addFeatureFlag(name, true);
}
