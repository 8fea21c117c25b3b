import { randomUUID } from 'node:crypto';
import { describeEachStore } from '@casino/shared/testing/stores';
import { BonusRepository, ClaimConflictError } from '../src/data/bonus-repository';
import { reconcileBonuses } from '../src/use-cases/reconcile-bonuses';
import type { Bonus } from '../src/domain/bonuses';

const CLAIMED = new Date('2026-03-01T12:00:00.000Z');

/** An active welcome bonus of 20 EUR for `playerId`, on a deposit of its own. */
function newBonus(playerId: string = randomUUID(), changes: Partial<Bonus> = {}): Bonus {
  return {
    id: randomUUID(),
    playerId,
    offerId: 'welcome-100',
    status: 'active',
    amount: 2_000,
    wageringRequired: 70_000,
    wagered: 0,
    depositId: randomUUID(),
    createdAt: CLAIMED,
    expiresAt: new Date('2026-03-31T12:00:00.000Z'),
    ...changes,
  };
}

const newKey = () => `claim-${randomUUID()}`;

/** What a refused create rejects with: a ClaimConflictError, whose reason is what the claim route answers by. */
const conflict = (reason: ClaimConflictError['reason']) => ({ message: reason, reason });

// Bonuses and the wagers counted toward them, held to the same behaviour on every store.
describeEachStore('bonus repository', (backend) => {
  const opened = backend.use((store) => ({ bonuses: new BonusRepository(store) }));

  describe('claiming', () => {
    test('when a bonus is created, then it is found by its key, as the active bonus and in the history, and its offer counts as claimed', async () => {
      const { bonuses } = opened();
      const bonus = newBonus();
      const key = newKey();

      await bonuses.create(bonus, key);

      expect(await bonuses.byKey(bonus.playerId, key)).toEqual(bonus);
      expect(await bonuses.active(bonus.playerId)).toEqual(bonus);
      expect(await bonuses.history(bonus.playerId, 10)).toEqual([bonus]);
      expect(await bonuses.hasClaimed(bonus.playerId, 'welcome-100')).toBe(true);
      expect(await bonuses.hasClaimed(bonus.playerId, 'reload-50')).toBe(false);
    });

    test('when a player has no bonus, then there is nothing active, no history and nothing found by key', async () => {
      const { bonuses } = opened();
      const player = randomUUID();

      expect(await bonuses.active(player)).toBeNull();
      expect(await bonuses.history(player, 10)).toEqual([]);
      expect(await bonuses.byKey(player, newKey())).toBeNull();
      expect(await bonuses.hasClaimed(player, 'welcome-100')).toBe(false);
    });

    test('when a player with an active bonus gets another, then it is refused as bonus-active until the first is settled', async () => {
      const { bonuses } = opened();
      const first = newBonus();
      const second = newBonus(first.playerId, { offerId: 'reload-50' });
      await bonuses.create(first, newKey());

      await expect(bonuses.create(second, newKey())).rejects.toMatchObject(conflict('bonus-active'));
      await bonuses.settle(first.id, 'forfeited', CLAIMED);
      await bonuses.create(second, newKey());

      expect((await bonuses.active(first.playerId))?.id).toBe(second.id);
    });

    test('when 20 bonuses are created at once for one player, with their own keys and deposits, then exactly one is active', async () => {
      const { bonuses } = opened();
      const player = randomUUID();
      const racers = Array.from({ length: 20 }, () => newBonus(player));

      const outcomes = await Promise.allSettled(racers.map((b) => bonuses.create(b, newKey())));

      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      const refusals = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected').map((o) => o.reason as unknown);
      expect(refusals.every((err) => err instanceof ClaimConflictError && err.reason === 'bonus-active')).toBe(true);
      expect(refusals).toHaveLength(19);
      expect(await bonuses.history(player, 50)).toHaveLength(1);
    });

    test('when a deposit already earned a bonus, then a second bonus on it is refused as deposit-used, even once the first is settled', async () => {
      const { bonuses } = opened();
      const first = newBonus();
      await bonuses.create(first, newKey());
      await bonuses.settle(first.id, 'forfeited', CLAIMED);

      const again = newBonus(first.playerId, { depositId: first.depositId, offerId: 'reload-50' });
      const otherPlayer = newBonus(randomUUID(), { depositId: first.depositId });

      await expect(bonuses.create(again, newKey())).rejects.toMatchObject(conflict('deposit-used'));
      await bonuses.create(otherPlayer, newKey());
      expect(await bonuses.active(first.playerId)).toBeNull();
      expect((await bonuses.active(otherPlayer.playerId))?.id).toBe(otherPlayer.id);
    });

    test('when a claim is stored again with its key while the first is still active, then it is a replay and the key finds the first', async () => {
      const { bonuses } = opened();
      const first = newBonus();
      const key = newKey();
      await bonuses.create(first, key);

      await expect(bonuses.create(newBonus(first.playerId), key)).rejects.toMatchObject(conflict('replay'));
      expect(await bonuses.byKey(first.playerId, key)).toEqual(first);
      expect(await bonuses.history(first.playerId, 10)).toHaveLength(1);
    });

    test('when a player has several bonuses, then the history is newest first and at most the limit', async () => {
      const { bonuses } = opened();
      const player = randomUUID();
      const days = [3, 1, 4, 2];
      for (const day of days) {
        const bonus = newBonus(player, { createdAt: new Date(Date.UTC(2026, 2, day)) });
        await bonuses.create(bonus, newKey());
        await bonuses.settle(bonus.id, 'expired', CLAIMED);
      }

      const history = await bonuses.history(player, 3);

      expect(history.map((b) => b.createdAt.toISOString())).toEqual([
        '2026-03-04T00:00:00.000Z',
        '2026-03-03T00:00:00.000Z',
        '2026-03-02T00:00:00.000Z',
      ]);
      expect(history.every((b) => b.status === 'expired')).toBe(true);
    });
  });

  describe('settling', () => {
    test('when an active bonus is settled, then it takes the final state once, and a second settle answers null and changes nothing', async () => {
      const { bonuses } = opened();
      const bonus = newBonus();
      await bonuses.create(bonus, newKey());

      const forfeited = await bonuses.settle(bonus.id, 'forfeited', CLAIMED);
      const expired = await bonuses.settle(bonus.id, 'expired', CLAIMED);

      expect(forfeited).toEqual({ ...bonus, status: 'forfeited' });
      expect(expired).toBeNull();
      expect(await bonuses.history(bonus.playerId, 1)).toEqual([{ ...bonus, status: 'forfeited' }]);
      expect(await bonuses.active(bonus.playerId)).toBeNull();
    });

    test('when ten requests settle one bonus at once, then exactly one of them settles it', async () => {
      const { bonuses } = opened();
      const bonus = newBonus();
      await bonuses.create(bonus, newKey());

      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => bonuses.settle(bonus.id, i % 2 ? 'expired' : 'forfeited', CLAIMED)),
      );

      const settled = results.filter((r) => r !== null);
      expect(settled).toHaveLength(1);
      expect((await bonuses.history(bonus.playerId, 1))[0]?.status).toBe(settled[0]!.status);
    });
  });

  describe('wagering', () => {
    test('when rounds are added, then their stakes add up, and the same round added again counts nothing', async () => {
      const { bonuses } = opened();
      const bonus = newBonus();
      await bonuses.create(bonus, newKey());
      const round = randomUUID();

      const first = await bonuses.addWager(bonus, round, 700, CLAIMED);
      const again = await bonuses.addWager(bonus, round, 700, CLAIMED);
      const next = await bonuses.addWager(bonus, randomUUID(), 250, CLAIMED);

      expect(first).toEqual({ ...bonus, wagered: 700 });
      expect(again).toBeNull();
      expect(next?.wagered).toBe(950);
      expect((await bonuses.active(bonus.playerId))?.wagered).toBe(950);
    });

    test('when a round is added to a bonus that is no longer active, then it counts nothing', async () => {
      const { bonuses } = opened();
      const bonus = newBonus();
      await bonuses.create(bonus, newKey());
      await bonuses.addWager(bonus, randomUUID(), 300, CLAIMED);
      await bonuses.settle(bonus.id, 'forfeited', CLAIMED);

      const late = await bonuses.addWager(bonus, randomUUID(), 500, CLAIMED);

      expect(late).toBeNull();
      expect((await bonuses.history(bonus.playerId, 1))[0]).toMatchObject({ status: 'forfeited', wagered: 300 });
    });
  });

  describe('indexes', () => {
    test('when the store is initialised again, then it succeeds and a player still has one active bonus at most', async () => {
      const { bonuses, store } = opened();
      const first = newBonus();

      await store.init();
      await store.init();
      await bonuses.create(first, newKey());

      await expect(bonuses.create(newBonus(first.playerId), newKey())).rejects.toMatchObject(conflict('bonus-active'));
    });
  });
});

// A database of its own: every bonus in it must reconcile with the wagers counted toward it.
describeEachStore('bonus repository under concurrency', (backend) => {
  const opened = backend.use((store) => ({ bonuses: new BonusRepository(store) }));

  test('when 200 rounds are added to one bonus at once and 50 of them are retried at the same time, then each round counts once', async () => {
    const { bonuses, store } = opened();
    const bonus = newBonus(randomUUID(), { wageringRequired: 10_000_000 });
    await bonuses.create(bonus, newKey());
    const rounds = Array.from({ length: 200 }, (_, i) => ({ id: randomUUID(), stake: 10 + (i % 7) * 15 }));
    const calls = [...rounds, ...rounds.slice(0, 50)];

    const results = await Promise.all(calls.map((r) => bonuses.addWager(bonus, r.id, r.stake, new Date())));

    const stakes = rounds.reduce((sum, r) => sum + r.stake, 0);
    expect(results.filter((r) => r !== null)).toHaveLength(200);
    expect((await bonuses.active(bonus.playerId))?.wagered).toBe(stakes);
    expect(Math.max(...results.map((r) => r?.wagered ?? 0))).toBe(stakes);
    expect((await reconcileBonuses(store)).differences).toEqual([]);
  }, 60_000);

  test('when rounds race a settle of their bonus, then what was counted before the settle is all the bonus holds, and it reconciles', async () => {
    const { bonuses, store } = opened();
    const bonus = newBonus(randomUUID(), { wageringRequired: 10_000_000 });
    await bonuses.create(bonus, newKey());

    const [results, settled] = await Promise.all([
      Promise.all(Array.from({ length: 100 }, () => bonuses.addWager(bonus, randomUUID(), 100, new Date()))),
      bonuses.settle(bonus.id, 'forfeited', new Date()),
    ]);

    const counted = results.filter((r) => r !== null).length;
    const final = (await bonuses.history(bonus.playerId, 1))[0];
    expect(settled?.status).toBe('forfeited');
    expect(final).toMatchObject({ status: 'forfeited', wagered: counted * 100 });
    expect((await reconcileBonuses(store)).differences).toEqual([]);
  }, 60_000);
});
