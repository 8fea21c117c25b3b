import { randomUUID } from 'node:crypto';
import { asItsCallers, testDeps } from '@casino/shared/testing';
import request from 'supertest';
import { wagerCallers } from '../src/api/callers';
import { createApp } from '../src/app';
import { BonusRepository } from '../src/data/bonus-repository';
import { wagerFaults } from '../src/scenarios';
import { expireBonuses } from '../src/use-cases/expire-bonuses';
import { FakeWagerPeers } from './fake-peers';

/** The app, and the bonus-expiry job's dependencies over the same store and clock. */
function setup() {
  const clock = { now: new Date('2026-03-01T12:00:00Z') };
  const deps = testDeps('wager');
  const peers = new FakeWagerPeers(clock);
  const now = () => clock.now;
  const app = asItsCallers(createApp({ ...deps, peers, now }), 'wager', wagerCallers);
  const job = () =>
    expireBonuses({ bonuses: new BonusRepository(deps.store), peers, metrics: deps.metrics, faults: wagerFaults(deps.scenarios), now });
  return { app, peers, clock, job };
}

async function claimWelcome(app: ReturnType<typeof setup>['app'], peers: FakeWagerPeers) {
  const player = randomUUID();
  peers.addDeposit(player, 2_000);
  const res = await request(app).post(`/players/${player}/bonuses`).set('Idempotency-Key', randomUUID()).send({ offerId: 'welcome-100' });
  expect(res.status).toBe(201);
  return { player, bonus: res.body.bonus as { id: string; expiresAt: string } };
}

describe('the bonus-expiry job', () => {
  test('when a bonus is past its time and its player never comes back, then the job ends it and forfeits its bonus money once', async () => {
    const { app, peers, clock, job } = setup();
    const { player, bonus } = await claimWelcome(app, peers);

    await expect(job()).resolves.toEqual({ expired: 0, failed: 0 });
    clock.now = new Date(new Date(bonus.expiresAt).getTime() + 1);
    await expect(job()).resolves.toEqual({ expired: 1, failed: 0 });
    await expect(job()).resolves.toEqual({ expired: 0, failed: 0 });

    expect(peers.moved('bonus_forfeit')).toEqual([{ type: 'bonus_forfeit', playerId: player, bonusId: bonus.id, cash: 0, bonus: -2_000 }]);
    expect((await request(app).get(`/players/${player}/bonuses`).expect(200)).body.items[0]).toMatchObject({
      id: bonus.id,
      status: 'expired',
    });
  });

  test('when payment cannot take the forfeit, then the run fails, the bonus stays active, and the next run ends it', async () => {
    const { app, peers, clock, job } = setup();
    const { bonus } = await claimWelcome(app, peers);
    clock.now = new Date(new Date(bonus.expiresAt).getTime() + 1);
    peers.outages.forfeitBonus = 1;

    await expect(job()).rejects.toThrow('1 of 1 expired bonuses could not be ended');
    await expect(job()).resolves.toEqual({ expired: 1, failed: 0 });
    expect(peers.moved('bonus_forfeit')).toHaveLength(1);
  });
});
