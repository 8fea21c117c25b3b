import { durationFlag, UsageError } from '../src/cli-flags';
import { clock, formatTrafficSummary } from '../src/traffic/format';
import { totalsOf, type TrafficSummary } from '@casino/traffic/runner';
import { percentile, TrafficStats } from '@casino/traffic/stats';

describe('traffic figures', () => {
  test('when percentiles are taken, then they are nearest-rank, and 0 for no data', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i + 1);

    expect([percentile(sorted, 50), percentile(sorted, 95), percentile(sorted, 99), percentile(sorted, 100)]).toEqual([50, 95, 99, 100]);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBe(0);
  });

  test('when requests are recorded, then the live figures cover only the last ten seconds, and the summary the whole run', () => {
    let now = 0;
    const stats = new TrafficStats(() => now);
    for (let i = 0; i < 100; i++) stats.record('spin', 201, 'ok', 500);
    now = 20_000;
    for (let i = 0; i < 10; i++) stats.record('spin', 201, 'ok', 10);
    stats.record('login', 429, 'rate-limited', 1);
    stats.record('deposit', 'network', 'error');
    stats.record('claim', 409, 'refused', 20);

    const live = stats.live();

    expect(live).toMatchObject({ elapsedSeconds: 20, requests: 113, errors: 1, refused: 1, rateLimited: 1, p50: 10, p95: 20 });
    expect(live.requestsPerSecond).toBeCloseTo(13 / 9, 1);
    expect(stats.overall().p50).toBe(500);
    expect(stats.operations().map((o) => [o.operation, o.count, o.ok, o.errors, o.refused, o.rateLimited])).toEqual([
      ['login', 1, 0, {}, {}, 1],
      ['deposit', 1, 0, { network: 1 }, {}, 0],
      ['claim', 1, 0, {}, { 409: 1 }, 0],
      ['spin', 110, 110, {}, {}, 0],
    ]);
  });

  test('when a run is summed up, then the table has one row per operation with its errors and refusals by status', () => {
    const stats = new TrafficStats();
    stats.record('register', 201, 'ok', 95);
    stats.record('spin', 201, 'ok', 12);
    stats.record('spin', 503, 'error', 30);
    stats.record('claim', 409, 'refused', 8);
    const tally = {
      index: 1,
      email: 'e',
      registered: true,
      logins: 1,
      deposits: 2,
      depositedCents: 7_500,
      claims: { 'welcome-100': 1 },
      spins: 1,
      stakedCents: 100,
      wonCents: 0,
      withdrawals: 0,
      withdrawnCents: 0,
      forfeits: 0,
      retired: false,
    };
    const summary: TrafficSummary = {
      options: { url: 'http://127.0.0.1:8080', players: 1, durationSeconds: 300, seed: 42, thinkMs: 1000 },
      endedBy: 'stopped',
      elapsedSeconds: 75.2,
      ...stats.totalsNow(),
      rateLimitWaitSeconds: 0,
      requestsPerSecond: 0.1,
      latencyMs: stats.overall(),
      operations: stats.operations(),
      totals: totalsOf([tally, { ...tally, index: 2, registered: false, claims: { 'reload-50': 2 } }]),
      players: [tally],
    };

    const text = formatTrafficSummary(summary);

    expect(text).toContain('Traffic, seed 42: 1 players against http://127.0.0.1:8080, stopped early, after 1m15s');
    expect(text).toContain('1 errors, 1 refused, 0 rate-limited');
    expect(text).toContain('4 deposits (150.00 EUR), 1 welcome-100, 2 reload-50, 2 spins');
    expect(text).toMatch(/^ {2}operation +count +errors +refused +429s +p50 +p95 +p99$/m);
    expect(text).toMatch(/^ {2}spin +2 +503 x1 +- +0 +12 ms +30 ms +30 ms$/m);
    expect(text).toMatch(/^ {2}claim +1 +- +409 x1 +0/m);
  });

  test('when a duration is given as seconds, minutes or hours, then it is read in seconds; anything else is a usage error', () => {
    const read = (value: string) => durationFlag(['--duration', value], 'duration', 1, 86_400);

    expect([read('90'), read('90s'), read('5m'), read('1h')]).toEqual([90, 90, 300, 3600]);
    expect(durationFlag(['--players', '3'], 'duration', 1, 86_400)).toBeUndefined();
    for (const bad of ['0s', '25h', '5 minutes', '-1m', '1.5h']) expect(() => read(bad)).toThrow(UsageError);
    expect(() => durationFlag(['--duration'], 'duration', 1, 86_400)).toThrow(UsageError);
    expect([clock(9), clock(75), clock(3725)]).toEqual(['9s', '1m15s', '1h02m05s']);
  });
});
