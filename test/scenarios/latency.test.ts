/**
 * latency: while it is on, the gateway holds every answer from the named service `ms` longer, inside
 * the http.client span of that call. Measured on against off in the same run, as medians over a
 * few spins, so the machine's own pace cancels out.
 */
import { randomUUID } from 'node:crypto';
import type { IngestedSpan } from '../support/ingest';
import { call } from '../support/platform';
import { durationMs as ms, newPlayer, type ObservedPlatform, serviceOf, startObservedPlatform, switchScenario } from './observed-platform';

const MS = 300;
const ROUNDS = 5;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

interface Sample {
  spins: string[];
  wallets: string[];
}

describe('the latency scenario', () => {
  let casino: ObservedPlatform;
  let token: string;
  const samples: Record<'off' | 'on' | 'offAgain', Sample> = {
    off: { spins: [], wallets: [] },
    on: { spins: [], wallets: [] },
    offAgain: { spins: [], wallets: [] },
  };

  const sample = async (into: Sample, rounds = ROUNDS) => {
    for (let i = 0; i < rounds; i++) {
      const spin = await call(casino.api, 'POST', '/games/lucky-sevens/spins', { token, key: randomUUID(), body: { stake: 100 } });
      const wallet = await call(casino.api, 'GET', '/wallet', { token });
      expect([spin.status, wallet.status]).toEqual([201, 200]);
      into.spins.push(spin.traceId);
      into.wallets.push(wallet.traceId);
    }
  };

  /** The gateway's span for its call to a service, in one trace; waits for the ingest to have it. */
  const hop = (traceId: string, service: 'game' | 'payment') =>
    casino.ingest.waitFor(`the gateway's call to ${service} in ${traceId}`, () =>
      casino.ingest
        .spans()
        .find(
          (s) =>
            serviceOf(s) === 'gateway' &&
            s.traceId === traceId &&
            s.op === 'http.client' &&
            String(s.attributes['url.full']).includes(`:${casino.platform.ports[service]}/`),
        ),
    );
  const served = (traceId: string) =>
    casino.ingest.waitFor(`the game's server span in ${traceId}`, () =>
      casino.ingest.spans().find((s) => serviceOf(s) === 'game' && s.traceId === traceId && s.segment),
    );
  // The hop's own share of its span (the gateway's call less the game's work) takes out the
  // game's pace, which drifts while a fresh process warms up.
  const own = async (traceId: string) => ms(await hop(traceId, 'game')) - ms(await served(traceId));
  const medianMs = async (spans: Promise<IngestedSpan>[]) => median((await Promise.all(spans)).map(ms));

  beforeAll(async () => {
    casino = await startObservedPlatform({ SENTRY_PROFILE_SESSION_SAMPLE_RATE: '0' });
    token = await newPlayer(casino.api, 10_000);
    // The first requests of a fresh process are slow while it warms up; they measure nothing.
    await sample({ spins: [], wallets: [] });
    await sample(samples.off);
    await switchScenario(casino.api, 'latency', true, { ms: MS, service: 'game' });
    await sample(samples.on);
    await switchScenario(casino.api, 'latency', false);
    await sample(samples.offAgain, 3);
  }, 60_000);

  afterAll(() => casino?.stop());

  test("when it is on for the game, then the gateway's span of each call to the game grows by ms, and carries the scenario", async () => {
    const off = median(await Promise.all(samples.off.spins.map(own)));
    const on = median(await Promise.all(samples.on.spins.map(own)));
    const spans = await Promise.all(samples.on.spins.map((t) => hop(t, 'game')));

    console.log(
      `latency: gateway -> game span less the game's own, median of ${ROUNDS}: off ${off.toFixed(1)} ms, on ${on.toFixed(1)} ms, grew ${(on - off).toFixed(1)} ms for ms=${MS}`,
    );
    expect(on - off).toBeGreaterThanOrEqual(MS - 10);
    expect(on - off).toBeLessThanOrEqual(MS + 100);
    for (const span of spans) {
      expect(ms(span)).toBeGreaterThanOrEqual(MS - 1);
      expect(span.attributes['casino.scenario']).toBe('latency');
      const root = casino.ingest.spans().find((s) => serviceOf(s) === 'gateway' && s.traceId === span.traceId && s.segment);
      expect(root?.attributes['casino.scenario']).toBe('latency');
    }
  });

  test("when it is on for the game, then neither the game's own span nor the gateway's calls to another service grow", async () => {
    const gameOff = await medianMs(samples.off.spins.map(served));
    const gameOn = await medianMs(samples.on.spins.map(served));
    const paymentOff = await medianMs(samples.off.wallets.map((t) => hop(t, 'payment')));
    const paymentOn = await medianMs(samples.on.wallets.map((t) => hop(t, 'payment')));

    console.log(
      `latency: game server span off ${gameOff.toFixed(1)} ms, on ${gameOn.toFixed(1)} ms; gateway -> payment off ${paymentOff.toFixed(1)} ms, on ${paymentOn.toFixed(1)} ms`,
    );
    expect(gameOn - gameOff).toBeLessThan(MS / 3);
    expect(paymentOn - paymentOff).toBeLessThan(MS / 3);
    for (const traceId of samples.on.wallets) expect((await hop(traceId, 'payment')).attributes['casino.scenario']).toBeUndefined();
  });

  test('when it is switched off, then the next calls to the game are as fast as before', async () => {
    const off = median(await Promise.all(samples.off.spins.map(own)));
    const after = median(await Promise.all(samples.offAgain.spins.map(own)));

    expect(after - off).toBeLessThan(MS / 3);
    for (const traceId of samples.offAgain.spins) expect((await hop(traceId, 'game')).attributes['casino.scenario']).toBeUndefined();
  });
});
