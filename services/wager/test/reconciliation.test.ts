import { randomUUID } from 'node:crypto';
import { EmbeddedStore } from '@casino/shared';
import { BonusRepository, bonusesSpec, type BonusDoc, type WagerDoc, wagersSpec } from '../src/data/bonus-repository';
import { reconcileBonuses } from '../src/use-cases/reconcile-bonuses';
import type { Bonus } from '../src/domain/bonuses';

const NOW = new Date('2026-03-01T12:00:00.000Z');

function setup() {
  const store = new EmbeddedStore('casino_wager');
  return {
    store,
    repo: new BonusRepository(store),
    bonuses: store.collection<BonusDoc>(bonusesSpec),
    wagers: store.collection<WagerDoc>(wagersSpec),
  };
}

function newBonus(overrides: Partial<Bonus> = {}): Bonus {
  return {
    id: randomUUID(),
    playerId: randomUUID(),
    offerId: 'welcome-100',
    status: 'active',
    amount: 1_000,
    wageringRequired: 3_000,
    wagered: 0,
    depositId: randomUUID(),
    createdAt: NOW,
    expiresAt: new Date(NOW.getTime() + 30 * 86_400_000),
    ...overrides,
  };
}

describe('bonus reconciliation', () => {
  test('when stakes were counted through the repository, then every bonus matches its wagers and the totals add up', async () => {
    const { store, repo } = setup();
    const open = newBonus();
    const done = newBonus({ amount: 500 });
    await repo.create(open, randomUUID());
    await repo.create(done, randomUUID());
    await repo.addWager(open, randomUUID(), 700, NOW);
    for (let i = 0; i < 3; i++) await repo.addWager(done, randomUUID(), 1_000, NOW);
    await repo.settle(done.id, 'completed', NOW);

    const report = await reconcileBonuses(store, NOW);

    expect(report).toEqual({
      bonuses: 2,
      wagers: 4,
      byStatus: { active: 1, completed: 1 },
      amount: 1_500,
      activeBonusPlayers: [open.playerId],
      differences: [],
    });
  });

  test('when a bonus says more was wagered than its wagers hold, then it is reported as a mismatch', async () => {
    const { store, repo, bonuses } = setup();
    const bonus = newBonus();
    await repo.create(bonus, randomUUID());
    await repo.addWager(bonus, randomUUID(), 400, NOW);
    await bonuses.updateOne({ _id: bonus.id }, { $inc: { wagered: 100 } });

    const { differences } = await reconcileBonuses(store, NOW);

    expect(differences).toEqual([
      { bonusId: bonus.id, playerId: bonus.playerId, problem: 'wagered-mismatch', detail: 'wagered 500, counted wagers sum to 400' },
    ]);
  });

  test('when a bonus completed short of its requirement, or met it and stayed active, then each is reported', async () => {
    const { store, repo } = setup();
    const short = newBonus({ wageringRequired: 5_000 });
    const stuck = newBonus({ wageringRequired: 500 });
    await repo.create(short, randomUUID());
    await repo.create(stuck, randomUUID());
    await repo.addWager(short, randomUUID(), 1_000, NOW);
    await repo.settle(short.id, 'completed', NOW);
    await repo.addWager(stuck, randomUUID(), 600, NOW);

    const { differences } = await reconcileBonuses(store, NOW);

    expect(differences.map((d) => [d.bonusId, d.problem])).toEqual(
      expect.arrayContaining([
        [short.id, 'completed-short'],
        [stuck.id, 'completion-pending'],
      ]),
    );
    expect(differences).toHaveLength(2);
  });

  test('when a request stopped after adding the stake but before marking its wager, then the bonus still reconciles and a retry adds nothing', async () => {
    const { store, repo, bonuses, wagers } = setup();
    const bonus = newBonus();
    await repo.create(bonus, randomUUID());
    const round = randomUUID();
    // What the request left: the wager recorded and added to the bonus, the wager not yet marked.
    await wagers.insertOne({ _id: round, playerId: bonus.playerId, bonusId: bonus.id, stake: 300, counted: null, createdAt: NOW });
    await bonuses.updateOne({ _id: bonus.id }, { $inc: { wagered: 300 }, $push: { countedRounds: round } });

    expect((await reconcileBonuses(store, NOW)).differences).toEqual([]);
    expect(await repo.addWager(bonus, round, 300, NOW)).toBeNull();
    expect((await repo.active(bonus.playerId))?.wagered).toBe(300);
    expect(await wagers.findOne({ _id: round })).toMatchObject({ counted: true });
  });

  test('when a request stopped after recording the wager but before adding it, then it is reported once stale, and a retry counts it once', async () => {
    const { store, repo, wagers } = setup();
    const bonus = newBonus();
    await repo.create(bonus, randomUUID());
    const round = randomUUID();
    await wagers.insertOne({ _id: round, playerId: bonus.playerId, bonusId: bonus.id, stake: 300, counted: null, createdAt: NOW });

    expect((await reconcileBonuses(store, NOW)).differences).toEqual([]);
    const later = new Date(NOW.getTime() + 60_000);
    expect((await reconcileBonuses(store, later)).differences).toEqual([
      {
        bonusId: bonus.id,
        playerId: bonus.playerId,
        problem: 'uncounted-wager',
        detail: `round ${round} (stake 300) was recorded but never counted`,
      },
    ]);

    expect((await repo.addWager(bonus, round, 300, later))?.wagered).toBe(300);
    expect(await repo.addWager(bonus, round, 300, later)).toBeNull();
    expect((await reconcileBonuses(store, later)).differences).toEqual([]);
  });

  test('when a stake arrives after its bonus ended, then it is recorded as not counted and nothing is reported', async () => {
    const { store, repo, wagers } = setup();
    const bonus = newBonus();
    await repo.create(bonus, randomUUID());
    await repo.settle(bonus.id, 'forfeited', NOW);
    const round = randomUUID();

    expect(await repo.addWager(bonus, round, 300, NOW)).toBeNull();

    expect(await wagers.findOne({ _id: round })).toMatchObject({ counted: false });
    expect((await reconcileBonuses(store, NOW)).differences).toEqual([]);
  });

  test('when old decided wagers pass the bound, then the oldest are retired and reconciliation reads exactly as before', async () => {
    const { store, repo, wagers } = setup();
    const open = newBonus();
    const ended = newBonus();
    await repo.create(open, randomUUID());
    await repo.create(ended, randomUUID());
    const at = (minutes: number) => new Date(NOW.getTime() + minutes * 60_000);
    for (const [minute, stake] of [
      [0, 100],
      [1, 200],
      [2, 400],
    ] as const)
      await repo.addWager(open, randomUUID(), stake, at(minute));
    await repo.addWager(ended, randomUUID(), 700, at(0));
    await repo.settle(ended.id, 'forfeited', at(1));
    await repo.addWager(ended, randomUUID(), 900, at(2)); // after it ended: decided, not counted
    // Left undecided by a request that stopped: never retired, however old.
    await wagers.insertOne({ _id: randomUUID(), playerId: open.playerId, bonusId: open.id, stake: 50, counted: null, createdAt: at(0) });
    await repo.addWager(open, randomUUID(), 800, at(20));
    const before = await reconcileBonuses(store, at(30));

    expect(await repo.retire({ keep: 1, minAgeMs: 10 * 60_000 }, at(30))).toBe(5);

    expect(await reconcileBonuses(store, at(30))).toEqual(before);
    expect(before.differences).toHaveLength(1); // the undecided wager, reported as before
    expect(await wagers.count({})).toBe(2);
  });
});
