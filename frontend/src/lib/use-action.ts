import * as Sentry from '@sentry/react';
import { useCallback, useRef, useState } from 'react';
import { ApiError, type Problem } from '../api/problem';
import { reportProblem } from './report-problem';

/**
 * Runs one request at a time for a button or form: while it runs, further calls are ignored (a
 * double click sends once); a failure is kept as a problem to show, and a 5xx one is reported to
 * Sentry in the action's span (reportProblem).
 *
 * Each press is its own trace, rooted in a `ui.action` span named after the action: the spin's
 * trace starts at the click and continues through the gateway into every service it reaches.
 *
 * `after` is what the action sets off once it succeeded (the lobby's refresh after a spin). It runs
 * inside the action's span with that span active again: browsers have no async context, so after
 * the first await the span is no longer the active one, and its requests would otherwise join
 * whichever trace happens to be current.
 */
export function useAction<A extends unknown[], R>(name: string, run: (...args: A) => Promise<R>, after?: (result: R) => Promise<void>) {
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  const busy = useRef(false);
  const act = useCallback(
    async (...args: A): Promise<R | undefined> => {
      if (busy.current) return undefined;
      busy.current = true;
      setPending(true);
      setProblem(null);
      try {
        return await Sentry.startNewTrace(() =>
          Sentry.startSpan({ name, op: 'ui.action', forceTransaction: true }, async (span) => {
            try {
              const result = await run(...args);
              if (after) await Sentry.withActiveSpan(span, () => after(result));
              return result;
            } catch (err) {
              span.setStatus({ code: 2, message: err instanceof ApiError ? `http ${err.problem.status}` : 'internal_error' });
              if (err instanceof ApiError) reportProblem(err.problem, span);
              throw err;
            }
          }),
        );
      } catch (err) {
        if (err instanceof ApiError) setProblem(err.problem);
        else throw err;
        return undefined;
      } finally {
        busy.current = false;
        setPending(false);
      }
    },
    [name, run, after],
  );
  return { act, pending, problem, clearProblem: () => setProblem(null) };
}
