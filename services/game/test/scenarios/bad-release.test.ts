import { RoundRepository } from '../../src/data/round-repository';
import { regressedRelease } from '../../src/scenarios/bad-release';
import { reconcileRounds } from '../../src/use-cases/reconcile-rounds';
import { setup } from './spin-app';

describe('bad-release in the game', () => {
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
