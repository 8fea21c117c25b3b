import { randomUUID } from 'node:crypto';
import { EmbeddedStore } from '@casino/shared';
import { balancesAfter, IdempotencyMismatchError, InProgressError, LedgerRepository } from '../src/data/ledger-repository';
import type { Balances, Movement } from '../src/domain/ledger';
import { newKey, newPlayer, type StoredEntry, storedLedger, sumOfApplied, TestClock } from './support';

/** A repository over its own embedded store and a test clock. */
function setup() {
  const store = new EmbeddedStore('casino_payment');
  const clock = new TestClock('2026-03-01T12:00:00.000Z');
  return { ledger: new LedgerRepository(store, clock.now), store, clock, stored: storedLedger(store) };
}

type Setup = ReturnType<typeof setup>;

/** Step 1 of a movement, as a request that then died left it: the entry inserted, still pending. */
async function insertPending(
  { stored }: Setup,
  walletId: string,
  idempotencyKey: string,
  movement: Movement,
  change: Balances,
  createdAt: Date,
  ref: string | null = null,
): Promise<StoredEntry> {
  const entry: StoredEntry = {
    _id: randomUUID(),
    walletId,
    idempotencyKey,
    type: movement.type,
    requested: 'amount' in movement ? movement.amount : 0,
    cash: change.cash,
    bonus: change.bonus,
    status: 'pending',
    balanceAfter: null,
    ref,
    rejection: null,
    createdAt,
  };
  await stored.entries.insertOne(entry);
  return entry;
}

/** Step 2 of a movement: the wallet write that applies the entry and remembers it. */
async function writeToWallet({ stored }: Setup, entry: StoredEntry): Promise<void> {
  const result = await stored.wallets.updateOne(
    { _id: entry.walletId },
    {
      $inc: { cash: entry.cash, bonus: entry.bonus },
      $push: { applied: { $each: [{ id: entry._id, cash: entry.cash, bonus: entry.bonus }], $slice: -100 } },
    },
  );
  expect(result.matched).toBe(1);
}

describe('ledger repository', () => {
  describe('a request that died after the wallet write, before marking its entry applied', () => {
    test('when its deposit is replayed, then it is settled as applied with the balance right after it, and no money moves again', async () => {
      const s = setup();
      const { ledger, stored, store, clock } = s;
      const player = newPlayer();
      await ledger.move(player, newKey(), { type: 'deposit', amount: 1_000 }, null);
      const crashed = await insertPending(s, player, 'crashed-deposit', { type: 'deposit', amount: 500 }, { cash: 500, bonus: 0 }, clock.now());
      await writeToWallet(s, crashed);
      await ledger.move(player, newKey(), { type: 'deposit', amount: 200 }, null);

      const replay = await ledger.replay(player, 'crashed-deposit', { type: 'deposit', amount: 500 });

      expect(replay).toMatchObject({
        replayed: true,
        transaction: { id: crashed._id, type: 'deposit', amount: 500, cash: 500, bonus: 0, balanceAfter: 1_500 },
        wallet: { cash: 1_500, bonus: 0, total: 1_500 },
      });
      expect(await ledger.balances(player)).toEqual({ cash: 1_700, bonus: 0 });
      expect(await stored.entries.findOne({ _id: crashed._id })).toMatchObject({ status: 'applied', balanceAfter: { cash: 1_500, bonus: 0 } });
      expect(await sumOfApplied(store, player)).toEqual({ cash: 1_700, bonus: 0 });
    });

    test('when it is replayed twice, then both replays give the same transaction and the wallet moves once', async () => {
      const s = setup();
      const { ledger, clock } = s;
      const player = newPlayer();
      await ledger.move(player, newKey(), { type: 'deposit', amount: 1_000 }, null);
      const crashed = await insertPending(s, player, 'crashed-withdrawal', { type: 'withdrawal', amount: 400 }, { cash: -400, bonus: 0 }, clock.now());
      await writeToWallet(s, crashed);

      const first = await ledger.replay(player, 'crashed-withdrawal', { type: 'withdrawal', amount: 400 });
      const second = await ledger.replay(player, 'crashed-withdrawal', { type: 'withdrawal', amount: 400 });

      expect(second).toEqual(first);
      expect(first?.transaction).toMatchObject({ amount: -400, balanceAfter: 600 });
      expect(await ledger.balances(player)).toEqual({ cash: 600, bonus: 0 });
    });

    test('when its bet is sent again through move, then the remembered split is used and the wallet is not charged twice', async () => {
      const s = setup();
      const { ledger, clock, store } = s;
      const player = newPlayer();
      const round = randomUUID();
      await ledger.move(player, newKey(), { type: 'deposit', amount: 300 }, null);
      await ledger.move(player, newKey(), { type: 'bonus_credit', amount: 1_000 }, randomUUID());
      const crashed = await insertPending(s, player, `round:${round}:bet`, { type: 'bet', amount: 800 }, { cash: -300, bonus: -500 }, clock.now(), round);
      await writeToWallet(s, crashed);

      const result = await ledger.move(player, `round:${round}:bet`, { type: 'bet', amount: 800 }, round);

      expect(result).toMatchObject({ replayed: true, transaction: { id: crashed._id, amount: -800, cash: -300, bonus: -500, balanceAfter: 500, ref: round } });
      expect(await ledger.balances(player)).toEqual({ cash: 0, bonus: 500 });
      expect(await ledger.stakeOf(player, round)).toEqual({ cash: 300, bonus: 500 });
      expect(await sumOfApplied(store, player)).toEqual({ cash: 0, bonus: 500 });
    });
  });

  describe('a request that died before the wallet write', () => {
    test('when it is replayed after being abandoned for over 10 s, then it is finished once and its replays do not move money again', async () => {
      const s = setup();
      const { ledger, clock, store, stored } = s;
      const player = newPlayer();
      await ledger.move(player, newKey(), { type: 'deposit', amount: 1_000 }, null);
      const crashed = await insertPending(s, player, 'crashed-deposit', { type: 'deposit', amount: 500 }, { cash: 500, bonus: 0 }, clock.now());
      clock.advance(10_001);

      const finished = await ledger.replay(player, 'crashed-deposit', { type: 'deposit', amount: 500 });
      const again = await ledger.replay(player, 'crashed-deposit', { type: 'deposit', amount: 500 });

      expect(finished).toMatchObject({ replayed: true, transaction: { id: crashed._id, amount: 500, balanceAfter: 1_500 }, wallet: { total: 1_500 } });
      expect(again?.transaction).toEqual(finished?.transaction);
      expect(await ledger.balances(player)).toEqual({ cash: 1_500, bonus: 0 });
      expect(await stored.entries.count({ walletId: player, idempotencyKey: 'crashed-deposit' })).toBe(1);
      expect(await sumOfApplied(store, player)).toEqual({ cash: 1_500, bonus: 0 });
    });

    test('when many replays find the abandoned entry at once, then it is still applied exactly once', async () => {
      const s = setup();
      const { ledger, clock, store } = s;
      const player = newPlayer();
      await ledger.move(player, newKey(), { type: 'deposit', amount: 1_000 }, null);
      await insertPending(s, player, 'crashed-deposit', { type: 'deposit', amount: 500 }, { cash: 500, bonus: 0 }, clock.now());
      clock.advance(60_000);

      const replays = await Promise.all(Array.from({ length: 20 }, () => ledger.replay(player, 'crashed-deposit', { type: 'deposit', amount: 500 })));

      expect(new Set(replays.map((r) => r?.transaction.id)).size).toBe(1);
      expect(new Set(replays.map((r) => r?.transaction.balanceAfter))).toEqual(new Set([1_500]));
      expect(await ledger.balances(player)).toEqual({ cash: 1_500, bonus: 0 });
      expect(await sumOfApplied(store, player)).toEqual({ cash: 1_500, bonus: 0 });
    });

    test('when the abandoned bet no longer fits the wallet, then it is refused and recorded so, and nothing moves', async () => {
      const s = setup();
      const { ledger, clock, stored } = s;
      const player = newPlayer();
      const round = randomUUID();
      await ledger.move(player, newKey(), { type: 'deposit', amount: 1_000 }, null);
      await insertPending(s, player, `round:${round}:bet`, { type: 'bet', amount: 800 }, { cash: -800, bonus: 0 }, clock.now(), round);
      await ledger.move(player, newKey(), { type: 'withdrawal', amount: 900 }, null);
      clock.advance(10_001);

      await expect(ledger.move(player, `round:${round}:bet`, { type: 'bet', amount: 800 }, round)).rejects.toMatchObject({
        name: 'InsufficientFundsError',
        needed: 800,
        available: 100,
      });

      expect(await ledger.balances(player)).toEqual({ cash: 100, bonus: 0 });
      expect(await stored.entries.findOne({ idempotencyKey: `round:${round}:bet` })).toMatchObject({ status: 'rejected', cash: 0, bonus: 0 });
      expect(await ledger.stakeOf(player, round)).toBeNull();
    });

    test('when a bonus conversion is finished after bets used part of the bonus, then it converts what is left and no balance goes negative', async () => {
      const s = setup();
      const { ledger, clock, store } = s;
      const player = newPlayer();
      const bonusId = randomUUID();
      await ledger.move(player, newKey(), { type: 'bonus_credit', amount: 2_500 }, bonusId);
      // Planned when the bonus was 2,500, then the request died; the player kept playing on bonus money.
      await insertPending(s, player, `bonus:${bonusId}:conversions`, { type: 'bonus_conversion' }, { cash: 2_500, bonus: -2_500 }, clock.now(), bonusId);
      await ledger.move(player, newKey(), { type: 'bet', amount: 500 }, randomUUID());
      clock.advance(10_001);

      const finished = await ledger.replay(player, `bonus:${bonusId}:conversions`, { type: 'bonus_conversion' });

      expect(finished?.transaction).toMatchObject({ type: 'bonus_conversion', cash: 2_000, bonus: -2_000 });
      expect(await ledger.balances(player)).toEqual({ cash: 2_000, bonus: 0 });
      expect(await sumOfApplied(store, player)).toEqual({ cash: 2_000, bonus: 0 });
    });

    test('when a bonus conversion is finished after a win added bonus, then the whole bonus is converted', async () => {
      const s = setup();
      const { ledger, clock, store } = s;
      const player = newPlayer();
      const bonusId = randomUUID();
      await ledger.move(player, newKey(), { type: 'bonus_credit', amount: 2_500 }, bonusId);
      await insertPending(s, player, `bonus:${bonusId}:conversions`, { type: 'bonus_conversion' }, { cash: 2_500, bonus: -2_500 }, clock.now(), bonusId);
      await ledger.move(player, newKey(), { type: 'win', amount: 1_500, stake: { cash: 0, bonus: 100 } }, randomUUID());
      clock.advance(10_001);

      await ledger.replay(player, `bonus:${bonusId}:conversions`, { type: 'bonus_conversion' });

      expect(await ledger.balances(player)).toEqual({ cash: 4_000, bonus: 0 });
      expect(await sumOfApplied(store, player)).toEqual({ cash: 4_000, bonus: 0 });
    });

    test('when a replay finds the entry pending but not yet abandoned, then it waits and finishes it once it is', async () => {
      const s = setup();
      const { ledger, clock } = s;
      const player = newPlayer();
      await ledger.move(player, newKey(), { type: 'deposit', amount: 1_000 }, null);
      await insertPending(s, player, 'slow-deposit', { type: 'deposit', amount: 500 }, { cash: 500, bonus: 0 }, clock.now());
      const abandon = setTimeout(() => clock.advance(10_001), 100);

      const finished = await ledger.replay(player, 'slow-deposit', { type: 'deposit', amount: 500 });

      clearTimeout(abandon);
      expect(finished).toMatchObject({ replayed: true, transaction: { balanceAfter: 1_500 } });
      expect(await ledger.balances(player)).toEqual({ cash: 1_500, bonus: 0 });
    });

    test('when the entry stays pending and fresh, then the replay gives up as in progress after about 2 s and moves nothing', async () => {
      const s = setup();
      const { ledger, clock } = s;
      const player = newPlayer();
      await ledger.move(player, newKey(), { type: 'deposit', amount: 1_000 }, null);
      await insertPending(s, player, 'busy-deposit', { type: 'deposit', amount: 500 }, { cash: 500, bonus: 0 }, clock.now());

      await expect(ledger.replay(player, 'busy-deposit', { type: 'deposit', amount: 500 })).rejects.toBeInstanceOf(InProgressError);

      expect(await ledger.balances(player)).toEqual({ cash: 1_000, bonus: 0 });
    });
  });

  describe('idempotency', () => {
    test('when a key is replayed with another amount or type, then it is refused as a mismatch and nothing moves', async () => {
      const { ledger } = setup();
      const player = newPlayer();
      await ledger.move(player, 'deposit-key-1', { type: 'deposit', amount: 1_000 }, null);

      await expect(ledger.move(player, 'deposit-key-1', { type: 'deposit', amount: 1_001 }, null)).rejects.toBeInstanceOf(IdempotencyMismatchError);
      await expect(ledger.move(player, 'deposit-key-1', { type: 'withdrawal', amount: 1_000 }, null)).rejects.toBeInstanceOf(IdempotencyMismatchError);

      expect(await ledger.balances(player)).toEqual({ cash: 1_000, bonus: 0 });
    });

    test('when two wallets use the same key, then each gets its own movement', async () => {
      const { ledger } = setup();
      const [ada, bob] = [newPlayer(), newPlayer()];

      await ledger.move(ada, 'shared-key-1', { type: 'deposit', amount: 100 }, null);
      const bobs = await ledger.move(bob, 'shared-key-1', { type: 'deposit', amount: 100 }, null);

      expect(bobs.replayed).toBe(false);
      expect(await ledger.balances(ada)).toEqual({ cash: 100, bonus: 0 });
      expect(await ledger.balances(bob)).toEqual({ cash: 100, bonus: 0 });
    });
  });

  describe('transaction history', () => {
    /** Three applied deposits a millisecond apart, whose ids sort oldest first, so a sort that misses the dates shows up. */
    async function threeDeposits({ stored }: Setup, walletId: string) {
      for (const [n, at] of [[1, '2026-03-01T12:00:00.001Z'], [2, '2026-03-01T12:00:00.002Z'], [3, '2026-03-01T12:00:00.003Z']] as const) {
        await stored.entries.insertOne({
          _id: `${n}-${randomUUID()}`,
          walletId,
          idempotencyKey: `deposit-${n}-key`,
          type: 'deposit',
          requested: n * 100,
          cash: n * 100,
          bonus: 0,
          status: 'applied',
          balanceAfter: { cash: (n * (n + 1) * 100) / 2, bonus: 0 },
          ref: null,
          rejection: null,
          createdAt: new Date(at),
        });
      }
    }

    test('when entries are listed, then the newest comes first, or the oldest with oldestFirst', async () => {
      const s = setup();
      const player = newPlayer();
      await threeDeposits(s, player);

      const newest = await s.ledger.transactions(player, { limit: 20 });
      const oldest = await s.ledger.transactions(player, { limit: 2, oldestFirst: true });

      expect(newest.map((t) => t.amount)).toEqual([300, 200, 100]);
      expect(oldest.map((t) => t.amount)).toEqual([100, 200]);
    });
  });

  describe('balancesAfter', () => {
    const wallet = {
      cash: 1_000,
      bonus: 300,
      applied: [
        { id: 'a', cash: 2_000, bonus: 0 },
        { id: 'b', cash: 0, bonus: 500 },
        { id: 'c', cash: -1_000, bonus: -200 },
      ],
    };

    test('when the entry is the latest applied, then the balances after it are the wallet now', () => {
      expect(balancesAfter(wallet, 'c')).toEqual({ cash: 1_000, bonus: 300 });
    });

    test('when later entries were applied, then their changes are taken back out', () => {
      expect(balancesAfter(wallet, 'b')).toEqual({ cash: 2_000, bonus: 500 });
      expect(balancesAfter(wallet, 'a')).toEqual({ cash: 2_000, bonus: 0 });
    });

    test('when the wallet does not remember the entry, then there is no answer', () => {
      expect(balancesAfter(wallet, 'zzz')).toBeUndefined();
      expect(balancesAfter({ cash: 0, bonus: 0, applied: [] }, 'a')).toBeUndefined();
    });
  });
});
