/** An RFC 9457 problem document as the gateway sends it, or one made up for a failure with none. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  traceId?: string;
  errors?: { path: string; message: string }[];
  /** Seconds, from Retry-After. */
  retryAfter?: number;
  /** The browser's own Sentry event for this failure (see reportProblem), for feedback to point at. */
  sentryEventId?: string;
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail || problem.title);
    this.name = 'ApiError';
  }
}

/** Builds the problem for an answer that is not 2xx, whatever its body. */
export function problemFrom(status: number, statusText: string, body: unknown, headers: { get(name: string): string | null }): Problem {
  const traceHeader = headers.get('x-trace-id') ?? undefined;
  const retry = Number(headers.get('retry-after'));
  const retryAfter = Number.isFinite(retry) && retry > 0 ? retry : undefined;
  if (body && typeof body === 'object' && typeof (body as Problem).title === 'string') {
    const p = body as Partial<Problem>;
    return {
      type: typeof p.type === 'string' ? p.type : 'about:blank',
      title: p.title!,
      status: typeof p.status === 'number' ? p.status : status,
      detail: typeof p.detail === 'string' ? p.detail : '',
      traceId: typeof p.traceId === 'string' && p.traceId ? p.traceId : traceHeader,
      errors: Array.isArray(p.errors)
        ? p.errors.filter((e) => e && typeof e.path === 'string' && typeof e.message === 'string')
        : undefined,
      retryAfter,
    };
  }
  return {
    type: 'about:blank',
    title: statusText || `HTTP ${status}`,
    status,
    detail: `The server answered ${status} without an explanation.`,
    traceId: traceHeader,
    retryAfter,
  };
}

/** The request never got an answer: the gateway is down, the network is gone, or it took too long. */
export function networkProblem(err: unknown): Problem {
  const timedOut = err instanceof DOMException && (err.name === 'TimeoutError' || err.name === 'AbortError');
  return {
    type: 'urn:casino:problem:network',
    title: timedOut ? 'No answer in time' : 'Cannot reach the casino',
    status: 0,
    detail: timedOut
      ? 'The casino did not answer in time. Nothing is lost: repeating the action is safe.'
      : 'The request did not reach the casino. Check your connection, or whether the platform is running, then try again.',
  };
}

export interface ProblemView {
  /** One short line a player understands. */
  heading: string;
  /** What the server said, or what to do. */
  message: string;
  fields: { path: string; message: string }[];
  traceId?: string;
  /** What the person can do about it. */
  action: 'fix-input' | 'log-in' | 'wait' | 'retry' | 'none';
}

/** How a failure is shown: a heading by kind, the server's own words, the fields, the trace id. */
export function describeProblem(problem: Problem): ProblemView {
  const base = { message: problem.detail || problem.title, fields: problem.errors ?? [], traceId: problem.traceId };
  const s = problem.status;
  if (s === 0) return { ...base, heading: problem.title, action: 'retry' };
  if (s === 400) return { ...base, heading: 'Please check what you entered', action: 'fix-input' };
  if (s === 401 && problem.type.endsWith(':invalid-credentials'))
    return { ...base, heading: 'Wrong e-mail or password', action: 'fix-input' };
  if (s === 401) return { ...base, heading: 'Please log in again', action: 'log-in' };
  if (s === 403) return { ...base, heading: 'Not allowed', action: 'none' };
  if (s === 404) return { ...base, heading: 'Not found', action: 'none' };
  if (s === 409) return { ...base, heading: 'That cannot be done right now', action: 'none' };
  if (s === 413) return { ...base, heading: 'Too much data', action: 'fix-input' };
  if (s === 422) return { ...base, heading: problem.title, action: 'fix-input' };
  if (s === 429) {
    const wait = problem.retryAfter ? ` Try again in ${problem.retryAfter} s.` : ' Try again shortly.';
    return { ...base, heading: 'Too many attempts', message: `${base.message}${wait}`, action: 'wait' };
  }
  if (s === 502 || s === 500) return { ...base, heading: 'Something went wrong on our side', action: 'retry' };
  if (s === 503) {
    const wait = problem.retryAfter ? ` Try again in ${problem.retryAfter} s.` : '';
    return { ...base, heading: 'The casino is briefly unavailable', message: `${base.message}${wait}`, action: 'retry' };
  }
  if (s === 504) return { ...base, heading: 'The casino took too long to answer', action: 'retry' };
  return { ...base, heading: problem.title || 'The request failed', action: s >= 500 ? 'retry' : 'none' };
}
