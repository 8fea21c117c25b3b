/**
 * The scheduled jobs as Sentry cron monitors, and cron-failure: every job checks in soon after
 * start (in progress, then ok) with its monitor's schedule; a reconciliation that finds a lasting
 * difference is an error check-in with the differences; `fail` makes a job's check-in an error;
 * `hang` leaves its check-in open past its maximum runtime (Sentry's timeout) and skips the runs due.
 */
import { randomUUID } from 'node:crypto';
import { JOBS, type JobName } from '@casino/shared';
import { call } from '../support/platform';
import { type ObservedPlatform, serviceOf, startObservedPlatform, switchScenario } from './observed-platform';

jest.setTimeout(180_000);

interface SentryEvent {
  fingerprint?: string[];
  tags?: Record<string, string>;
  exception?: { values?: { type?: string; value?: string }[] };
  contexts?: { trace?: { trace_id?: string }; flags?: { values: { flag: string; result: boolean }[] }; findings?: Record<string, unknown> };
}

describe('scheduled jobs as cron monitors', () => {
  let o: ObservedPlatform;
  /** When the test first saw each check-in (the ingest keeps no times). */
  const seenAt = new Map<string, number>();

  const checkIns = (job: JobName) =>
    o.ingest
      .checkIns()
      .filter((c) => c.checkIn.monitor_slug === job)
      .map((c) => {
        const key = `${c.checkIn.check_in_id}:${c.checkIn.status}`;
        if (!seenAt.has(key)) seenAt.set(key, Date.now());
        return { ...c, seenAt: seenAt.get(key)! };
      });
  const closing = (job: JobName, id: string) =>
    checkIns(job).find((c) => c.checkIn.check_in_id === id && c.checkIn.status !== 'in_progress');
  const jobEvents = (type: string) =>
    o.ingest
      .events()
      .map((e) => ({ service: serviceOf(e), event: e.event as SentryEvent }))
      .filter((e) => e.event.exception?.values?.some((v) => v.type === type));

  beforeAll(async () => {
    o = await startObservedPlatform({ SENTRY_PROFILE_SESSION_SAMPLE_RATE: '0' });
    // A stake taken by a caller that holds the game's key but no round: the ledger has a bet no
    // round took, a difference that lasts. The first reconciliation runs 20 s after start.
    const reg = await call<{ player: { id: string }; accessToken: string }>(o.api, 'POST', '/auth/register', {
      body: { email: `cron-${randomUUID()}@example.com`, password: `Cron-${randomUUID()}` },
    });
    expect(reg.status).toBe(201);
    const token = reg.body.accessToken;
    expect((await call(o.api, 'POST', '/wallet/deposits', { token, body: { amount: 5_000 }, key: randomUUID() })).status).toBe(201);
    const payment = `http://127.0.0.1:${o.platform.ports.payment}`;
    const forged = await call(payment, 'POST', `/wallets/${reg.body.player.id}/bets`, {
      as: ['game', 'payment'],
      key: randomUUID(),
      body: { amount: 100, roundId: randomUUID(), gameId: 'lucky-sevens' },
    });
    expect(forged.status).toBe(201);
  }, 60_000);

  afterAll(async () => {
    await switchScenario(o.api, 'cron-failure', false).catch(() => undefined);
    await o?.stop();
  });

  test.each(['round-recovery', 'ledger-recovery', 'bonus-expiry'] as const)(
    'when the platform starts, then %s checks in within a minute: in progress, then ok, with its monitor and its trace',
    async (job) => {
      const run = await o.ingest.waitFor(
        `${job}: in progress, then ok`,
        () => {
          const all = checkIns(job);
          const started = all.find((c) => c.checkIn.status === 'in_progress');
          const done = started && closing(job, started.checkIn.check_in_id);
          return done ? { started, done } : undefined;
        },
        40_000,
      );
      expect(serviceOf(run.started)).toBe(JOBS[job].service);
      expect(run.done.checkIn.status).toBe('ok');
      expect(run.done.checkIn.duration).toBeGreaterThanOrEqual(0);
      expect(run.started.checkIn.monitor_config).toMatchObject({
        schedule: { type: 'interval', value: JOBS[job].scheduleMinutes, unit: 'minute' },
        checkin_margin: JOBS[job].marginMinutes,
        max_runtime: JOBS[job].maxRuntimeMinutes,
      });
      // The check-in and the run's transaction are one trace.
      const traceId = run.started.checkIn.contexts?.trace?.trace_id;
      expect(traceId).toMatch(/^[0-9a-f]{32}$/);
      const span = await o.ingest.waitFor(`${job}'s transaction`, () =>
        o.ingest.spans().find((s) => s.segment && s.name === job && s.traceId === traceId),
      );
      expect([span.op, span.attributes['casino.job']]).toEqual(['function.cron', job]);
      // Its log line is in the run's trace too: Spotlight's Logs lead to it.
      const line = o.platform.logs.find((l) => l.line.includes(`"${job}: checked in ok"`) && l.line.includes(`"trace_id":"${traceId}"`));
      expect(line?.service).toBe(JOBS[job].service);
    },
  );

  test('when reconciliation finds a difference that lasts, then its check-in is an error and the error lists the differences, with no flags while no scenario is on', async () => {
    const failed = await o.ingest.waitFor(
      'an error check-in from reconciliation',
      () => checkIns('reconciliation').find((c) => c.checkIn.status === 'error'),
      60_000,
    );
    expect(serviceOf(failed)).toBe('gateway');
    const [found] = await o.ingest.waitFor('the JobFinding event', () => {
      const events = jobEvents('JobFinding');
      return events.length ? events : undefined;
    });
    expect(found!.service).toBe('gateway');
    expect(found!.event.fingerprint).toEqual(['reconciliation-differences']);
    expect(found!.event.tags).toMatchObject({
      'casino.job': 'reconciliation',
      'casino.service': 'gateway',
      'casino.failure': 'reconciliation-differences',
    });
    expect(found!.event.contexts?.findings).toMatchObject({
      count: 1,
      'difference 1': 'round-bets: 1 bets in the ledger; 0 rounds took a stake',
    });
    expect(found!.event.contexts?.trace?.trace_id).toBe(failed.checkIn.contexts?.trace?.trace_id);
    expect(found!.event.contexts?.flags).toBeUndefined();
  });

  test('when cron-failure fails a job, then its next check-in is an error, and the error is one issue with the scenario as its flag', async () => {
    checkIns('ledger-recovery');
    const since = Date.now();
    await switchScenario(o.api, 'cron-failure', true, { job: 'ledger-recovery', mode: 'fail' });
    const failed = await o.ingest.waitFor(
      'an error check-in from ledger-recovery',
      () => checkIns('ledger-recovery').find((c) => c.checkIn.status === 'error' && c.seenAt >= since),
      45_000,
    );
    expect(serviceOf(failed)).toBe('payment');
    const event = await o.ingest.waitFor('the CronJobFailed event in its trace', () =>
      jobEvents('CronJobFailed').find((e) => e.event.contexts?.trace?.trace_id === failed.checkIn.contexts?.trace?.trace_id),
    );
    expect(event.event.fingerprint).toEqual(['cron-failure:ledger-recovery']);
    expect(event.event.tags).toMatchObject({
      'casino.scenario': 'cron-failure',
      'casino.job': 'ledger-recovery',
      'casino.service': 'payment',
    });
    expect(event.event.contexts?.flags?.values).toEqual([{ flag: 'cron-failure', result: true }]);
  });

  test('when cron-failure hangs a job, then its check-in stays open past its maximum runtime, the runs due are skipped, and switching off closes it as an error', async () => {
    await switchScenario(o.api, 'cron-failure', true, { job: 'round-recovery', mode: 'hang' });
    // Every check-in so far is seen now. A run that began just before the switch closes at once;
    // the hung one is the run that starts after it and stays open.
    checkIns('round-recovery');
    const since = Date.now();
    const hung = await o.ingest.waitFor(
      'round-recovery starting a run that stays open',
      () =>
        checkIns('round-recovery').find(
          (c) =>
            c.checkIn.status === 'in_progress' &&
            c.seenAt >= since &&
            Date.now() - c.seenAt > 3_000 &&
            !closing('round-recovery', c.checkIn.check_in_id),
        ),
      45_000,
    );
    const maxRuntimeMs = JOBS['round-recovery'].maxRuntimeMinutes * 60_000;
    // Sentry counts a check-in timed out when nothing closes it within its maximum runtime.
    await new Promise((r) => setTimeout(r, Math.max(0, hung.seenAt + maxRuntimeMs + 2_000 - Date.now())));
    expect(closing('round-recovery', hung.checkIn.check_in_id)).toBeUndefined();
    // Two runs fell due meanwhile; neither started, so Sentry sees no check-in for them.
    expect(checkIns('round-recovery').filter((c) => c.checkIn.status === 'in_progress' && c.seenAt > hung.seenAt)).toEqual([]);
    expect(o.platform.logs.some((l) => l.service === 'game' && l.line.includes('round-recovery: the previous run is still going'))).toBe(
      true,
    );

    await switchScenario(o.api, 'cron-failure', false);
    const closed = await o.ingest.waitFor('the hung run closing', () => closing('round-recovery', hung.checkIn.check_in_id));
    expect(closed.checkIn.status).toBe('error');
    expect(closed.checkIn.duration).toBeGreaterThan(maxRuntimeMs / 1000);
  });
});
