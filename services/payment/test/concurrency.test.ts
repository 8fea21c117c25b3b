import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { Store } from '@casino/shared';
import { describeEachStore } from '@casino/shared/testing/stores';
import type { Express } from 'express';
import request from 'supertest';
import { DepositLimitRepository } from '../src/data/deposit-limit-repository';
import { LedgerRepository, type MoveResult } from '../src/data/ledger-repository';
import { InsufficientFundsError, type Movement } from '../src/domain/ledger';
import { ledgerDifferences, newKey, newPlayer, setup as setupApp, storedLedger, TestClock } from './support';

// On every store. The embedded one yields to the event loop on every operation, so parallel
// requests interleave between reads and writes just as they do against MongoDB.

/** Records the balances of every wallet write, to prove none ever went below zero. */
function watchWalletWrites(store: Store): { cash: number; bonus: number }[] {
  const { wallets } = storedLedger(store);
  const write = wallets.findOneAndUpdate.bind(wallets);
  const seen: { cash: number; bonus: number }[] = [];
  jest.spyOn(wallets, 'findOneAndUpdate').mockImplementation(async (...args) => {
    const wallet = await write(...args);
    if (wallet) seen.push({ cash: wallet.cash, bonus: wallet.bonus });
    return wallet;
  });
  return seen;
}

/** One listening server for a burst of requests, instead of one per supertest call. */
async function listening(app: Express): Promise<Server> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  return server;
}

const close = (server: Server) => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));

describeEachStore('payment under concurrency', (backend) => {
  const opened = backend.use((store) => ({ ledger: new LedgerRepository(store), limits: new DepositLimitRepository(store) }));
  /** The payment app over this backend's store. */
  const setup = (options: { now?: () => Date } = {}) => setupApp({ ...options, store: opened().store });

  afterEach(() => jest.restoreAllMocks());

  test('when 200 bets of 1 EUR race for 100 EUR cash and 50 EUR bonus, then exactly 150 are taken, 50 refused, and no balance ever goes negative', async () => {
    const { app, deps, stored } = setup();
    const player = newPlayer();
    await request(app).post(`/wallets/${player}/deposits`).set('Idempotency-Key', newKey()).send({ amount: 10_000 }).expect(201);
    await request(app)
      .post(`/wallets/${player}/bonus-credits`)
      .set('Idempotency-Key', newKey())
      .send({ amount: 5_000, bonusId: randomUUID() })
      .expect(201);
    const writes = watchWalletWrites(deps.store);
    const server = await listening(app);

    const results = await Promise.all(
      Array.from({ length: 200 }, () =>
        request(server)
          .post(`/wallets/${player}/bets`)
          .set('Idempotency-Key', newKey('bet'))
          .send({ amount: 100, roundId: randomUUID(), gameId: 'lucky-sevens' }),
      ),
    ).finally(() => close(server));

    const taken = results.filter((r) => r.status === 201);
    const refused = results.filter((r) => r.status === 422);
    const final = (await request(app).get(`/wallets/${player}`)).body;
    expect(taken).toHaveLength(150);
    expect(refused).toHaveLength(50);
    expect(refused.every((r) => r.body.type === 'urn:casino:problem:insufficient-funds')).toBe(true);
    // Each bet saw its own balance: 149.00 EUR down to 0, each exactly once.
    expect(taken.map((r) => r.body.transaction.balanceAfter).sort((a, b) => a - b)).toEqual(Array.from({ length: 150 }, (_, i) => i * 100));
    expect(taken.filter((r) => r.body.transaction.cash === -100)).toHaveLength(100);
    expect(taken.filter((r) => r.body.transaction.bonus === -100)).toHaveLength(50);
    expect(writes.length).toBeGreaterThanOrEqual(150);
    expect(writes.filter((w) => w.cash < 0 || w.bonus < 0)).toEqual([]);
    expect(final).toEqual({ currency: 'EUR', cash: 0, bonus: 0, total: 0 });
    expect(taken.length * 100 + final.total).toBe(15_000);
    expect(await stored.entries.count({ walletId: player, status: 'pending' })).toBe(0);
    expect(await stored.entries.count({ walletId: player, type: 'bet', status: 'rejected' })).toBe(50);
    expect(await ledgerDifferences(deps.store)).toEqual([]);
  }, 60_000);

  test('when one deposit is sent 50 times at once with the same key, then it is credited once and all 50 answers show the same transaction', async () => {
    const clock = new TestClock('2026-03-01T12:00:00.000Z');
    const { app, deps, stored } = setup({ now: clock.now });
    const player = newPlayer();
    const key = newKey('deposit');
    const server = await listening(app);

    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        request(server).post(`/wallets/${player}/deposits`).set('Idempotency-Key', key).send({ amount: 2_500 }),
      ),
    ).finally(() => close(server));

    expect(results.map((r) => r.status)).toEqual(Array(50).fill(201));
    expect(new Set(results.map((r) => r.body.transaction.id)).size).toBe(1);
    expect(results.filter((r) => r.headers['idempotent-replayed'] !== 'true')).toHaveLength(1);
    expect(new Set(results.map((r) => r.body.wallet.cash))).toEqual(new Set([2_500]));
    expect(await stored.entries.count({ walletId: player })).toBe(1);
    expect((await request(app).get(`/wallets/${player}`)).body).toMatchObject({ cash: 2_500, bonus: 0 });
    // Only the one real deposit counts toward the daily limit: the replays gave their share back.
    expect(await opened().limits.used(player, '2026-03-01')).toBe(2_500);
    expect(await ledgerDifferences(deps.store)).toEqual([]);
  }, 60_000);

  test('when one bet is sent 50 times at once with the same key, then one entry takes the stake and every answer is that entry', async () => {
    const { store, ledger } = opened();
    const player = newPlayer();
    const round = randomUUID();
    await ledger.move(player, newKey(), { type: 'deposit', amount: 1_000 }, null);

    const results = await Promise.all(
      Array.from({ length: 50 }, () => ledger.move(player, `round:${round}:bet`, { type: 'bet', amount: 300 }, round)),
    );

    expect(new Set(results.map((r) => r.transaction.id)).size).toBe(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    expect(results.map((r) => [r.transaction, r.wallet])).toEqual(Array(50).fill([results[0]!.transaction, results[0]!.wallet]));
    expect(results[0]!.transaction).toMatchObject({ amount: -300, balanceAfter: 700, ref: round });
    expect(await storedLedger(store).entries.count({ walletId: player, idempotencyKey: `round:${round}:bet` })).toBe(1);
    expect(await ledger.balances(player)).toEqual({ cash: 700, bonus: 0 });
    expect(await ledgerDifferences(store)).toEqual([]);
  }, 60_000);

  test('when 400 bets and withdrawals race directly on the ledger for more than the wallet holds, then the cash runs out exactly and the wallet equals its entries', async () => {
    const { store, ledger } = opened();
    const player = newPlayer();
    await ledger.move(player, newKey(), { type: 'deposit', amount: 25_000 }, null);
    await ledger.move(player, newKey(), { type: 'bonus_credit', amount: 10_000 }, randomUUID());
    const writes = watchWalletWrites(store);

    // 20,000 of bets and 20,000 of cash withdrawals against 25,000 cash + 10,000 bonus.
    const outcomes = await Promise.allSettled(
      Array.from({ length: 400 }, (_, i) =>
        i % 2 === 0
          ? ledger.move(player, newKey('bet'), { type: 'bet', amount: 100 }, randomUUID())
          : ledger.move(player, newKey('withdrawal'), { type: 'withdrawal', amount: 100 }, null),
      ),
    );

    const failures = outcomes.filter((o) => o.status === 'rejected').map((o) => o.reason);
    const successes = outcomes.filter((o) => o.status === 'fulfilled');
    expect(failures.every((err) => err instanceof InsufficientFundsError)).toBe(true);
    expect(failures.length).toBeGreaterThanOrEqual(50);
    expect(writes.filter((w) => w.cash < 0 || w.bonus < 0)).toEqual([]);
    const final = await ledger.balances(player);
    // 5,000 more was asked for than there was: whichever lost, the cash is gone.
    expect(final.cash).toBe(0);
    expect(successes.length * 100).toBe(35_000 - final.bonus);
    expect(await storedLedger(store).entries.count({ walletId: player, status: 'pending' })).toBe(0);
    expect(await ledgerDifferences(store)).toEqual([]);
  }, 60_000);

  test('when deposits, bets with their wins, bonus credits, conversions and withdrawals race over five wallets, then every wallet equals its ledger and the answers given', async () => {
    const { store, ledger } = opened();
    const wallets = Array.from({ length: 5 }, () => newPlayer());
    for (const wallet of wallets) {
      await ledger.move(wallet, newKey(), { type: 'deposit', amount: 5_000 }, null);
      await ledger.move(wallet, newKey(), { type: 'bonus_credit', amount: 1_000 }, randomUUID());
    }
    const writes = watchWalletWrites(store);
    const move = (wallet: string, movement: Movement, ref: string | null = null) =>
      ledger.move(wallet, newKey(movement.type), movement, ref);
    /** A bet, then the win of its round, staked as the bet was. */
    const round = async (wallet: string): Promise<MoveResult[]> => {
      const id = randomUUID();
      const bet = await move(wallet, { type: 'bet', amount: 400 }, id);
      const stake = await ledger.stakeOf(wallet, id);
      return [bet, await move(wallet, { type: 'win', amount: 900, stake: stake! }, id)];
    };
    const kinds = [
      (w: string) => move(w, { type: 'deposit', amount: 300 }),
      round,
      (w: string) => move(w, { type: 'bonus_credit', amount: 200 }, randomUUID()),
      (w: string) => move(w, { type: 'bonus_conversion' }, randomUUID()),
      (w: string) => move(w, { type: 'withdrawal', amount: 700 }),
      (w: string) => move(w, { type: 'bet', amount: 600 }, randomUUID()),
    ];

    const outcomes = await Promise.allSettled(
      wallets.flatMap((wallet) =>
        Array.from({ length: 36 }, async (_, i) => ({ wallet, answers: [await kinds[i % kinds.length]!(wallet)].flat() })),
      ),
    );

    const failures = outcomes.filter((o) => o.status === 'rejected').map((o) => o.reason);
    const moved = outcomes.flatMap((o) =>
      o.status === 'fulfilled' ? o.value.answers.map((a) => ({ wallet: o.value.wallet, answer: a })) : [],
    );
    expect(failures.filter((err) => !(err instanceof InsufficientFundsError))).toEqual([]);
    expect(moved.length).toBeGreaterThan(100);
    expect(new Set(moved.map((m) => m.answer.transaction.type))).toEqual(
      new Set(['deposit', 'bet', 'win', 'bonus_credit', 'bonus_conversion', 'withdrawal']),
    );
    expect(moved.filter((m) => m.answer.replayed)).toEqual([]);
    expect(writes.filter((w) => w.cash < 0 || w.bonus < 0)).toEqual([]);
    for (const wallet of wallets) {
      const mine = moved.filter((m) => m.wallet === wallet).map((m) => m.answer.transaction);
      const answered = { cash: 5_000 + mine.reduce((sum, t) => sum + t.cash, 0), bonus: 1_000 + mine.reduce((sum, t) => sum + t.bonus, 0) };
      expect(await ledger.balances(wallet)).toEqual(answered);
    }
    expect(await storedLedger(store).entries.count({ walletId: { $in: wallets }, status: 'pending' })).toBe(0);
    expect(await ledgerDifferences(store)).toEqual([]);
  }, 60_000);

  test('when the wallet stays contended past every attempt, then the bet is a 503 wallet-busy, and a retry later takes the stake once', async () => {
    const clock = new TestClock('2026-03-01T12:00:00.000Z', 0);
    const { app, deps, stored } = setup({ now: clock.now });
    const player = newPlayer();
    const roundId = randomUUID();
    await request(app).post(`/wallets/${player}/deposits`).set('Idempotency-Key', newKey()).send({ amount: 1_000 }).expect(201);
    // Every conditional wallet write loses, as if other payments always got there first.
    const write = stored.wallets.findOneAndUpdate.bind(stored.wallets);
    const contended = jest
      .spyOn(stored.wallets, 'findOneAndUpdate')
      .mockImplementation(async (filter, ...rest) => ('seq' in filter ? null : write(filter, ...rest)));
    const body = { amount: 400, roundId, gameId: 'lucky-sevens' };

    const busy = await request(app).post(`/wallets/${player}/bets`).set('Idempotency-Key', `round:${roundId}:bet`).send(body);
    contended.mockRestore();
    clock.advance(10_001);
    const retry = await request(app).post(`/wallets/${player}/bets`).set('Idempotency-Key', `round:${roundId}:bet`).send(body);

    expect(busy.status).toBe(503);
    expect(busy.type).toBe('application/problem+json');
    expect(busy.body).toMatchObject({ type: 'urn:casino:problem:wallet-busy', traceId: expect.any(String) });
    expect(retry.status).toBe(201);
    expect(retry.body.transaction).toMatchObject({ amount: -400, balanceAfter: 600, ref: roundId });
    expect((await request(app).get(`/wallets/${player}`)).body).toMatchObject({ cash: 600, bonus: 0 });
    expect(await stored.entries.count({ walletId: player, type: 'bet' })).toBe(1);
    expect(await ledgerDifferences(deps.store)).toEqual([]);
  });

  // The fake user service holds every request at the status call until all five have arrived, so
  // all five pass the status check together and only the limit's own atomic reservation can stop them.
  test('when five deposits of 5 EUR race against a 10 EUR daily limit, then only two go through', async () => {
    const { app, deps, peers } = setup();
    const player = newPlayer();
    peers.setStatus(player, { dailyDepositLimit: 1_000 });
    let arrived = 0;
    let releaseAll: () => void = () => undefined;
    const allArrived = new Promise<void>((resolve) => (releaseAll = resolve));
    peers.beforeStatus = async () => {
      if (++arrived === 5) releaseAll();
      await allArrived;
    };
    const server = await listening(app);

    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        request(server).post(`/wallets/${player}/deposits`).set('Idempotency-Key', newKey()).send({ amount: 500 }),
      ),
    ).finally(() => close(server));

    expect(results.filter((r) => r.status === 201)).toHaveLength(2);
    expect((await request(app).get(`/wallets/${player}`)).body.cash).toBe(1_000);
    expect(await ledgerDifferences(deps.store)).toEqual([]);
  });
});
