import * as Sentry from '@sentry/react';
import type { FeatureFlagsIntegration } from '@sentry/react';
import { getPageScope } from './sentry';

/** The scenarios the browser itself runs: the only ones it records as feature flags. */
export type BrowserFlag = 'frontend-memory-leak';

/**
 * Records a flag evaluation through the SDK's feature-flags integration: the browser's error events
 * then list it under `contexts.flags` (Sentry's issue page shows it, and its suspect-flags view
 * compares it), and the active span gets `flag.evaluation.<name>`. Recorded on or off, but only
 * once the frontend has learnt the state: a page that never asked records nothing.
 *
 * The integration writes to the current scope, and a forked scope keeps its own copy of the flags.
 * Read while an action runs (the console's switch reloads the scenarios inside its action), the
 * evaluation would stay in that action's scope and be gone when it ends; so it is written to the
 * page's scope as well, for every error after it.
 */
export function recordFlag(name: BrowserFlag, on: boolean): void {
  const flags = Sentry.getClient()?.getIntegrationByName<FeatureFlagsIntegration>('FeatureFlags');
  if (!flags) return;
  flags.addFeatureFlag(name, on);
  const page = getPageScope();
  if (page && page !== Sentry.getCurrentScope()) Sentry.withScope(page, () => flags.addFeatureFlag(name, on));
}
