import { AppError, scenarioApplied, type Scenarios } from '@casino/shared';
import * as Sentry from '@sentry/node';
import type { ErrorRequestHandler } from 'express';

/**
 * error-burst at the edge, on the public API's errors before the central handler answers them:
 * - every validation failure (a 400 naming its fields) is reported as a warning, the field
 *   errors as context: a client sending bad input is worth seeing during the burst, not a bug;
 * - every 5xx it answers, an upstream's failure among them, is marked, so the central handler's
 *   report of it carries the scenario. While the burst is on, that is the likely cause.
 */
export function errorBurstReports(scenarios: Scenarios): ErrorRequestHandler {
  return (err, _req, _res, next) => {
    if (scenarios.active('error-burst') && err instanceof AppError) {
      if (err.status >= 500) scenarioApplied('error-burst');
      if (err.status === 400 && err.errors?.length) {
        scenarioApplied('error-burst');
        // One key per field: Sentry keeps contexts three levels deep, too shallow for a list of objects.
        const fields = Object.fromEntries(err.errors.map((e) => [e.path, e.message]));
        // One issue for every invalid request of the burst, whichever fields or route.
        Sentry.captureException(err, {
          level: 'warning',
          tags: { 'problem.type': err.slug },
          contexts: { validation: fields },
          fingerprint: ['error-burst', err.slug],
        });
      }
    }
    next(err);
  };
}
