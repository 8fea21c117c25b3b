import * as Sentry from '@sentry/react';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Problem } from '../src/api/problem';
import { DEFAULT_CONFIG } from '../src/config';
import { recordFlag } from '../src/flags';
import { canReport, sendReport } from '../src/lib/feedback';
import { problemSlug, reportProblem } from '../src/lib/report-problem';
import { initSentry } from '../src/sentry';

type Item = [{ type: string }, Record<string, unknown>];
interface Sent {
  type: string;
  event_id?: string;
  contexts?: Record<string, Record<string, unknown> | undefined>;
  exception?: { values: { type: string; value: string }[] };
  tags?: Record<string, string>;
  fingerprint?: string[];
}

/** Every item the SDK hands its transport (Spotlight alone here: the transport drops them). */
const sent: Sent[] = [];
const itemsOf = (type: string) => sent.filter((s) => s.type === type);
const settle = () => new Promise((r) => setTimeout(r, 50));

const TRACE = 'aaaabbbbccccddddeeeeffff00001111';
const problem = (status: number, extra: Partial<Problem> = {}): Problem => ({
  type: 'urn:casino:problem:upstream-error',
  title: 'Bad Gateway',
  status,
  detail: 'The game service failed.',
  traceId: TRACE,
  ...extra,
});

beforeAll(() => {
  // The app's own start-up, with Spotlight alone; the sidecar address answers nothing.
  initSentry({ ...DEFAULT_CONFIG, spotlightUrl: 'http://127.0.0.1:9/stream', replaysOnErrorSampleRate: 0, replaysSessionSampleRate: 0 });
  Sentry.getClient()!.on('beforeEnvelope', (envelope) => {
    for (const [header, payload] of envelope[1] as unknown as Item[]) sent.push({ ...payload, type: header.type });
  });
});

describe('problems the player meets, as Sentry events', () => {
  test('when a problem is a 5xx, then one error event is sent in its trace with its slug, and its id is kept on the problem; a second report of it sends nothing', async () => {
    expect(problemSlug('urn:casino:problem:upstream-error')).toBe('upstream-error');
    const p = reportProblem(problem(502));
    expect(p.sentryEventId).toMatch(/^[0-9a-f]{32}$/);
    reportProblem(p);
    await settle();
    const events = itemsOf('event').filter((e) => e.event_id === p.sentryEventId);
    expect(events).toHaveLength(1);
    const [event] = events;
    expect(event!.contexts?.trace?.trace_id).toBe(TRACE);
    expect(event!.contexts?.problem).toMatchObject({ status: 502, trace_id: TRACE, type: 'urn:casino:problem:upstream-error' });
    expect(event!.exception?.values[0]?.type).toBe('ApiProblem');
    expect(event!.tags).toMatchObject({ 'problem.type': 'upstream-error', 'casino.service': 'frontend' });
    expect(event!.tags?.['casino.release']).toBe((event as { release?: string }).release);
    expect(event!.fingerprint).toEqual(['api-problem', 'upstream-error', '502']);
  });

  test('when the same failure happens twice in a row, then both are sent (the SDK drops only identical errors)', async () => {
    const first = reportProblem(problem(500, { traceId: '1'.repeat(32) }));
    const second = reportProblem(problem(500, { traceId: '2'.repeat(32) }));
    await settle();
    const ids = itemsOf('event').map((e) => e.event_id);
    expect(ids).toContain(first.sentryEventId);
    expect(ids).toContain(second.sentryEventId);
  });

  test("when a problem is the player's own (4xx) or got no answer, then nothing is reported", () => {
    expect(reportProblem(problem(409)).sentryEventId).toBeUndefined();
    expect(reportProblem(problem(0, { traceId: undefined })).sentryEventId).toBeUndefined();
  });
});

describe('user feedback', () => {
  test('when the player reports a problem with only a message, then the report names its event and trace and carries no name or e-mail', async () => {
    expect(canReport()).toBe(true);
    const p = reportProblem(problem(503));
    const id = await sendReport({ message: '  It stopped.  ', name: ' ', email: '' }, p);
    const [feedback] = itemsOf('feedback').filter((f) => f.event_id === id);
    expect(feedback!.contexts?.feedback).toMatchObject({ message: 'It stopped.', associated_event_id: p.sentryEventId, source: 'widget' });
    // Undefined here, so left out when the envelope is written.
    expect(feedback!.contexts?.feedback?.contact_email).toBeUndefined();
    expect(feedback!.contexts?.feedback?.name).toBeUndefined();
    expect(feedback!.contexts?.trace?.trace_id).toBe(TRACE);
  });

  test('when the player types a name and an e-mail, then they are sent as typed', async () => {
    const id = await sendReport({ message: 'Slow.', name: 'Ada', email: 'ada@example.com' });
    const [feedback] = itemsOf('feedback').filter((f) => f.event_id === id);
    expect(feedback!.contexts?.feedback).toMatchObject({ name: 'Ada', contact_email: 'ada@example.com' });
    expect(feedback!.contexts?.feedback?.associated_event_id).toBeUndefined();
  });
});

describe('feature flags', () => {
  test('when the state is read while an action is still running, then errors after the action ends carry it too', async () => {
    let finish!: () => void;
    const action = Sentry.withScope(() => new Promise<void>((resolve) => (finish = resolve)));
    recordFlag('frontend-memory-leak', true);
    finish();
    await action;
    const id = Sentry.captureException(new Error('after the action'));
    await settle();
    const [event] = itemsOf('event').filter((e) => e.event_id === id);
    expect(event!.contexts?.flags).toEqual({ values: [{ flag: 'frontend-memory-leak', result: true }] });
  });
});
