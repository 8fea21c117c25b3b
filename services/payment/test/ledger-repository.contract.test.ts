import { randomUUID } from 'node:crypto';
import type { Store } from '@casino/shared';
import { describeEachStore } from '@casino/shared/testing/stores';
import { DepositLimitRepository } from '../src/data/deposit-limit-repository';
import { IdempotencyMismatchError, InProgressError } from '../src/data/ledger-errors';
import { LedgerRepository, RETIRABLE_ENTRIES } from '../src/data/ledger-repository';
import { reconcileLedger } from '../src/use-cases/reconcile-ledger';
import type { Balances, Movement } from '../src/domain/ledger';
import { ledgerDifferences, newKey, newPlayer, type StoredEntry, storedLedger, TestClock } from './support';

/** One test's view of the backend: its own repository and clock over the file's store. */
interface Setup {
  ledger: LedgerRepository;
  store: Store;
  clock: TestClock;
  stored: ReturnType<typeof storedLedger>;
}

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

/** Step 2 of a movement: the wallet write that applies the entry and marks it, as the repository makes it. */
async function writeToWallet({ stored }: Setup, entry: StoredEntry): Promise<void> {
  const wallet = await stored.wallets.findOne({ _id: entry.walletId });
  const after = { cash: wallet!.cash + entry.cash, bonus: wallet!.bonus + entry.bonus };
  const result = await stored.wallets.updateOne(
    { _id: entry.walletId, seq: wallet!.seq },
    {
      $set: after,
      $inc: { seq: 1 },
      $push: { unsettled: { id: entry._id, cash: entry.cash, bonus: entry.bonus, after } },
    },
  );
  expect(result.matched).toBe(1);
}

/** Steps 1 and 2 of a movement, as a request that died before marking the entry applied left them. */
async function diedAfterWalletWrite(
  s: Setup,
  ...args: Parameters<typeof insertPending> extends [Setup, ...infer R] ? R : never
): Promise<StoredEntry> {
  const entry = await insertPending(s, ...args);
  await writeToWallet(s, entry);
  return entry;
}

/** A new wallet with 1,000 deposited, then a movement that died after its wallet write (see above). */
async function interruptedAfterDeposit(
  s: Setup,
  idempotencyKey: string,
  movement: Movement,
  change: Balances,
): Promise<{ player: string; crashed: StoredEntry }> {
  const player = newPlayer();
  await s.ledger.move(player, newKey(), { type: 'deposit', amount: 1_000 }, null);
  return { player, crashed: await diedAfterWalletWrite(s, player, idempotencyKey, movement, change, s.clock.now()) };
}

/** What a refused movement rejects with: the shortfall it reports. */
const shortfall = (needed: number, available: number) => ({ name: 'InsufficientFundsError', needed, available });

// The wallets, the ledger and the daily deposit totals, held to the same behaviour on every store.
describeEachStore('ledger repository', (backend) => {
  const opened = backend.use((store) => ({
    stored: storedLedger(store),
    limits: new DepositLimitRepository(store),
    // Declares the collections before the store creates their indexes.
    declared: new LedgerRepository(store),
  }));

  function setup(): Setup {
    const { store, stored } = opened();
    const clock = new TestClock('2026-03-01T12:00:00.000Z');
    return { ledger: new LedgerRepository(store, clock.now), store, clock, stored };
  }

  describe('moving money', () => {
    test('when a deposit, a bonus credit and a bet are moved, then each answers its transaction and the wallet after it', async () => {
      const { ledger, store } = setup();
      const player = newPlayer();
      const round = randomUUID();
      const bonusId = randomUUID();

      const deposit = await ledger.move(player, newKey(), { type: 'deposit', amount: 1_000 }, null);
      const credit = await ledger.move(player, newKey(), { type: 'bonus_credit', amount: 500 }, bonusId);
      const bet = await ledger.move(player, newKey(), { type: 'bet', amount: 1_200 }, round);

      expect(deposit).toMatchObject({
        replayed: false,
        transaction: { type: 'deposit', amount: 1_000, cash: 1_000, bonus: 0, balanceAfter: 1_000, ref: null },
      });
      expect(credit).toMatchObject({
        replayed: false,
        transaction: { type: 'bonus_credit', amount: 500, bonus: 500, balanceAfter: 1_500, ref: bonusId },
      });
      expect(bet).toMatchObject({
        replayed: false,
        transaction: { type: 'bet', amount: -1_200, cash: -1_000, bonus: -200, balanceAfter: 300, ref: round },
        wallet: { currency: 'EUR', cash: 0, bonus: 300, total: 300 },
      });
      expect(await ledger.balances(player)).toEqual({ cash: 0, bonus: 300 });
      expect(await ledger.stakeOf(player, round)).toEqual({ cash: 1_000, bonus: 200 });
      expect(await ledgerDifferences(store, player)).toEqual([]);
    });

    test('when a wallet has never moved money, then its balances are zero and it has no stake for any round', async () => {
      const { ledger } = setup();
      const player = newPlayer();

      expect(await ledger.balances(player)).toEqual({ cash: 0, bonus: 0 });
      expect(await ledger.stakeOf(player, randomUUID())).toBeNull();
      expect(await ledger.transactions(player, { limit: 10 })).toEqual([]);
    });

    test('when a movement is sent again with the same key, then the first answer comes back as a replay and no money moves', async () => {
      const { ledger, stored } = setup();
      const player = newPlayer();
      const key = newKey('deposit');
      const first = await ledger.move(player, key, { type: 'deposit', amount: 2_500 }, null);

      const again = await ledger.move(player, key, { type: 'deposit', amount: 2_500 }, null);
      const replay = await ledger.replay(player, key, { type: 'deposit', amount: 2_500 });

      expect(again).toEqual({ ...first, replayed: true });
      expect(replay).toEqual({ ...first, replayed: true });
      expect(await ledger.balances(player)).toEqual({ cash: 2_500, bonus: 0 });
      expect(await stored.entries.count({ walletId: player })).toBe(1);
    });

    test('when a key was never used, then replay answers null and moves nothing', async () => {
      const { ledger, stored } = setup();
      const player = newPlayer();

      expect(await ledger.replay(player, newKey(), { type: 'deposit', amount: 100 })).toBeNull();
      expect(await stored.entries.count({ walletId: player })).toBe(0);
    });

    test('when a bet is more than the wallet holds, then it is refused, recorded as rejected and left out of the history', async () => {
      const { ledger, stored, store } = setup();
      const player = newPlayer();
      const key = newKey('bet');
      await ledger.move(player, newKey(), { type: 'deposit', amount: 300 }, null);

      await expect(ledger.move(player, key, { type: 'bet', amount: 500 }, randomUUID())).rejects.toMatchObject(shortfall(500, 300));

      expect(await stored.entries.findOne({ walletId: player, idempotencyKey: key })).toMatchObject({
        status: 'rejected',
        cash: 0,
        bonus: 0,
        rejection: { needed: 500, available: 300 },
      });
      expect(await ledger.balances(player)).toEqual({ cash: 300, bonus: 0 });
      expect((await ledger.transactions(player, { limit: 10 })).map((t) => t.type)).toEqual(['deposit']);
      expect(await ledgerDifferences(store, player)).toEqual([]);
    });

    test('when a refused bet is replayed after a deposit, then it is refused the same way and the deposit is untouched', async () => {
      const { ledger, stored } = setup();
      const player = newPlayer();
      const key = newKey('bet');
      const round = randomUUID();
      await ledger.move(player, newKey(), { type: 'deposit', amount: 300 }, null);
      await expect(ledger.move(player, key, { type: 'bet', amount: 500 }, round)).rejects.toMatchObject(shortfall(500, 300));
      await ledger.move(player, newKey(), { type: 'deposit', amount: 1_000 }, null);

      // The first answer, not what the wallet holds now.
      await expect(ledger.move(player, key, { type: 'bet', amount: 500 }, round)).rejects.toMatchObject(shortfall(500, 300));
      await expect(ledger.replay(player, key, { type: 'bet', amount: 500 })).rejects.toMatchObject(shortfall(500, 300));

      expect(await ledger.balances(player)).toEqual({ cash: 1_300, bonus: 0 });
      expect(await stored.entries.count({ walletId: player, idempotencyKey: key })).toBe(1);
      expect(await ledger.stakeOf(player, round)).toBeNull();
    });

    test('when a withdrawal is more than the cash, then it is refused even though the bonus would cover it', async () => {
      const { ledger } = setup();
      const player = newPlayer();
      await ledger.move(player, newKey(), { type: 'deposit', amount: 1_000 }, null);
      await ledger.move(player, newKey(), { type: 'bonus_credit', amount: 5_000 }, randomUUID());

      await expect(ledger.move(player, newKey(), { type: 'withdrawal', amount: 1_001 }, null)).rejects.toMatchObject(
        shortfall(1_001, 1_000),
      );

      expect(await ledger.balances(player)).toEqual({ cash: 1_000, bonus: 5_000 });
    });

    test('when a bonus is converted and another forfeited, then the bonus balance moves to cash, then is removed', async () => {
      const { ledger, store } = setup();
      const player = newPlayer();
      await ledger.move(player, newKey(), { type: 'bonus_credit', amount: 2_000 }, randomUUID());

      const converted = await ledger.move(player, newKey(), { type: 'bonus_conversion' }, randomUUID());
      await ledger.move(player, newKey(), { type: 'bonus_credit', amount: 700 }, randomUUID());
      const forfeited = await ledger.move(player, newKey(), { type: 'bonus_forfeit' }, randomUUID());

      expect(converted.transaction).toMatchObject({ cash: 2_000, bonus: -2_000, amount: 0, balanceAfter: 2_000 });
      expect(forfeited.transaction).toMatchObject({ cash: 0, bonus: -700, amount: -700, balanceAfter: 2_000 });
      expect(await ledger.balances(player)).toEqual({ cash: 2_000, bonus: 0 });
      expect(await ledgerDifferences(store, player)).toEqual([]);
    });
  });

  describe('a request that died after the wallet write, before marking its entry applied', () => {
    test('when its deposit is replayed, then it is settled as applied with the balance right after it, and no money moves again', async () => {
      const s = setup();
      const { ledger, stored, store } = s;
      const { player, crashed } = await interruptedAfterDeposit(
        s,
        'crashed-deposit',
        { type: 'deposit', amount: 500 },
        { cash: 500, bonus: 0 },
      );
      await ledger.move(player, newKey(), { type: 'deposit', amount: 200 }, null);

      const replay = await ledger.replay(player, 'crashed-deposit', { type: 'deposit', amount: 500 });

      expect(replay).toMatchObject({
        replayed: true,
        transaction: { id: crashed._id, type: 'deposit', amount: 500, cash: 500, bonus: 0, balanceAfter: 1_500 },
        wallet: { cash: 1_500, bonus: 0, total: 1_500 },
      });
      expect(await ledger.balances(player)).toEqual({ cash: 1_700, bonus: 0 });
      expect(await stored.entries.findOne({ _id: crashed._id })).toMatchObject({
        status: 'applied',
        balanceAfter: { cash: 1_500, bonus: 0 },
      });
      expect(await ledgerDifferences(store, player)).toEqual([]);
    });

    test('when it is replayed twice, then both replays give the same transaction and the wallet moves once', async () => {
      const s = setup();
      const { ledger } = s;
      const { player } = await interruptedAfterDeposit(
        s,
        'crashed-withdrawal',
        { type: 'withdrawal', amount: 400 },
        { cash: -400, bonus: 0 },
      );

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
      const crashed = await diedAfterWalletWrite(
        s,
        player,
        `round:${round}:bet`,
        { type: 'bet', amount: 800 },
        { cash: -300, bonus: -500 },
        clock.now(),
        round,
      );

      const result = await ledger.move(player, `round:${round}:bet`, { type: 'bet', amount: 800 }, round);

      expect(result).toMatchObject({
        replayed: true,
        transaction: { id: crashed._id, amount: -800, cash: -300, bonus: -500, balanceAfter: 500, ref: round },
      });
      expect(await ledger.balances(player)).toEqual({ cash: 0, bonus: 500 });
      expect(await ledger.stakeOf(player, round)).toEqual({ cash: 300, bonus: 500 });
      expect(await ledgerDifferences(store, player)).toEqual([]);
    });
  });

  describe('recovery and reconciliation of interrupted requests', () => {
    test('when an entry the wallet applied is left pending, then reconciliation counts it and the recovery pass marks it applied once', async () => {
      const s = setup();
      const { ledger, clock, store, stored } = s;
      const { player, crashed } = await interruptedAfterDeposit(s, 'crashed-bet', { type: 'bet', amount: 300 }, { cash: -300, bonus: 0 });
      await ledger.move(player, newKey(), { type: 'deposit', amount: 200 }, null);

      expect(await ledgerDifferences(store, player)).toEqual([]);
      // Not yet 10 s old: the request may still be running, so recovery leaves it alone.
      await ledger.recover();
      expect(await stored.entries.findOne({ _id: crashed._id })).toMatchObject({ status: 'pending' });

      clock.advance(10_001);
      await ledger.recover();
      await ledger.recover();

      expect(await stored.entries.findOne({ _id: crashed._id })).toMatchObject({
        status: 'applied',
        cash: -300,
        balanceAfter: { cash: 700, bonus: 0 },
      });
      expect(await ledger.balances(player)).toEqual({ cash: 900, bonus: 0 });
      expect(await ledgerDifferences(store, player)).toEqual([]);
    });

    /**
     * 1,000 EUR deposited, a 1 EUR bet interrupted after its wallet write, then 150 bets of 10 cents,
     * far more moves than a wallet once remembered (a player spinning without pause), and 10 s.
     */
    async function interruptedBetThenBusy(s: Setup) {
      const player = newPlayer();
      const round = randomUUID();
      await s.ledger.move(player, newKey(), { type: 'deposit', amount: 100_000 }, null);
      const bet = { type: 'bet', amount: 100 } as const;
      const crashed = await diedAfterWalletWrite(s, player, `round:${round}:bet`, bet, { cash: -100, bonus: 0 }, s.clock.now(), round);
      for (let n = 0; n < 150; n++) await s.ledger.move(player, newKey(), { type: 'bet', amount: 10 }, randomUUID());
      s.clock.advance(10_001);
      return { player, crashed, resend: () => s.ledger.move(player, `round:${round}:bet`, bet, round) };
    }

    test('when over a hundred moves follow the interrupted bet and it is sent again, then it answers as applied and does not charge again', async () => {
      const s = setup();
      const { player, crashed, resend } = await interruptedBetThenBusy(s);

      const replay = await resend();

      expect(replay).toMatchObject({ replayed: true, transaction: { id: crashed._id, amount: -100, balanceAfter: 99_900 } });
      expect(await s.stored.entries.findOne({ _id: crashed._id })).toMatchObject({ status: 'applied' });
      expect(await s.ledger.balances(player)).toEqual({ cash: 98_400, bonus: 0 });
      expect(await ledgerDifferences(s.store, player)).toEqual([]);
    });

    test('when over a hundred moves follow the interrupted bet and no replay comes, then the recovery pass marks it', async () => {
      const s = setup();
      const { player, crashed } = await interruptedBetThenBusy(s);

      expect(await s.ledger.recover()).toBe(1);

      expect(await s.stored.entries.findOne({ _id: crashed._id })).toMatchObject({
        status: 'applied',
        balanceAfter: { cash: 99_900, bonus: 0 },
      });
      expect((await s.stored.wallets.findOne({ _id: player }))?.unsettled).toEqual([]);
      expect(await ledgerDifferences(s.store, player)).toEqual([]);
    });

    test('when a request died after marking its entry but before removing the mark, then recovery removes the mark and moves nothing', async () => {
      const s = setup();
      const { ledger, store, stored } = s;
      const { player, crashed } = await interruptedAfterDeposit(s, newKey('bet'), { type: 'bet', amount: 300 }, { cash: -300, bonus: 0 });
      await stored.entries.updateOne({ _id: crashed._id }, { $set: { status: 'applied', balanceAfter: { cash: 700, bonus: 0 } } });

      expect(await ledger.recover()).toBe(0);

      expect((await stored.wallets.findOne({ _id: player }))?.unsettled).toEqual([]);
      expect(await ledger.balances(player)).toEqual({ cash: 700, bonus: 0 });
      expect(await ledgerDifferences(store, player)).toEqual([]);
    });

    test('when an entry was left before the wallet write, then recovery leaves it pending, nothing differs, and a replay still finishes it', async () => {
      const s = setup();
      const { ledger, clock, store, stored } = s;
      const player = newPlayer();
      await ledger.move(player, newKey(), { type: 'deposit', amount: 1_000 }, null);
      const crashed = await insertPending(
        s,
        player,
        'crashed-deposit',
        { type: 'deposit', amount: 500 },
        { cash: 500, bonus: 0 },
        clock.now(),
      );
      clock.advance(10_001);

      await ledger.recover();

      expect(await stored.entries.findOne({ _id: crashed._id })).toMatchObject({ status: 'pending' });
      expect(await ledgerDifferences(store, player)).toEqual([]);
      expect((await ledger.replay(player, 'crashed-deposit', { type: 'deposit', amount: 500 }))?.wallet.total).toBe(1_500);
    });

    test('when a wallet was changed outside the ledger, then reconciliation reports it with both sums', async () => {
      const { ledger, store, stored } = setup();
      const player = newPlayer();
      await ledger.move(player, newKey(), { type: 'deposit', amount: 1_000 }, null);
      await stored.wallets.updateOne({ _id: player }, { $inc: { cash: 1 } });

      expect(await ledgerDifferences(store, player)).toEqual([
        { walletId: player, problem: 'balance-mismatch', wallet: { cash: 1_001, bonus: 0 }, ledger: { cash: 1_000, bonus: 0 } },
      ]);
    });

    test('when applied entries belong to no wallet, then reconciliation reports them', async () => {
      const s = setup();
      const { store, stored, clock } = s;
      const ghost = newPlayer();
      const entry = await insertPending(s, ghost, newKey(), { type: 'deposit', amount: 500 }, { cash: 500, bonus: 0 }, clock.now());
      await stored.entries.updateOne({ _id: entry._id }, { $set: { status: 'applied', balanceAfter: { cash: 500, bonus: 0 } } });

      expect(await ledgerDifferences(store, ghost)).toEqual([
        { walletId: ghost, problem: 'entries-without-wallet', wallet: null, ledger: { cash: 500, bonus: 0 } },
      ]);
    });
  });

  describe('a request that died before the wallet write', () => {
    test('when it is replayed after being abandoned for over 10 s, then it is finished once and its replays do not move money again', async () => {
      const s = setup();
      const { ledger, clock, store, stored } = s;
      const player = newPlayer();
      await ledger.move(player, newKey(), { type: 'deposit', amount: 1_000 }, null);
      const crashed = await insertPending(
        s,
        player,
        'crashed-deposit',
        { type: 'deposit', amount: 500 },
        { cash: 500, bonus: 0 },
        clock.now(),
      );
      clock.advance(10_001);

      const finished = await ledger.replay(player, 'crashed-deposit', { type: 'deposit', amount: 500 });
      const again = await ledger.replay(player, 'crashed-deposit', { type: 'deposit', amount: 500 });

      expect(finished).toMatchObject({
        replayed: true,
        transaction: { id: crashed._id, amount: 500, balanceAfter: 1_500 },
        wallet: { total: 1_500 },
      });
      expect(again?.transaction).toEqual(finished?.transaction);
      expect(await ledger.balances(player)).toEqual({ cash: 1_500, bonus: 0 });
      expect(await stored.entries.count({ walletId: player, idempotencyKey: 'crashed-deposit' })).toBe(1);
      expect(await ledgerDifferences(store, player)).toEqual([]);
    });

    test('when many replays find the abandoned entry at once, then it is still applied exactly once', async () => {
      const s = setup();
      const { ledger, clock, store } = s;
      const player = newPlayer();
      await ledger.move(player, newKey(), { type: 'deposit', amount: 1_000 }, null);
      await insertPending(s, player, 'crashed-deposit', { type: 'deposit', amount: 500 }, { cash: 500, bonus: 0 }, clock.now());
      clock.advance(60_000);

      const replays = await Promise.all(
        Array.from({ length: 20 }, () => ledger.replay(player, 'crashed-deposit', { type: 'deposit', amount: 500 })),
      );

      expect(new Set(replays.map((r) => r?.transaction.id)).size).toBe(1);
      expect(new Set(replays.map((r) => r?.transaction.balanceAfter))).toEqual(new Set([1_500]));
      expect(await ledger.balances(player)).toEqual({ cash: 1_500, bonus: 0 });
      expect(await ledgerDifferences(store, player)).toEqual([]);
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

      await expect(ledger.move(player, `round:${round}:bet`, { type: 'bet', amount: 800 }, round)).rejects.toMatchObject(
        shortfall(800, 100),
      );

      expect(await ledger.balances(player)).toEqual({ cash: 100, bonus: 0 });
      expect(await stored.entries.findOne({ idempotencyKey: `round:${round}:bet` })).toMatchObject({
        status: 'rejected',
        cash: 0,
        bonus: 0,
      });
      expect(await ledger.stakeOf(player, round)).toBeNull();
    });

    test('when a bonus conversion is finished after bets used part of the bonus, then it converts what is left and no balance goes negative', async () => {
      const s = setup();
      const { ledger, clock, store } = s;
      const player = newPlayer();
      const bonusId = randomUUID();
      await ledger.move(player, newKey(), { type: 'bonus_credit', amount: 2_500 }, bonusId);
      // Planned when the bonus was 2,500, then the request died; the player kept playing on bonus money.
      await insertPending(
        s,
        player,
        `bonus:${bonusId}:conversions`,
        { type: 'bonus_conversion' },
        { cash: 2_500, bonus: -2_500 },
        clock.now(),
        bonusId,
      );
      await ledger.move(player, newKey(), { type: 'bet', amount: 500 }, randomUUID());
      clock.advance(10_001);

      const finished = await ledger.replay(player, `bonus:${bonusId}:conversions`, { type: 'bonus_conversion' });

      expect(finished?.transaction).toMatchObject({ type: 'bonus_conversion', cash: 2_000, bonus: -2_000 });
      expect(await ledger.balances(player)).toEqual({ cash: 2_000, bonus: 0 });
      expect(await ledgerDifferences(store, player)).toEqual([]);
    });

    test('when a bonus conversion is finished after a win added bonus, then the whole bonus is converted', async () => {
      const s = setup();
      const { ledger, clock, store } = s;
      const player = newPlayer();
      const bonusId = randomUUID();
      await ledger.move(player, newKey(), { type: 'bonus_credit', amount: 2_500 }, bonusId);
      await insertPending(
        s,
        player,
        `bonus:${bonusId}:conversions`,
        { type: 'bonus_conversion' },
        { cash: 2_500, bonus: -2_500 },
        clock.now(),
        bonusId,
      );
      await ledger.move(player, newKey(), { type: 'win', amount: 1_500, stake: { cash: 0, bonus: 100 } }, randomUUID());
      clock.advance(10_001);

      await ledger.replay(player, `bonus:${bonusId}:conversions`, { type: 'bonus_conversion' });

      expect(await ledger.balances(player)).toEqual({ cash: 4_000, bonus: 0 });
      expect(await ledgerDifferences(store, player)).toEqual([]);
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

      await expect(ledger.move(player, 'deposit-key-1', { type: 'deposit', amount: 1_001 }, null)).rejects.toBeInstanceOf(
        IdempotencyMismatchError,
      );
      await expect(ledger.move(player, 'deposit-key-1', { type: 'withdrawal', amount: 1_000 }, null)).rejects.toBeInstanceOf(
        IdempotencyMismatchError,
      );

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

  describe('retention', () => {
    test('when old entries pass the bound, then the oldest finished ones but deposits are retired and reconciliation reads exactly as before', async () => {
      const s = setup();
      const { ledger, clock, store, stored } = s;
      const finished = RETIRABLE_ENTRIES;
      // The oldest entries in the store, whatever else this file stored.
      clock.set('2020-01-01T00:00:00.000Z');
      const player = newPlayer();
      await ledger.move(player, newKey(), { type: 'deposit', amount: 1_000 }, null);
      await ledger.move(player, newKey(), { type: 'bet', amount: 300 }, 'round-1');
      await ledger.move(player, newKey(), { type: 'win', amount: 500, stake: { cash: 300, bonus: 0 } }, 'round-1');
      await expect(ledger.move(player, newKey(), { type: 'bet', amount: 5_000 }, 'round-2')).rejects.toMatchObject(shortfall(5_000, 1_200));
      const pending = await insertPending(s, player, newKey(), { type: 'deposit', amount: 50 }, { cash: 50, bonus: 0 }, clock.now());
      await ledger.move(player, newKey(), { type: 'withdrawal', amount: 200 }, null);
      const before = await reconcileLedger(store);
      const count = await stored.entries.count(finished);

      // Nothing under ten minutes old goes, however many there are.
      clock.set('2020-01-01T00:09:59.000Z');
      expect(await ledger.retire({ keep: count - 4, minAgeMs: 10 * 60_000 })).toBe(0);
      clock.set('2020-01-01T00:11:00.000Z');
      // The bet, the win, the refused bet and the withdrawal; the deposit stays for bonus claims.
      expect(await ledger.retire({ keep: count - 4, minAgeMs: 10 * 60_000 })).toBe(4);

      expect(await reconcileLedger(store)).toEqual(before);
      expect(await ledgerDifferences(store, player)).toEqual([]);
      expect(await stored.entries.count(finished)).toBe(count - 4);
      expect((await ledger.transactions(player, { limit: 10 })).map((t) => t.type)).toEqual(['deposit']);
      expect(await stored.entries.findOne({ _id: pending._id })).toMatchObject({ status: 'pending' });
      expect(await ledger.balances(player)).toEqual({ cash: 1_000, bonus: 0 });
    });
  });

  describe('transaction history', () => {
    /** Three applied deposits a millisecond apart, whose ids sort oldest first, so a sort that misses the dates shows up. */
    async function threeDeposits({ stored }: Setup, walletId: string) {
      for (const [n, at] of [
        [1, '2026-03-01T12:00:00.001Z'],
        [2, '2026-03-01T12:00:00.002Z'],
        [3, '2026-03-01T12:00:00.003Z'],
      ] as const) {
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

  describe('transaction history, from moves', () => {
    test('when a wallet has several movements, then the list is newest first, limited, filtered by type, and oldest first on request', async () => {
      const { ledger } = setup();
      const player = newPlayer();
      for (const amount of [100, 200, 300, 400]) await ledger.move(player, newKey(), { type: 'deposit', amount }, null);
      await ledger.move(player, newKey(), { type: 'withdrawal', amount: 50 }, null);

      const newest = await ledger.transactions(player, { limit: 3 });
      const deposits = await ledger.transactions(player, { limit: 10, type: 'deposit' });
      const oldest = await ledger.transactions(player, { limit: 2, oldestFirst: true });
      const other = await ledger.transactions(newPlayer(), { limit: 10 });

      expect(newest.map((t) => t.amount)).toEqual([-50, 400, 300]);
      expect(newest.map((t) => t.balanceAfter)).toEqual([950, 1_000, 600]);
      expect(deposits.map((t) => t.amount)).toEqual([400, 300, 200, 100]);
      expect(oldest.map((t) => t.amount)).toEqual([100, 200]);
      expect(other).toEqual([]);
    });
  });

  describe('daily deposit limit', () => {
    const day = '2026-03-01';
    const at = new Date('2026-03-01T12:00:00Z');

    test('when deposits reserve up to the limit, then each is taken until the next would pass it, which takes nothing', async () => {
      const { limits } = opened();
      const wallet = newPlayer();

      const first = await limits.reserve(wallet, day, 600, 1_000, at);
      const exact = await limits.reserve(wallet, day, 400, 1_000, at);
      const over = await limits.reserve(wallet, day, 1, 1_000, at);

      expect([first, exact, over]).toEqual([true, true, false]);
      expect(await limits.used(wallet, day)).toBe(1_000);
    });

    test('when one deposit is over the limit on its own, then it is refused and the day stays unused', async () => {
      const { limits } = opened();
      const wallet = newPlayer();

      expect(await limits.reserve(wallet, day, 1_001, 1_000, at)).toBe(false);
      expect(await limits.used(wallet, day)).toBe(0);
    });

    test('when a reservation is released, then its amount can be reserved again, and other days and wallets are apart', async () => {
      const { limits } = opened();
      const [wallet, other] = [newPlayer(), newPlayer()];
      await limits.reserve(wallet, day, 800, 1_000, at);

      await limits.release(wallet, day, 800, at);
      const again = await limits.reserve(wallet, day, 1_000, 1_000, at);
      const nextDay = await limits.reserve(wallet, '2026-03-02', 1_000, 1_000, at);
      const otherWallet = await limits.reserve(other, day, 1_000, 1_000, at);

      expect([again, nextDay, otherWallet]).toEqual([true, true, true]);
      expect(await limits.used(wallet, day)).toBe(1_000);
      expect(await limits.used(wallet, '2026-03-02')).toBe(1_000);
    });

    test('when 20 reservations of 3 EUR race against a 10 EUR limit, then exactly three are taken', async () => {
      const { limits } = opened();
      const wallet = newPlayer();

      const taken = await Promise.all(Array.from({ length: 20 }, () => limits.reserve(wallet, day, 300, 1_000, at)));

      expect(taken.filter(Boolean)).toHaveLength(3);
      expect(await limits.used(wallet, day)).toBe(900);
    });
  });

  describe('indexes', () => {
    test('when the store is initialised again, then it succeeds and one key still moves money once per wallet', async () => {
      const { store, ledger, stored } = setup();
      const player = newPlayer();
      const key = newKey();

      await store.init();
      await store.init();
      const results = await Promise.all(Array.from({ length: 10 }, () => ledger.move(player, key, { type: 'deposit', amount: 100 }, null)));

      expect(results.filter((r) => !r.replayed)).toHaveLength(1);
      expect(await stored.entries.count({ walletId: player, idempotencyKey: key })).toBe(1);
      expect(await ledger.balances(player)).toEqual({ cash: 100, bonus: 0 });
    });
  });
});
