import { randomUUID } from 'node:crypto';
import type { ScenarioSnapshot } from '@casino/shared';
import { testDeps } from '@casino/shared/testing';
import request from 'supertest';
import { createApp } from '../src/app';
import { regressedRelease } from '../src/domain/bad-release';
import { burnCpu } from '../src/domain/cpu-spike';
import { RoundRepository } from '../src/data/round-repository';
import { SpinHistoryCache } from '../src/domain/memory-leak';
import { play as playRound, type PlayDeps } from '../src/domain/play';
import { reconcileRounds } from '../src/domain/recovery';
import { findGame, seededRng } from '../src/domain/slots';
import { FakeGamePeers } from './fake-peers';

function setup(state: ScenarioSnapshot = {}) {
  const deps = testDeps('game');
  deps.scenarios.replace(state);
  const peers = new FakeGamePeers();
  const app = createApp({ ...deps, peers, rng: seededRng(7) });
  const spin = (player = randomUUID()) =>
    request(app).post(`/players/${player}/games/lucky-sevens/spins`).set('idempotency-key', randomUUID()).send({ stake: 100 });
  return { deps, peers, app, spin };
}

describe('the game scenarios', () => {
  test('when cpu-spike is on, then a spin takes at least its ms and draws the same reels as with it off', async () => {
    const off = setup();
    const on = setup({ 'cpu-spike': { enabled: true, params: { ms: 120 } } });

    const t0 = performance.now();
    const spiked = await on.spin();
    const took = performance.now() - t0;
    const plain = await off.spin();

    expect(spiked.status).toBe(201);
    expect(took).toBeGreaterThanOrEqual(120);
    expect(spiked.body.reels).toEqual(plain.body.reels);
  });

  test('when the CPU is burnt for a time, then it is real work that ends at the deadline', () => {
    const t0 = performance.now();
    const primes = burnCpu(40);
    const took = performance.now() - t0;

    // Primes below 30,000.
    expect(primes).toBe(3245);
    expect(took).toBeGreaterThanOrEqual(40);
    expect(took).toBeLessThan(400);
  });

  test('when memory-leak is on, then each spin adds kbPerSpin to the cache, and switching it off empties it', async () => {
    const deps = testDeps('game');
    deps.scenarios.replace({ 'memory-leak': { enabled: true, params: { kbPerSpin: 64 } } });
    const spinHistory = new SpinHistoryCache(deps.logger).watch(deps.scenarios);
    const play: PlayDeps = {
      ...deps,
      rounds: new RoundRepository(deps.store),
      peers: new FakeGamePeers(),
      rng: seededRng(7),
      now: () => new Date(),
      spinHistory,
    };
    const game = findGame('lucky-sevens')!;

    for (let i = 0; i < 3; i++) await playRound(play, { playerId: randomUUID(), game, stake: 100, idempotencyKey: randomUUID() });
    expect(spinHistory.bytes).toBe(3 * 64 * 1024);

    deps.scenarios.replace({ 'memory-leak': { enabled: false, params: { kbPerSpin: 64 } } });

    expect(spinHistory.bytes).toBe(0);
    expect(deps.logs.some((l) => l.includes('its cache was released'))).toBe(true);
  });

  test('when the cache would pass its cap, then it stops growing and says so once', () => {
    const { deps } = setup();
    const cache = new SpinHistoryCache(deps.logger, 3 * 1024);

    for (let i = 0; i < 5; i++) cache.remember(1);

    expect(cache.bytes).toBe(3 * 1024);
    expect(deps.logs.filter((l) => l.includes('reached its cap'))).toHaveLength(1);
  });

  test('when bad-release fails a spin, then it is a 500 reel-strip-index problem, no money moves and no round is left to recover', async () => {
    const { deps, peers, spin } = setup({ 'bad-release': { enabled: true, params: { rate: 1 } } });

    const res = await spin();

    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ type: 'urn:casino:problem:reel-strip-index', status: 500, traceId: expect.any(String) });
    expect(res.body.detail).toContain('no money was taken');
    expect(peers.ops()).toEqual(['playerStatus']);
    expect(peers.wallet.cash).toBe(10_000);
    expect(await reconcileRounds({ rounds: new RoundRepository(deps.store), now: () => new Date() })).toMatchObject({
      rounds: 0,
      differences: [],
    });
  });

  test('when bad-release is on at rate 0 or switched off, then spins settle', async () => {
    const { deps, spin } = setup({ 'bad-release': { enabled: true, params: { rate: 0 } } });
    expect((await spin()).status).toBe(201);

    deps.scenarios.replace({ 'bad-release': { enabled: false, params: { rate: 1 } } });

    expect((await spin()).status).toBe(201);
  });

  test('when the regressed release has no name of its own, then it is the current one with -regressed', () => {
    expect(regressedRelease('casino@1.2.3', { rate: 0.2 })).toBe('casino@1.2.3-regressed');
    expect(regressedRelease('casino@1.2.3', { rate: 0.2, release: 'casino@1.2.4' })).toBe('casino@1.2.4');
  });
});
