/**
 * bad-release: the game reports under a regressed release, and a share `rate` of spins fail with a
 * new error type, ReelStripIndexError, before any money moves.
 */
import { randomUUID } from 'node:crypto';
import type { ReconciliationReport, SpinResult } from '@casino/shared';
import { reconcile } from '../support/cli';
import type { IngestedSpan } from '../support/ingest';
import { call } from '../support/platform';
import { newPlayer, type ObservedPlatform, serviceOf, startObservedPlatform, switchScenario, traceSpans } from './observed-platform';

const RELEASE = 'casino@bad-release-test';
const REGRESSED = 'casino@bad-release-test-regressed-by-presenter';
const RATE = 0.2;
const PLAYERS = 5;
const SPINS_EACH = 30;
const FUNDS = 100_000;

interface Problem {
  type: string;
  detail: string;
  traceId: string;
}

interface SentryEvent {
  release?: string;
  fingerprint?: string[];
  tags?: Record<string, string>;
  exception?: { values?: { type?: string }[] };
  contexts?: { trace?: { trace_id?: string } };
}

const isGameServer = (s: IngestedSpan) => serviceOf(s) === 'game' && s.op === 'http.server';

describe('bad-release', () => {
  let o: ObservedPlatform;
  let tokens: string[];
  /** How many spins failed while bad-release was on. */
  let crashedSpins = 0;

  beforeAll(async () => {
    o = await startObservedPlatform({ SENTRY_RELEASE: RELEASE, SENTRY_PROFILE_SESSION_SAMPLE_RATE: '0' });
    tokens = await Promise.all(Array.from({ length: PLAYERS }, () => newPlayer(o.api, FUNDS)));
  }, 60_000);

  afterAll(async () => {
    await switchScenario(o.api, 'bad-release', false).catch(() => undefined);
    await o?.stop();
  });

  const reelStripErrors = () =>
    o.ingest
      .events()
      .filter((e) => serviceOf(e) === 'game')
      .map((e) => e.event as SentryEvent)
      .filter((e) => e.exception?.values?.some((v) => v.type === 'ReelStripIndexError'));

  /** Each player spins `n` times, the players at once; what each spin answered. */
  async function spinAll(n: number) {
    const answers = await Promise.all(
      tokens.map(async (token) => {
        const mine = [];
        for (let i = 0; i < n; i++)
          mine.push(
            await call<SpinResult & Problem>(o.api, 'POST', '/games/lucky-sevens/spins', {
              token,
              key: randomUUID(),
              body: { stake: 100 },
            }),
          );
        return mine;
      }),
    );
    return answers.flat();
  }

  test('when bad-release is on, then about rate of the spins fail with ReelStripIndexError under the new release, as a clear 502 that moves no money', async () => {
    await switchScenario(o.api, 'bad-release', true, { release: REGRESSED, rate: RATE });
    const answers = await spinAll(SPINS_EACH);

    const failed = answers.filter((a) => a.status !== 201);
    crashedSpins += failed.length;
    const share = failed.length / answers.length;
    console.log(`bad-release (rate ${RATE}): ${failed.length} of ${answers.length} spins failed, a share of ${share.toFixed(3)}`);
    expect(Math.abs(share - RATE)).toBeLessThanOrEqual(0.1);
    for (const a of failed) {
      expect([a.status, a.body.type, a.body.traceId]).toEqual([502, 'urn:casino:problem:upstream-error', a.traceId]);
      expect(a.body.detail).toContain('no money was taken');
    }
    // Every failed spin is one ReelStripIndexError in Sentry, in its trace, under the regressed release.
    const events = await o.ingest.waitFor('a ReelStripIndexError event for every failed spin', () => {
      const found = reelStripErrors();
      return found.length >= failed.length ? found : undefined;
    });
    expect(events).toHaveLength(failed.length);
    expect(new Set(events.map((e) => e.contexts?.trace?.trace_id))).toEqual(new Set(failed.map((a) => a.traceId)));
    for (const e of events) {
      expect([e.release, e.tags?.['casino.scenario']]).toEqual([REGRESSED, 'bad-release']);
      // One issue, whichever game, reel stop or player; readable without the trace.
      expect(e.fingerprint).toEqual(['reel-strip-index']);
      expect(e.tags).toMatchObject({ 'casino.release': REGRESSED, 'casino.service': 'game', 'casino.game_id': 'lucky-sevens' });
    }
    // The spins that settled are reported under the regressed release too.
    const settled = answers.find((a) => a.status === 201)!;
    const server = (await traceSpans(o.ingest, settled.traceId, 'the game span of a settled spin', (all) => all.some(isGameServer))).find(
      isGameServer,
    )!;
    expect([server.attributes['sentry.release'], server.attributes['casino.scenario']]).toEqual([REGRESSED, 'bad-release']);
    // No money moved for the failed spins: each wallet is its deposit less the settled stakes plus their wins.
    for (const [p, token] of tokens.entries()) {
      const mine = answers.slice(p * SPINS_EACH, (p + 1) * SPINS_EACH).filter((a) => a.status === 201);
      const wallet = await call<{ total: number }>(o.api, 'GET', '/wallet', { token });
      expect(wallet.body.total).toBe(FUNDS + mine.reduce((sum, a) => sum + a.body.win - a.body.stake, 0));
    }
  });

  test('when bad-release is switched off, then spins settle, no new ReelStripIndexError arrives and the game reports its own release again', async () => {
    await switchScenario(o.api, 'bad-release', true, { release: REGRESSED, rate: RATE });
    await switchScenario(o.api, 'bad-release', false);
    const before = reelStripErrors().length;

    const answers = await spinAll(5);

    expect(answers.map((a) => a.status)).toEqual(answers.map(() => 201));
    const spans = await o.ingest.waitFor('the game span of every spin', () => {
      const servers = o.ingest.spans().filter(isGameServer);
      const found = answers.map((a) => servers.find((s) => s.traceId === a.traceId));
      return found.every(Boolean) ? (found as IngestedSpan[]) : undefined;
    });
    for (const s of spans) expect([s.attributes['sentry.release'], s.attributes['casino.scenario']]).toEqual([RELEASE, undefined]);
    expect(reelStripErrors()).toHaveLength(before);
  });

  test('when reconciliation runs after the failed spins, then it is clean: every round that took a stake settled', async () => {
    const run = await reconcile(o.platform.ports.gateway, ['--json']);

    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as ReconciliationReport;
    expect(report.ok).toBe(true);
    // Failed spins left no round behind: only settled ones, one bet each.
    expect(Object.keys(report.rounds.byStatus)).toEqual(['settled']);
    expect(report.rounds.bets).toBe(report.ledger.byType.bet?.count);
  });

  test("when the platform stops, then release health has the game's sessions under the regressed release, a crashed one per failed spin, beside the running release", async () => {
    // Each service sends the request sessions it has counted as it flushes on the way out.
    await o.platform.stop();
    const sessions = o.ingest.sessions();
    const total = (release: string, service?: string) =>
      sessions
        .filter((s) => s.release === release && (!service || serviceOf(s) === service))
        .reduce(
          (sum, s) => ({
            exited: sum.exited + s.counts.exited,
            errored: sum.errored + s.counts.errored,
            crashed: sum.crashed + s.counts.crashed,
          }),
          {
            exited: 0,
            errored: 0,
            crashed: 0,
          },
        );
    const regressed = total(REGRESSED);
    console.log(
      `bad-release sessions: regressed ${JSON.stringify(regressed)}; running ${JSON.stringify(total(RELEASE))}; failed spins ${crashedSpins}`,
    );
    expect(sessions.filter((s) => s.release === REGRESSED).map(serviceOf)).toEqual(expect.arrayContaining(['game']));
    expect(new Set(sessions.filter((s) => s.release === REGRESSED).map(serviceOf))).toEqual(new Set(['game']));
    // A gateway retry of a failed spin is another crashed request, so at least one per failed spin.
    expect(regressed.crashed).toBeGreaterThanOrEqual(crashedSpins);
    expect(regressed.exited).toBeGreaterThan(0);
    // The running release: the game once it was off again, and the other services throughout, none crashed.
    expect(total(RELEASE, 'game').exited).toBeGreaterThan(0);
    expect(total(RELEASE, 'gateway')).toMatchObject({ exited: expect.any(Number), crashed: 0 });
    expect(total(RELEASE, 'gateway').exited).toBeGreaterThan(0);
  });
});
