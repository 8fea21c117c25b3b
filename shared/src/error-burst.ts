import type { RequestHandler } from 'express';
import { scenarioApplied, type Scenarios } from './scenarios';

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
 * A service's error-burst kind as middleware: on its turn among the requests of this method and
 * path, the request is marked and `fire` runs with the path's match; then the request goes on,
 * unless `fire` threw.
 */
export function burstOn(scenarios: Scenarios, method: string, path: RegExp, fire: (match: RegExpExecArray) => void): RequestHandler {
  const turn = burstTurns(scenarios);
  return (req, _res, next) => {
    const match = req.method === method ? path.exec(req.path) : null;
    if (!match || !turn()) return next();
    scenarioApplied('error-burst');
    fire(match);
    next();
  };
}
