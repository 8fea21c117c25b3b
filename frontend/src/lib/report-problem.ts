import * as Sentry from '@sentry/react';
import type { Span } from '@sentry/react';
import type { Problem } from '../api/problem';

/** The problem type's last part: `urn:casino:problem:upstream-error` is `upstream-error`. */
export const problemSlug = (type: string): string => type.slice(type.lastIndexOf(':') + 1) || type;

/**
 * A failure on the casino's side as the player met it. The trace id is part of the message: the
 * SDK drops an error identical to the one before it, and two failed spins in a row would otherwise
 * be identical, leaving the second notice's feedback pointing at an event that was never sent.
 * The fingerprint keeps them one issue all the same.
 */
export class ApiProblemError extends Error {
  override name = 'ApiProblem';
  constructor(problem: Problem) {
    const trace = problem.traceId ? ` (trace ${problem.traceId})` : '';
    super(`${problem.status} ${problemSlug(problem.type)}: ${problem.title}${trace}`);
  }
}

/**
 * Reports a 5xx problem the player is shown as one Sentry error event from the browser, in the
 * problem's trace, and keeps its id on the problem so feedback about it can point at it. Runs once
 * per problem whichever path shows it. 4xx answers are the player's own input or session, not
 * faults; a request that got no answer (status 0) has no trace to join and no server that saw it.
 *
 * `span` is the action the request was made in: when it is in the problem's trace (the gateway
 * continues the browser's trace), the event hangs under that span in the trace view. Otherwise the
 * event joins the problem's trace by id alone.
 */
export function reportProblem(problem: Problem, span?: Span): Problem {
  if (problem.status < 500 || problem.sentryEventId || !Sentry.isEnabled()) return problem;
  const slug = problemSlug(problem.type);
  const capture = () =>
    Sentry.captureException(new ApiProblemError(problem), {
      level: 'error',
      tags: { 'problem.type': slug, 'http.response.status_code': String(problem.status) },
      contexts: {
        problem: { type: problem.type, title: problem.title, status: problem.status, detail: problem.detail, trace_id: problem.traceId },
      },
      fingerprint: ['api-problem', slug, String(problem.status)],
    });
  const { traceId } = problem;
  problem.sentryEventId =
    span && (!traceId || span.spanContext().traceId === traceId) ? Sentry.withActiveSpan(span, capture) : inTraceOf(traceId, capture);
  return problem;
}

/**
 * Runs `fn` outside any span, on a scope of its own whose trace is `traceId` (when given): what it
 * captures joins the problem's trace, whichever span is active on the page.
 */
export function inTraceOf<T>(traceId: string | undefined, fn: (scope: Sentry.Scope) => T): T {
  return Sentry.withActiveSpan(null, (scope) => {
    if (traceId) scope.setPropagationContext({ traceId, sampleRand: Math.random() });
    return fn(scope);
  });
}
