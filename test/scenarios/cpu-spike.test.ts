/**
 * cpu-spike: the RNG step of a spin (the game's `draw reels` span) burns CPU for about `ms` in a
 * named function, burnCpu, that a profile shows, and blocks the game's event loop meanwhile.
 */
import { randomUUID } from 'node:crypto';
import type { IngestedSpan } from '../support/ingest';
import { call } from '../support/platform';
import {
  durationMs,
  newPlayer,
  type ObservedPlatform,
  serviceOf,
  startObservedPlatform,
  switchScenario,
  traceSpans,
} from './observed-platform';
import { scrapeMetrics } from './service-metrics';

const MS = 300;
const isDraw = (s: IngestedSpan) => serviceOf(s) === 'game' && s.op === 'game.rng';
const isGameServer = (s: IngestedSpan) => serviceOf(s) === 'game' && s.op === 'http.server';

interface Spin {
  draw: IngestedSpan;
  server: IngestedSpan;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

describe('cpu-spike', () => {
  let o: ObservedPlatform;
  let token: string;

  beforeAll(async () => {
    o = await startObservedPlatform({ SENTRY_PROFILE_SESSION_SAMPLE_RATE: '1' });
    token = await newPlayer(o.api, 100_000);
  }, 60_000);

  afterAll(async () => {
    await switchScenario(o.api, 'cpu-spike', false).catch(() => undefined);
    await o?.stop();
  });

  /** `n` spins one after another; their trace ids. */
  async function spins(n: number): Promise<string[]> {
    const traces: string[] = [];
    for (let i = 0; i < n; i++) {
      const res = await call(o.api, 'POST', '/games/lucky-sevens/spins', { token, key: randomUUID(), body: { stake: 100 } });
      expect(res.status).toBe(201);
      traces.push(res.traceId);
    }
    return traces;
  }

  function spinSpans(traceIds: string[]): Promise<Spin[]> {
    return Promise.all(
      traceIds.map(async (traceId) => {
        const spans = await traceSpans(o.ingest, traceId, 'the game spans of a spin', (all) => all.some(isDraw) && all.some(isGameServer));
        return { draw: spans.find(isDraw)!, server: spans.find(isGameServer)! };
      }),
    );
  }

  /** The game's event-loop delay since the previous scrape, in ms. */
  async function loopDelay(): Promise<{ p90: number; max: number }> {
    const m = await scrapeMetrics(o.platform, 'game');
    return { p90: m.nodejs_eventloop_lag_p90_seconds! * 1_000, max: m.nodejs_eventloop_lag_max_seconds! * 1_000 };
  }

  test('when cpu-spike is on, then the draw and the game span grow by 150 ms or more, carry casino.scenario, block the event loop, and are short again once off', async () => {
    // Warm-up: compiled code and open connections, so "off" is not the first spin's cost.
    await spins(3);
    await loopDelay();
    const offTraces = await spins(5);
    const loopOff = await loopDelay();
    await switchScenario(o.api, 'cpu-spike', true, { ms: MS });
    await loopDelay();
    const onTraces = await spins(5);
    const loopOn = await loopDelay();
    await switchScenario(o.api, 'cpu-spike', false);
    const afterTraces = await spins(3);
    const [off, on, after] = (await Promise.all([offTraces, onTraces, afterTraces].map(spinSpans))) as [Spin[], Spin[], Spin[]];

    const draw = (runs: Spin[]) => median(runs.map((r) => durationMs(r.draw)));
    const server = (runs: Spin[]) => median(runs.map((r) => durationMs(r.server)));
    const figures = {
      drawOff: draw(off),
      drawOn: draw(on),
      drawAfter: draw(after),
      serverOff: server(off),
      serverOn: server(on),
      loopOff,
      loopOn,
    };
    console.log(
      `cpu-spike (ms ${MS}), medians of 5 spins: ${JSON.stringify(figures, (_k, v: unknown) => (typeof v === 'number' ? Math.round(v) : v))}`,
    );
    expect(figures.drawOn - figures.drawOff).toBeGreaterThanOrEqual(150);
    expect(figures.serverOn - figures.serverOff).toBeGreaterThanOrEqual(150);
    // The work lasts `ms` of wall-clock time: a loaded machine makes it longer, never shorter.
    expect(figures.drawOn).toBeGreaterThanOrEqual(MS);
    for (const { draw: d, server: s } of on)
      expect([d.attributes['casino.scenario'], s.attributes['casino.scenario']]).toEqual(['cpu-spike', 'cpu-spike']);
    for (const { draw: d } of [...off, ...after]) expect(d.attributes['casino.scenario']).toBeUndefined();
    // Off again: at once the draw is as short as before.
    expect(figures.drawOn - figures.drawAfter).toBeGreaterThanOrEqual(150);
    // Each spin blocked the loop once for about `ms`: the worst delay shows it. Off, a busy machine
    // alone delays the loop by tens of ms (up to 84 measured here), hence the smaller margin.
    expect(loopOn.max).toBeGreaterThanOrEqual(0.8 * MS);
    expect(loopOn.max - loopOff.max).toBeGreaterThanOrEqual(100);
  });

  test('when cpu-spike is on, then the game sends a profile in which burnCpu did the work', async () => {
    await switchScenario(o.api, 'cpu-spike', true, { ms: MS });
    await spins(3);
    await switchScenario(o.api, 'cpu-spike', false);

    const frames = await o.ingest.waitFor(
      'a game profile chunk naming burnCpu',
      () => {
        const chunks = o.ingest.envelopes
          .filter((e) => serviceOf(e) === 'game')
          .flatMap((e) => e.items.filter((i) => i.header.type === 'profile_chunk'));
        const names = chunks.flatMap((c) =>
          ((c.payload as { profile?: { frames?: { function?: string }[] } }).profile?.frames ?? []).map((f) => f.function),
        );
        return names.includes('burnCpu') ? names : undefined;
      },
      30_000,
    );
    expect(frames).toContain('countPrimes');
  });
});
