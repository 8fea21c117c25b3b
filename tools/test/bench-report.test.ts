/** The bench's arithmetic: medians over rounds, and the ratios it answers its targets with. */
import { answers, summarise, table } from '@casino/tools/bench/report';
import type { Measurement } from '@casino/tools/bench/measure';

const services = { gateway: 1, user: 1, game: 1, payment: 1, wager: 1 };
const m = (row: string, spinsPerSecond: number, p50: number, rss = 100, cpu = 5): Measurement => ({
  row,
  spins: spinsPerSecond * 10,
  spinsPerSecond,
  p50,
  p99: p50 * 2,
  failures: 0,
  cpuMsPerSpin: { ...services, total: cpu },
  rssIdleMb: { gateway: rss, user: rss, game: rss, payment: rss, wager: rss },
  rssAfterMb: { gateway: rss + 20, user: rss, game: rss, payment: rss, wager: rss },
  readyMs: 2_000,
  envelopes: spinsPerSecond * 20,
});

describe('the bench report', () => {
  const measurements = [
    ...[300, 280, 290].map((r) => m('bare', r, 60)),
    ...[100, 90, 95].map((r) => m('off', r, 200)),
    ...[60, 50, 70].map((r) => m('tracing-0.1', r, 300)),
    ...[40, 50, 45].map((r) => m('all', r, 400, 120)),
  ];

  test('when rows ran several rounds, then each row is the median of its rounds, with the range of spins/s', () => {
    const rows = summarise(measurements);
    expect(rows.map((r) => r.id)).toEqual(['bare', 'off', 'tracing-0.1', 'all']);
    expect(rows.find((r) => r.id === 'off')?.spinsPerSecond).toEqual({ median: 95, min: 90, max: 100 });
    expect(rows.find((r) => r.id === 'all')?.envelopesPerSpin).toBe(2);
  });

  test('when the answers are read, then they are the ratios the targets are set in', () => {
    const found = answers(summarise(measurements));
    expect(found.observabilityCost).toEqual({ throughput: 95 / 45, p50: 2, p99: 2 });
    expect(found.nearTheLimit).toBeCloseTo(95 / 290);
    expect(found.memory).toEqual({ allOnIdleMb: 600, allOnAfterMb: 620 });
    expect(found.sentryCost).toMatchObject({ throughput: 95 / 60, p50: 1.5 });
    expect(found.slowestReadyMs).toBe(2_000);
    expect(found.sdkFloor).toBeNull();
  });

  test('when the bare chain also ran with the SDK, then the SDK floor is its cost per request beside the platform tracing every request', () => {
    const withFloor = [
      ...measurements,
      ...[100, 90, 110].map((r) => m('bare-sdk', r, 150, 100, 25)),
      ...[50, 48, 52].map((r) => m('tracing-1', r, 350)),
    ];
    const found = answers(summarise(withFloor));
    // 5 CPU ms a spin bare, 25 with the SDK: 4 more for each of the five hops.
    expect(found.sdkFloor).toEqual({ throughput: 290 / 100, cpuMsPerRequest: 4, platformThroughput: 95 / 50 });
    expect(found.slowestReadyMs).toBe(2_000);
  });

  test('when the table is printed, then every row has a line with its spins/s and its cost against the SDK off', () => {
    const text = table(summarise(measurements), 20);
    expect(text.split('\n')).toHaveLength(5);
    expect(text).toContain('spins/s @20');
    expect(text).toMatch(/everything on.*45\.0.*2\.11×/);
  });
});
