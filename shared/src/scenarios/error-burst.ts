import { scenarioApplied } from './marking';
import type { Scenarios } from './state';

/** A service fires its error-burst kind on one request in this many. */
export const BURST_EVERY = 5;

/**
 * Whose turn it is in the error-burst scenario, in one service: the first request after the
 * scenario was switched on, then every fifth. Counting from the switch makes the burst
 * reproducible (a test drives every kind with a handful of requests), and four in five still
 * getting through keeps traffic flowing, so the burst stands out against it.
 */
export function burstTurns(scenarios: Scenarios, every = BURST_EVERY): () => boolean {
  let seen = 0;
  scenarios.onChange((name) => {
    if (name === 'error-burst') seen = 0;
  });
  return () => scenarios.active('error-burst') !== undefined && seen++ % every === 0;
}

/**
 * A service's error-burst kind as a hook: on its turn (`burstTurns`), the request is marked with the
 * scenario and `fire` runs; otherwise nothing happens.
 */
export function burstHook(scenarios: Scenarios): (fire: () => void) => void {
  const turn = burstTurns(scenarios);
  return (fire) => {
    if (!turn()) return;
    scenarioApplied('error-burst');
    fire();
  };
}
