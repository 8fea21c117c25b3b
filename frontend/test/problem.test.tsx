import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, test } from 'vitest';
import { describeProblem, networkProblem, type Problem, problemFrom } from '../src/api/problem';
import { ProblemNotice } from '../src/components/problem-notice';
import { DEFAULT_CONFIG } from '../src/config';
import { ConfigContext } from '../src/context';

afterEach(cleanup);

const TRACE = '0123456789abcdef0123456789abcdef';
const headers = (h: Record<string, string> = {}) => ({ get: (name: string) => h[name.toLowerCase()] ?? null });
const problem = (status: number, extra: Partial<Problem> = {}): Problem => ({
  type: `urn:casino:problem:x${status}`,
  title: `Title ${status}`,
  status,
  detail: `Detail ${status}.`,
  traceId: TRACE,
  ...extra,
});

describe('reading a failed answer', () => {
  test('when the gateway answers problem+json, then its fields, trace id and Retry-After are kept', () => {
    const body = {
      type: 'urn:casino:problem:validation',
      title: 'Bad Request',
      status: 400,
      detail: 'stake: must be at least 10',
      traceId: TRACE,
      errors: [{ path: 'stake', message: 'must be at least 10' }],
    };
    expect(problemFrom(400, 'Bad Request', body, headers({ 'retry-after': '3' }))).toEqual({ ...body, retryAfter: 3 });
  });

  test('when a failure has no problem document, then one is made from the status, with the trace id from X-Trace-Id', () => {
    const p = problemFrom(502, 'Bad Gateway', undefined, headers({ 'x-trace-id': TRACE }));
    expect(p).toMatchObject({
      status: 502,
      title: 'Bad Gateway',
      traceId: TRACE,
      detail: 'The server answered 502 without an explanation.',
    });
  });

  test('when a request never gets an answer, then the problem says whether it timed out or could not connect, and has no trace id', () => {
    expect(networkProblem(new DOMException('x', 'TimeoutError'))).toMatchObject({ status: 0, title: 'No answer in time' });
    expect(networkProblem(new TypeError('Failed to fetch'))).toMatchObject({ status: 0, title: 'Cannot reach the casino' });
    expect(networkProblem(new TypeError('Failed to fetch')).traceId).toBeUndefined();
  });
});

describe('showing a problem', () => {
  test.each([
    [0, 'Cannot reach the casino', 'retry'],
    [400, 'Please check what you entered', 'fix-input'],
    [401, 'Please log in again', 'log-in'],
    [403, 'Not allowed', 'none'],
    [404, 'Not found', 'none'],
    [409, 'That cannot be done right now', 'none'],
    [413, 'Too much data', 'fix-input'],
    [422, 'Title 422', 'fix-input'],
    [429, 'Too many attempts', 'wait'],
    [500, 'Something went wrong on our side', 'retry'],
    [502, 'Something went wrong on our side', 'retry'],
    [503, 'The casino is briefly unavailable', 'retry'],
    [504, 'The casino took too long to answer', 'retry'],
    [418, 'Title 418', 'none'],
  ])('when the status is %i, then the heading is "%s" and the action %s', (status, heading, action) => {
    const p = status === 0 ? networkProblem(new TypeError('Failed to fetch')) : problem(status);
    const view = describeProblem(p);
    expect(view).toMatchObject({ heading, action });
    expect(view.message).toContain(p.detail);
  });

  test('when a sign-in is refused, then it says the e-mail or password is wrong rather than asking to log in again', () => {
    expect(
      describeProblem(problem(401, { type: 'urn:casino:problem:invalid-credentials', detail: 'Email or password is wrong.' })),
    ).toMatchObject({
      heading: 'Wrong e-mail or password',
      action: 'fix-input',
    });
  });

  test('when the answer says when to retry, then the message says it too', () => {
    expect(describeProblem(problem(429, { retryAfter: 30 })).message).toBe('Detail 429. Try again in 30 s.');
    expect(describeProblem(problem(503, { retryAfter: 2 })).message).toBe('Detail 503. Try again in 2 s.');
  });

  test('when a problem is rendered, then it is an alert with the heading, the detail, each field error and the trace id linked to the trace viewer', () => {
    const config = {
      ...DEFAULT_CONFIG,
      traceUrlTemplate: 'https://sentry.io/organizations/acme/explore/traces/trace/{traceId}/',
      traceViewer: 'Sentry' as const,
    };
    render(
      <ConfigContext.Provider value={config}>
        <ProblemNotice problem={problem(400, { errors: [{ path: 'amount', message: 'must be at least 1' }] })} />
      </ConfigContext.Provider>,
    );
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Please check what you entered (400)');
    expect(alert.textContent).toContain('Detail 400.');
    expect(alert.textContent).toContain('amount: must be at least 1');
    const link = screen.getByRole('link');
    expect(link.getAttribute('href')).toBe(`https://sentry.io/organizations/acme/explore/traces/trace/${TRACE}/`);
    expect(link.textContent).toBe(TRACE);
    expect(alert.textContent).toContain('open in Sentry');
  });

  test('when no trace viewer is configured, then the trace id is shown as text rather than a link that nothing answers', () => {
    render(
      <ConfigContext.Provider value={DEFAULT_CONFIG}>
        <ProblemNotice problem={problem(500)} />
      </ConfigContext.Provider>,
    );
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain(`Trace id ${TRACE}`);
    expect(alert.textContent).not.toContain('open in');
    expect(screen.queryByRole('link')).toBeNull();
  });

  test('when a failure has no trace id, then the notice says the request never reached the casino', () => {
    render(<ProblemNotice problem={networkProblem(new TypeError('Failed to fetch'))} />);
    expect(screen.getByRole('alert').textContent).toContain('No trace id: the request never reached the casino.');
    expect(screen.queryByRole('link')).toBeNull();
  });
});
