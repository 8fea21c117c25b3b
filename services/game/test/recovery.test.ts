import { randomUUID } from 'node:crypto';
import { asItsCallers, testDeps } from '@casino/shared/testing';
import request from 'supertest';
import { gameCallers } from '../src/api/callers';
import { createApp } from '../src/app';
import { QUIET_MS } from '../src/domain/round';
import { reconcileRounds } from '../src/use-cases/reconcile-rounds';
import { recoverRounds } from '../src/use-cases/recover-rounds';
import { FakeGamePeers, scriptedRng, spinDeps } from './fake-peers';

/** lucky-sevens stops: three 7s on the middle line (50x). */
const SEVENS = [19, 19, 19];

/** The game app and, over the same store, what the recovery pass gets; a clock the test moves. */
function setup() {
  const deps = testDeps('game');
  const peers = new FakeGamePeers();
  const clock = { at: Date.parse('2026-03-01T12:00:00Z') };
  const now = () => new Date(clock.at);
  const rng = scriptedRng(SEVENS);
  const app = asItsCallers(createApp({ ...deps, peers, rng, now }), 'game', gameCallers);
  const play = spinDeps(deps, { peers, rng, now });
  return { app, peers, play, clock, player: randomUUID() };
}

const spin = (app: ReturnType<typeof setup>['app'], player: string, key = randomUUID()) =>
  request(app).post(`/players/${player}/games/lucky-sevens/spins`).set('idempotency-key', key).send({ stake: 100 });

describe('recovering interrupted rounds', () => {
  test('when a round took the stake but payment failed on the win, then after a quiet minute the pass pays it once and settles it', async () => {
    const { app, peers, play, clock, player } = setup();
    peers.down.credit = true;
    const failed = await spin(app, player);
    expect(failed.status).toBe(503);
    peers.down.credit = false;
    expect(peers.bets.size).toBe(1);
    expect(peers.wins.size).toBe(0);

    // Still in a request's hands: the pass leaves it, and reconciliation does not count it yet.
    expect(await recoverRounds(play)).toEqual({ finished: 0, wagersSent: 0, failed: 0 });
    expect((await reconcileRounds(play)).differences).toEqual([]);

    clock.at += QUIET_MS + 1;
    expect((await reconcileRounds(play)).differences).toEqual([
      { roundId: expect.any(String), playerId: player, problem: 'unfinished', detail: 'stake taken, stopped at drawn' },
    ]);
    expect(await recoverRounds(play)).toEqual({ finished: 1, wagersSent: 0, failed: 0 });
    expect(await recoverRounds(play)).toEqual({ finished: 0, wagersSent: 0, failed: 0 });

    expect([...peers.wins.values()]).toEqual([5_000]);
    expect(peers.wagers).toHaveLength(1);
    const report = await reconcileRounds(play);
    expect(report).toEqual({ rounds: 1, byStatus: { settled: 1 }, bets: 1, wins: 1, differences: [] });
    expect((await request(app).get(`/players/${player}/rounds`)).body.items).toHaveLength(1);
  });

  test('when wager was down as a round settled, then the player still gets the win and the pass sends the stake later, once', async () => {
    const { app, peers, play, clock, player } = setup();
    peers.down.recordWager = true;
    const res = await spin(app, player);
    peers.down.recordWager = false;
    expect(res.status).toBe(201);
    expect(res.body.win).toBe(5_000);
    expect(peers.wagers).toHaveLength(0);

    clock.at += QUIET_MS + 1;
    expect((await reconcileRounds(play)).differences.map((d) => d.problem)).toEqual(['wager-not-recorded']);
    expect(await recoverRounds(play)).toEqual({ finished: 0, wagersSent: 1, failed: 0 });
    expect(await recoverRounds(play)).toEqual({ finished: 0, wagersSent: 0, failed: 0 });

    expect(peers.wagers).toEqual([{ roundId: res.body.roundId, stake: 100 }]);
    expect((await reconcileRounds(play)).differences).toEqual([]);
  });

  test('when the pass cannot reach a peer, then it counts the failure, keeps the round for the next pass and does not throw', async () => {
    const { app, peers, play, clock, player } = setup();
    peers.down.credit = true;
    await spin(app, player);
    clock.at += QUIET_MS + 1;

    expect(await recoverRounds(play)).toEqual({ finished: 0, wagersSent: 0, failed: 1 });
    peers.down.credit = false;
    expect(await recoverRounds(play)).toEqual({ finished: 1, wagersSent: 0, failed: 0 });
  });

  test('when a round failed on payment before taking the stake, then the pass leaves it alone and nothing is owed', async () => {
    const { app, peers, play, clock, player } = setup();
    peers.down.debit = true;
    expect((await spin(app, player)).status).toBe(503);
    clock.at += QUIET_MS + 1;

    expect(await recoverRounds(play)).toEqual({ finished: 0, wagersSent: 0, failed: 0 });
    expect(await reconcileRounds(play)).toEqual({ rounds: 1, byStatus: { started: 1 }, bets: 0, wins: 0, differences: [] });
    expect(peers.bets.size).toBe(0);
  });
});
