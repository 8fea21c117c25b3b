import type { Scenarios } from '@casino/shared';
import * as Sentry from '@sentry/node';
import { regressedRelease } from './domain/bad-release';

/**
 * While bad-release is on, everything the game sends to Sentry names the regressed release, so the
 * release view shows the new error arriving with it: events and transactions through an event
 * processor (which runs after the SDK fills in its own release), streamed spans through their
 * `sentry.release` attribute. Read at send time, so switching off restores the release at once.
 */
export function reportRegressedRelease(scenarios: Scenarios, release: string): void {
  const client = Sentry.getClient();
  if (!client) return;
  const current = () => {
    const params = scenarios.active('bad-release');
    return params && regressedRelease(release, params);
  };
  client.addEventProcessor((event) => {
    const regressed = current();
    if (regressed) event.release = regressed;
    return event;
  });
  client.on('processSpan', (span) => {
    const regressed = current();
    if (regressed) span.attributes['sentry.release'] = regressed;
  });
}
