import { randomUUID } from 'node:crypto';
import { testDeps } from '@casino/shared/testing';
import { findGame, seededRng } from '../../src/domain/slots';
import { SpinHistoryCache } from '../../src/scenarios/memory-leak';
import { playSpin } from '../../src/use-cases/play-spin';
import { FakeGamePeers, spinDeps } from '../fake-peers';
import { setup } from './spin-app';

describe('memory-leak in the game', () => {
  test('when memory-leak is on, then each spin adds kbPerSpin to the cache, and switching it off empties it', async () => {
    const deps = testDeps('game');
    deps.scenarios.replace({ 'memory-leak': { enabled: true, params: { kbPerSpin: 64 } } });
    const spinHistory = new SpinHistoryCache(deps.logger);
    const play = spinDeps(deps, { peers: new FakeGamePeers(), rng: seededRng(7), spinHistory });
    const game = findGame('lucky-sevens')!;

    for (let i = 0; i < 3; i++) await playSpin(play, { playerId: randomUUID(), game, stake: 100, idempotencyKey: randomUUID() });
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
});
