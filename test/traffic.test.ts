import type { ReconciliationReport, TransactionView } from '@casino/shared';
import { trafficEmail, trafficPassword } from '@casino/traffic/behaviour';
import type { burstJson } from '@casino/tools/traffic/burst';
import type { TrafficSummary } from '@casino/traffic/runner';
import { type CliRun, runCli } from './support/cli';
import { call, type RunningPlatform, startPlatform, TEST_SECRETS } from './support/platform';

const SEED = 4242;

describe('npm run traffic against a running platform', () => {
  let platform: RunningPlatform;
  let gatewayUrl: string;
  let run: CliRun;
  let summary: TrafficSummary;

  beforeAll(async () => {
    platform = await startPlatform({ RATE_LIMIT_AUTH_PER_MINUTE: '1000' });
    gatewayUrl = `http://127.0.0.1:${platform.ports.gateway}`;
    run = await runCli('traffic', [
      '--url',
      gatewayUrl,
      '--players',
      '5',
      '--duration',
      '12s',
      '--seed',
      String(SEED),
      '--think',
      '150',
      '--json',
    ]);
    summary = JSON.parse(run.stdout) as TrafficSummary;
  }, 90_000);

  afterAll(async () => {
    await platform?.stop();
  });

  test('when 5 players run for 12 s, then every one registered, deposited and spun, and no request failed', () => {
    expect(run.code).toBe(0);
    expect(summary).toMatchObject({
      endedBy: 'deadline',
      errors: 0,
      refused: 0,
      rateLimited: 0,
      options: { players: 5, durationSeconds: 12, seed: SEED, thinkMs: 150 },
    });
    expect(summary.elapsedSeconds).toBeGreaterThanOrEqual(12);
    expect(summary.players.map((p) => [p.email, p.registered, p.deposits > 0, p.spins > 0])).toEqual(
      [1, 2, 3, 4, 5].map((i) => [trafficEmail(SEED, i), true, true, true]),
    );
    const spins = summary.operations.find((o) => o.operation === 'spin')!;
    expect(spins).toMatchObject({ count: summary.totals.spins, ok: summary.totals.spins, errors: {} });
    expect(spins.p50).toBeGreaterThan(0);
    expect(spins.p99).toBeGreaterThanOrEqual(spins.p95);
  });

  test("when each player logs in afterwards, then their ledger and rounds hold exactly the summary's deposits, bonuses, withdrawals and spins", async () => {
    for (const player of summary.players) {
      const login = await call<{ accessToken: string }>(platform.api, 'POST', '/auth/login', {
        body: { email: player.email, password: trafficPassword(SEED) },
      });
      const token = login.body.accessToken;
      const ledger = async (type: string) =>
        (await call<{ items: TransactionView[] }>(platform.api, 'GET', `/wallet/transactions?type=${type}&limit=100`, { token })).body
          .items;
      const rounds = (await call<{ items: unknown[] }>(platform.api, 'GET', '/rounds?limit=100', { token })).body.items;

      const deposits = await ledger('deposit');
      expect([player.email, deposits.length, deposits.reduce((s, t) => s + t.amount, 0)]).toEqual([
        player.email,
        player.deposits,
        player.depositedCents,
      ]);
      expect((await ledger('bonus_credit')).length).toBe(Object.values(player.claims).reduce((a, b) => a + b, 0));
      expect((await ledger('withdrawal')).length).toBe(player.withdrawals);
      expect(rounds.length).toBe(Math.min(100, player.spins));
    }
  });

  test("when the platform reconciles, then it is clean and its totals are the summary's", async () => {
    const checked = await runCli('reconcile', ['--url', gatewayUrl, '--json'], { env: { ADMIN_TOKEN: TEST_SECRETS.ADMIN_TOKEN } });
    const report = JSON.parse(checked.stdout) as ReconciliationReport;
    const { totals } = summary;

    expect(checked.code).toBe(0);
    expect(report.ok).toBe(true);
    expect(report.rounds.rounds).toBe(totals.spins);
    expect(report.ledger.byType.deposit).toEqual({ count: totals.deposits, amount: totals.depositedCents });
    expect(report.ledger.byType.bet?.count).toBe(totals.spins);
    expect(Math.abs(report.ledger.byType.bet?.amount ?? 0)).toBe(totals.stakedCents);
    expect(report.ledger.byType.win?.amount ?? 0).toBe(totals.wonCents);
    expect(report.ledger.byType.withdrawal?.count ?? 0).toBe(totals.withdrawals);
    expect(report.ledger.byType.bonus_credit?.count ?? 0).toBe(Object.values(totals.claims).reduce((a, b) => a + b, 0));
  });

  test('when the same seed runs again, then the players log in instead of registering', async () => {
    const again = await runCli('traffic', [
      '--url',
      gatewayUrl,
      '--players',
      '2',
      '--duration',
      '2s',
      '--seed',
      String(SEED),
      '--think',
      '100',
      '--json',
    ]);
    const second = JSON.parse(again.stdout) as TrafficSummary;

    expect(again.code).toBe(0);
    expect(second.totals).toMatchObject({ players: 2, registered: 0 });
    expect(second.players.every((p) => p.logins >= 1)).toBe(true);
    expect(second.operations.find((o) => o.operation === 'register')).toMatchObject({ refused: { 409: 2 } });
  });

  test('when Ctrl-C stops a long run, then it ends within seconds, prints the summary table and exits 0', async () => {
    const stopped = await runCli('traffic', ['--url', gatewayUrl, '--players', '2', '--duration', '10m', '--seed', '7', '--think', '100'], {
      interruptAfterMs: 3_000,
    });

    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toMatch(/^Traffic, seed 7: 2 players against http:\/\/127\.0\.0\.1:\d+, stopped early, after \d+s$/m);
    expect(stopped.stdout).toMatch(/^ {2}operation +count +errors +refused +429s +p50 +p95 +p99$/m);
    expect(stopped.stdout).toMatch(/^ {2}register +2 +- +- +0 /m);
    expect(stopped.stderr).toContain('Traffic: 2 players, seed 7');
  });

  test('when the burst mode runs, then autocannon spins with one funded player per connection and reports a sustained rate, all 2xx', async () => {
    const burst = await runCli('traffic', [
      '--url',
      gatewayUrl,
      '--mode',
      'burst',
      '--connections',
      '2',
      '--duration',
      '3s',
      '--seed',
      '99',
      '--json',
    ]);
    const figures = JSON.parse(burst.stdout) as ReturnType<typeof burstJson>;

    expect(burst.code).toBe(0);
    expect(figures.setup).toMatchObject({ players: 2, stake: 10, rateLimited: 0 });
    expect(figures.requests.total).toBeGreaterThan(0);
    expect(figures.requests.perSecond.mean).toBeGreaterThan(0);
    expect(figures).toMatchObject({ connections: 2, non2xx: 0, errors: 0, timeouts: 0 });
    expect(Object.keys(figures.statusCodes)).toEqual(['201']);
  });
});

describe('the traffic command without a platform', () => {
  test('when the gateway is not reachable, then it exits 1 and says what to do', async () => {
    const run = await runCli('traffic', ['--url', 'http://127.0.0.1:1', '--players', '1']);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('traffic: nothing was run: the gateway at http://127.0.0.1:1 is not reachable. Is the platform running?');
  });

  test('when an option is wrong, then it exits 2 with the usage', async () => {
    for (const args of [['--duration', '5 minutes'], ['--players', '0'], ['--mode', 'stampede'], ['--frobnicate']]) {
      const run = await runCli('traffic', args);

      expect([args, run.code]).toEqual([args, 2]);
      expect(run.stderr).toContain('usage: npm run traffic');
    }
  });
});
