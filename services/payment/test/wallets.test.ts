import { randomUUID } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import { newKey, newPlayer, setup, TestClock } from './support';

/** A POST with a fresh (or given) Idempotency-Key. */
function post(app: Express, path: string, body: object, key = newKey()) {
  return request(app).post(path).set('Idempotency-Key', key).send(body);
}

async function walletOf(app: Express, player: string) {
  return (await request(app).get(`/wallets/${player}`).expect(200)).body;
}

async function deposit(app: Express, player: string, amount: number) {
  return (await post(app, `/wallets/${player}/deposits`, { amount }).expect(201)).body;
}

async function creditBonus(app: Express, player: string, amount: number, bonusId = randomUUID()) {
  return (await post(app, `/wallets/${player}/bonus-credits`, { amount, bonusId }).expect(201)).body;
}

async function bet(app: Express, player: string, amount: number, roundId = randomUUID()) {
  return (await post(app, `/wallets/${player}/bets`, { amount, roundId, gameId: 'lucky-sevens' }).expect(201)).body;
}

const wallet = (cash: number, bonus: number) => ({ currency: 'EUR', cash, bonus, total: cash + bonus });

/** A problem+json answer of this status and type, quoting a trace id. */
function expectProblem(res: request.Response, status: number, slug: string) {
  expect(res.status).toBe(status);
  expect(res.type).toBe('application/problem+json');
  expect(res.body).toMatchObject({ type: `urn:casino:problem:${slug}`, status, traceId: expect.any(String) });
}

describe('payment service', () => {
  describe('wallets', () => {
    test('when a player has never moved money, then their wallet is empty, in EUR', async () => {
      const { app } = setup();

      const res = await request(app).get(`/wallets/${newPlayer()}`);

      expect(res.status).toBe(200);
      expect(res.body).toEqual(wallet(0, 0));
    });
  });

  describe('deposits', () => {
    test('when a player deposits, then the cash is credited and the answer shows the transaction and the wallet', async () => {
      const { app } = setup();
      const player = newPlayer();

      const res = await post(app, `/wallets/${player}/deposits`, { amount: 2_500 });

      expect(res.status).toBe(201);
      expect(res.headers['idempotent-replayed']).toBeUndefined();
      expect(res.body).toEqual({
        transaction: {
          id: expect.any(String),
          type: 'deposit',
          amount: 2_500,
          cash: 2_500,
          bonus: 0,
          balanceAfter: 2_500,
          createdAt: expect.any(String),
          ref: null,
        },
        wallet: wallet(2_500, 0),
      });
      expect(await walletOf(app, player)).toEqual(wallet(2_500, 0));
    });

    test('when a deposit is sent again with the same key, then it answers the same transaction, flagged as a replay, and moves no money', async () => {
      const { app } = setup();
      const player = newPlayer();
      const key = newKey('deposit');
      const first = await post(app, `/wallets/${player}/deposits`, { amount: 2_500 }, key).expect(201);

      const replay = await post(app, `/wallets/${player}/deposits`, { amount: 2_500 }, key);

      expect(replay.status).toBe(201);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body).toEqual(first.body);
      expect(await walletOf(app, player)).toEqual(wallet(2_500, 0));
    });

    test('when the same key comes with a different amount, then it is a 422 idempotency-key-reused and only the first deposit counts', async () => {
      const { app } = setup();
      const player = newPlayer();
      const key = newKey('deposit');
      await post(app, `/wallets/${player}/deposits`, { amount: 2_500 }, key).expect(201);

      const res = await post(app, `/wallets/${player}/deposits`, { amount: 9_900 }, key);

      expectProblem(res, 422, 'idempotency-key-reused');
      expect(await walletOf(app, player)).toEqual(wallet(2_500, 0));
    });

    test('when a deposit key is reused for a withdrawal, then it is refused as reused and the cash stays', async () => {
      const { app } = setup();
      const player = newPlayer();
      const key = newKey('deposit');
      await post(app, `/wallets/${player}/deposits`, { amount: 2_500 }, key).expect(201);

      const res = await post(app, `/wallets/${player}/withdrawals`, { amount: 2_500 }, key);

      expectProblem(res, 422, 'idempotency-key-reused');
      expect(await walletOf(app, player)).toEqual(wallet(2_500, 0));
    });

    test('when a self-excluded player deposits, then it is a 403 saying until when, and no money moves', async () => {
      const { app, peers } = setup();
      const player = newPlayer();
      peers.setStatus(player, { status: 'self_excluded', selfExcludedUntil: '2026-06-01T00:00:00.000Z' });

      const res = await post(app, `/wallets/${player}/deposits`, { amount: 2_500 });

      expectProblem(res, 403, 'self-excluded');
      expect(res.body.detail).toContain('2026-06-01T00:00:00.000Z');
      expect(await walletOf(app, player)).toEqual(wallet(0, 0));
    });

    test('when a deposit would pass the daily limit, then it is a 422 saying what is left, and a deposit of exactly what is left passes', async () => {
      const { app, peers } = setup({ now: new TestClock('2026-03-01T09:00:00.000Z').now });
      const player = newPlayer();
      peers.setStatus(player, { dailyDepositLimit: 5_000 });
      await deposit(app, player, 3_000);

      const over = await post(app, `/wallets/${player}/deposits`, { amount: 2_001 });
      const exact = await post(app, `/wallets/${player}/deposits`, { amount: 2_000 });

      expectProblem(over, 422, 'deposit-limit-exceeded');
      expect(over.body.detail).toBe('Your daily deposit limit is 50.00 EUR; 20.00 EUR is left today.');
      expect(exact.status).toBe(201);
      expect(await walletOf(app, player)).toEqual(wallet(5_000, 0));
    });

    test('when the daily limit is used up, then it resets at midnight UTC and not a millisecond earlier', async () => {
      const clock = new TestClock('2026-03-01T08:00:00.000Z', 0);
      const { app, peers } = setup({ now: clock.now });
      const player = newPlayer();
      peers.setStatus(player, { dailyDepositLimit: 5_000 });
      await deposit(app, player, 5_000);

      clock.set('2026-03-01T23:59:59.999Z');
      const lateSameDay = await post(app, `/wallets/${player}/deposits`, { amount: 1 });
      clock.set('2026-03-02T00:00:00.000Z');
      const nextDay = await post(app, `/wallets/${player}/deposits`, { amount: 5_000 });

      expectProblem(lateSameDay, 422, 'deposit-limit-exceeded');
      expect(nextDay.status).toBe(201);
      expect(await walletOf(app, player)).toEqual(wallet(10_000, 0));
    });

    test('when withdrawals and bets happen, then they do not give back daily deposit limit', async () => {
      const { app, peers } = setup();
      const player = newPlayer();
      peers.setStatus(player, { dailyDepositLimit: 5_000 });
      await deposit(app, player, 5_000);
      await post(app, `/wallets/${player}/withdrawals`, { amount: 4_000 }).expect(201);

      const res = await post(app, `/wallets/${player}/deposits`, { amount: 100 });

      expectProblem(res, 422, 'deposit-limit-exceeded');
      expect(await walletOf(app, player)).toEqual(wallet(1_000, 0));
    });
  });

  describe('withdrawals', () => {
    test('when a player withdraws part of their cash, then the cash goes down and the transaction is negative', async () => {
      const { app } = setup();
      const player = newPlayer();
      await deposit(app, player, 5_000);

      const res = await post(app, `/wallets/${player}/withdrawals`, { amount: 1_200 });

      expect(res.status).toBe(201);
      expect(res.body.transaction).toMatchObject({
        type: 'withdrawal',
        amount: -1_200,
        cash: -1_200,
        bonus: 0,
        balanceAfter: 3_800,
        ref: null,
      });
      expect(res.body.wallet).toEqual(wallet(3_800, 0));
      expect(await walletOf(app, player)).toEqual(wallet(3_800, 0));
    });

    test('when a withdrawal is more than the cash, then it is a 422 insufficient-funds even though bonus money would cover it', async () => {
      const { app } = setup();
      const player = newPlayer();
      await deposit(app, player, 5_000);
      await creditBonus(app, player, 5_000);

      const res = await post(app, `/wallets/${player}/withdrawals`, { amount: 5_001 });

      expectProblem(res, 422, 'insufficient-funds');
      expect(res.body.detail).toBe('The withdrawal needs 50.01 EUR; 50.00 EUR is available.');
      expect(await walletOf(app, player)).toEqual(wallet(5_000, 5_000));
    });

    test('when the player has an active bonus, then a withdrawal is a 409 wagering-open and nothing is forfeited or moved', async () => {
      const { app, peers } = setup();
      const player = newPlayer();
      await deposit(app, player, 5_000);
      await creditBonus(app, player, 5_000);
      peers.grantBonus(player, { amount: 5_000, wagered: 12_000, wageringRequired: 150_000 });

      const res = await post(app, `/wallets/${player}/withdrawals`, { amount: 1_000 });

      expectProblem(res, 409, 'wagering-open');
      expect(res.body.detail).toContain('120.00 EUR of 1500.00 EUR wagered');
      expect(res.body.detail).toContain('forfeitBonus: true');
      expect(peers.forfeits).toEqual([]);
      expect(await walletOf(app, player)).toEqual(wallet(5_000, 5_000));
    });

    test('when the player agrees to forfeit the bonus, then the bonus is forfeited through wager, then the cash is withdrawn', async () => {
      const { app, peers } = setup();
      const player = newPlayer();
      await deposit(app, player, 5_000);
      const bonusId = randomUUID();
      await creditBonus(app, player, 5_000, bonusId);
      peers.grantBonus(player, { id: bonusId });
      // As wager does: ending the bonus asks payment to remove the bonus balance.
      peers.onForfeit = async (playerId) => {
        await post(app, `/wallets/${playerId}/bonus-forfeits`, { bonusId }, `bonus:${bonusId}:forfeits`).expect(201);
      };
      const key = newKey('withdrawal');

      const res = await post(app, `/wallets/${player}/withdrawals`, { amount: 1_000, forfeitBonus: true }, key);

      expect(res.status).toBe(201);
      expect(peers.forfeits).toEqual([{ playerId: player, idempotencyKey: `${key}:forfeit` }]);
      expect(res.body.wallet).toEqual(wallet(4_000, 0));
      expect(await walletOf(app, player)).toEqual(wallet(4_000, 0));
    });

    test('when a forfeiting withdrawal is replayed, then the bonus is not forfeited again and no more cash leaves', async () => {
      const { app, peers } = setup();
      const player = newPlayer();
      await deposit(app, player, 5_000);
      peers.grantBonus(player);
      const key = newKey('withdrawal');
      const first = await post(app, `/wallets/${player}/withdrawals`, { amount: 1_000, forfeitBonus: true }, key).expect(201);
      peers.grantBonus(player);

      const replay = await post(app, `/wallets/${player}/withdrawals`, { amount: 1_000, forfeitBonus: true }, key);

      expect(replay.status).toBe(201);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body.transaction).toEqual(first.body.transaction);
      expect(peers.forfeits).toHaveLength(1);
      expect(await walletOf(app, player)).toEqual(wallet(4_000, 0));
    });

    test('when forfeitBonus is sent but there is no active bonus, then the withdrawal simply goes ahead', async () => {
      const { app, peers } = setup();
      const player = newPlayer();
      await deposit(app, player, 5_000);

      const res = await post(app, `/wallets/${player}/withdrawals`, { amount: 5_000, forfeitBonus: true });

      expect(res.status).toBe(201);
      expect(peers.forfeits).toEqual([]);
      expect(await walletOf(app, player)).toEqual(wallet(0, 0));
    });
  });

  describe('bets', () => {
    test('when a bet is larger than the cash, then it takes all the cash first and the rest from bonus', async () => {
      const { app } = setup();
      const player = newPlayer();
      const roundId = randomUUID();
      await deposit(app, player, 300);
      await creditBonus(app, player, 1_000);

      const res = await post(app, `/wallets/${player}/bets`, { amount: 800, roundId, gameId: 'lucky-sevens' });

      expect(res.status).toBe(201);
      expect(res.body.transaction).toMatchObject({ type: 'bet', amount: -800, cash: -300, bonus: -500, balanceAfter: 500, ref: roundId });
      expect(res.body.wallet).toEqual(wallet(0, 500));
      expect(await walletOf(app, player)).toEqual(wallet(0, 500));
    });

    test('when a bet fits in the cash, then the bonus is not touched', async () => {
      const { app } = setup();
      const player = newPlayer();
      await deposit(app, player, 1_000);
      await creditBonus(app, player, 1_000);

      const body = await bet(app, player, 1_000);

      expect(body.transaction).toMatchObject({ amount: -1_000, cash: -1_000, bonus: 0 });
      expect(await walletOf(app, player)).toEqual(wallet(0, 1_000));
    });

    test('when a bet is more than cash and bonus together, then it is a 422 insufficient-funds and nothing moves', async () => {
      const { app } = setup();
      const player = newPlayer();
      await deposit(app, player, 300);
      await creditBonus(app, player, 200);

      const res = await post(app, `/wallets/${player}/bets`, { amount: 501, roundId: randomUUID(), gameId: 'lucky-sevens' });

      expectProblem(res, 422, 'insufficient-funds');
      expect(res.body.detail).toBe('The stake needs 5.01 EUR; 5.00 EUR is available.');
      expect(await walletOf(app, player)).toEqual(wallet(300, 200));
    });

    test('when a refused bet is replayed after a deposit, then it is still the same 422 and the deposit is untouched', async () => {
      const { app } = setup();
      const player = newPlayer();
      const roundId = randomUUID();
      const key = `round:${roundId}:bet`;
      await deposit(app, player, 300);
      const refused = await post(app, `/wallets/${player}/bets`, { amount: 1_000, roundId, gameId: 'lucky-sevens' }, key);
      await deposit(app, player, 5_000);

      const replay = await post(app, `/wallets/${player}/bets`, { amount: 1_000, roundId, gameId: 'lucky-sevens' }, key);

      expectProblem(refused, 422, 'insufficient-funds');
      expectProblem(replay, 422, 'insufficient-funds');
      expect(replay.body.detail).toBe(refused.body.detail);
      expect(await walletOf(app, player)).toEqual(wallet(5_300, 0));
    });

    test('when a bet is replayed, then the stake is taken once', async () => {
      const { app } = setup();
      const player = newPlayer();
      const roundId = randomUUID();
      await deposit(app, player, 1_000);
      const first = await post(
        app,
        `/wallets/${player}/bets`,
        { amount: 400, roundId, gameId: 'lucky-sevens' },
        `round:${roundId}:bet`,
      ).expect(201);

      const replay = await post(app, `/wallets/${player}/bets`, { amount: 400, roundId, gameId: 'lucky-sevens' }, `round:${roundId}:bet`);

      expect(replay.status).toBe(201);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body).toEqual(first.body);
      expect(await walletOf(app, player)).toEqual(wallet(600, 0));
    });
  });

  describe('wins', () => {
    test('when a win comes for a round with no bet, then it is a 409 no-bet-for-round and nothing is paid', async () => {
      const { app } = setup();
      const player = newPlayer();
      await deposit(app, player, 1_000);

      const res = await post(app, `/wallets/${player}/wins`, { amount: 5_000, roundId: randomUUID(), gameId: 'lucky-sevens' });

      expectProblem(res, 409, 'no-bet-for-round');
      expect(await walletOf(app, player)).toEqual(wallet(1_000, 0));
    });

    test("when the round's bet was refused, then a win for it is still a 409 and nothing is paid", async () => {
      const { app } = setup();
      const player = newPlayer();
      const roundId = randomUUID();
      await deposit(app, player, 100);
      await post(app, `/wallets/${player}/bets`, { amount: 1_000, roundId, gameId: 'lucky-sevens' }).expect(422);

      const res = await post(app, `/wallets/${player}/wins`, { amount: 5_000, roundId, gameId: 'lucky-sevens' });

      expectProblem(res, 409, 'no-bet-for-round');
      expect(await walletOf(app, player)).toEqual(wallet(100, 0));
    });

    test('when a round was staked partly with bonus, then its win goes to bonus in the same proportion', async () => {
      const { app } = setup();
      const player = newPlayer();
      const roundId = randomUUID();
      await deposit(app, player, 300);
      await creditBonus(app, player, 1_000);
      await bet(app, player, 800, roundId); // 300 cash + 500 bonus

      const res = await post(app, `/wallets/${player}/wins`, { amount: 1_601, roundId, gameId: 'lucky-sevens' });

      // 1,601 * 500/800 = 1,000.6: bonus gets 1,000, cash the other 601.
      expect(res.status).toBe(201);
      expect(res.body.transaction).toMatchObject({
        type: 'win',
        amount: 1_601,
        cash: 601,
        bonus: 1_000,
        balanceAfter: 2_101,
        ref: roundId,
      });
      expect(await walletOf(app, player)).toEqual(wallet(601, 1_500));
    });

    test('when a round was staked with cash only, then its win is all cash', async () => {
      const { app } = setup();
      const player = newPlayer();
      const roundId = randomUUID();
      await deposit(app, player, 1_000);
      await creditBonus(app, player, 1_000);
      await bet(app, player, 500, roundId);

      const res = await post(app, `/wallets/${player}/wins`, { amount: 2_000, roundId, gameId: 'lucky-sevens' });

      expect(res.body.transaction).toMatchObject({ cash: 2_000, bonus: 0 });
      expect(await walletOf(app, player)).toEqual(wallet(2_500, 1_000));
    });

    test('when a win is replayed, then it is paid once', async () => {
      const { app } = setup();
      const player = newPlayer();
      const roundId = randomUUID();
      await deposit(app, player, 1_000);
      await bet(app, player, 500, roundId);
      const body = { amount: 2_000, roundId, gameId: 'lucky-sevens' };
      const first = await post(app, `/wallets/${player}/wins`, body, `round:${roundId}:win`).expect(201);

      const replay = await post(app, `/wallets/${player}/wins`, body, `round:${roundId}:win`);

      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body.transaction).toEqual(first.body.transaction);
      expect(await walletOf(app, player)).toEqual(wallet(2_500, 0));
    });
  });

  describe('bonus money', () => {
    test('when a bonus is credited, then it lands in bonus, tagged with the bonus id, and cash stays', async () => {
      const { app } = setup();
      const player = newPlayer();
      const bonusId = randomUUID();
      await deposit(app, player, 1_000);

      const res = await post(app, `/wallets/${player}/bonus-credits`, { amount: 2_500, bonusId });

      expect(res.status).toBe(201);
      expect(res.body.transaction).toMatchObject({
        type: 'bonus_credit',
        amount: 2_500,
        cash: 0,
        bonus: 2_500,
        balanceAfter: 3_500,
        ref: bonusId,
      });
      expect(await walletOf(app, player)).toEqual(wallet(1_000, 2_500));
    });

    test('when a bonus is converted, then the whole bonus balance moves to cash and the total stays', async () => {
      const { app } = setup();
      const player = newPlayer();
      const bonusId = randomUUID();
      await deposit(app, player, 1_000);
      await creditBonus(app, player, 2_500, bonusId);
      await bet(app, player, 1_300); // 1,000 cash + 300 bonus: 2,200 bonus left

      const res = await post(app, `/wallets/${player}/bonus-conversions`, { bonusId });

      expect(res.status).toBe(201);
      expect(res.body.transaction).toMatchObject({
        type: 'bonus_conversion',
        amount: 0,
        cash: 2_200,
        bonus: -2_200,
        balanceAfter: 2_200,
        ref: bonusId,
      });
      expect(await walletOf(app, player)).toEqual(wallet(2_200, 0));
    });

    test('when a conversion is replayed after a new bonus arrived, then the new bonus is not converted', async () => {
      const { app } = setup();
      const player = newPlayer();
      const bonusId = randomUUID();
      await creditBonus(app, player, 2_500, bonusId);
      const key = `bonus:${bonusId}:conversions`;
      await post(app, `/wallets/${player}/bonus-conversions`, { bonusId }, key).expect(201);
      await creditBonus(app, player, 700);

      const replay = await post(app, `/wallets/${player}/bonus-conversions`, { bonusId }, key);

      expect(replay.status).toBe(201);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(await walletOf(app, player)).toEqual(wallet(2_500, 700));
    });

    test('when a bonus is forfeited, then the whole bonus balance is removed and the cash stays', async () => {
      const { app } = setup();
      const player = newPlayer();
      const bonusId = randomUUID();
      await deposit(app, player, 1_000);
      await creditBonus(app, player, 2_500, bonusId);

      const res = await post(app, `/wallets/${player}/bonus-forfeits`, { bonusId });

      expect(res.status).toBe(201);
      expect(res.body.transaction).toMatchObject({
        type: 'bonus_forfeit',
        amount: -2_500,
        cash: 0,
        bonus: -2_500,
        balanceAfter: 1_000,
        ref: bonusId,
      });
      expect(await walletOf(app, player)).toEqual(wallet(1_000, 0));
    });
  });

  describe('transaction history', () => {
    /** A wallet with one of each kind of entry, made one millisecond apart, plus a refused bet. */
    async function history() {
      const { app } = setup({ now: new TestClock('2026-03-01T12:00:00.000Z').now });
      const player = newPlayer();
      const roundId = randomUUID();
      await deposit(app, player, 1_000);
      await creditBonus(app, player, 500);
      await bet(app, player, 1_200, roundId);
      await post(app, `/wallets/${player}/bets`, { amount: 9_999, roundId: randomUUID(), gameId: 'lucky-sevens' }).expect(422);
      await post(app, `/wallets/${player}/wins`, { amount: 2_400, roundId, gameId: 'lucky-sevens' }).expect(201);
      await post(app, `/wallets/${player}/withdrawals`, { amount: 100 }).expect(201);
      return { app, player };
    }

    test('when a player lists their transactions, then they see every applied movement newest first, with the balance after each', async () => {
      const { app, player } = await history();

      const res = await request(app).get(`/wallets/${player}/transactions`);

      expect(res.status).toBe(200);
      expect(res.body.items.map((t: { type: string; amount: number; balanceAfter: number }) => [t.type, t.amount, t.balanceAfter])).toEqual(
        [
          ['withdrawal', -100, 2_600],
          ['win', 2_400, 2_700],
          ['bet', -1_200, 300],
          ['bonus_credit', 500, 1_500],
          ['deposit', 1_000, 1_000],
        ],
      );
    });

    test('when the list is limited, filtered by type or put oldest first, then it shows just that', async () => {
      const { app, player } = await history();

      const limited = await request(app).get(`/wallets/${player}/transactions?limit=2`).expect(200);
      const bets = await request(app).get(`/wallets/${player}/transactions?type=bet`).expect(200);
      const oldest = await request(app).get(`/wallets/${player}/transactions?order=asc&limit=2`).expect(200);

      expect(limited.body.items.map((t: { type: string }) => t.type)).toEqual(['withdrawal', 'win']);
      expect(bets.body.items).toHaveLength(1);
      expect(bets.body.items[0]).toMatchObject({ type: 'bet', amount: -1_200 });
      expect(oldest.body.items.map((t: { type: string }) => t.type)).toEqual(['deposit', 'bonus_credit']);
    });

    test('when a bet was refused, then it never shows in the history', async () => {
      const { app, player } = await history();

      const res = await request(app).get(`/wallets/${player}/transactions?type=bet`).expect(200);

      expect(res.body.items.map((t: { amount: number }) => t.amount)).toEqual([-1_200]);
    });

    test('when a player has no movements, then the list is empty', async () => {
      const { app } = setup();

      const res = await request(app).get(`/wallets/${newPlayer()}/transactions`);

      expect(res.status).toBe(200);
      expect(res.body).toEqual({ items: [] });
    });

    test.each([
      ['a limit of 0', 'limit=0'],
      ['a limit over 100', 'limit=101'],
      ['a limit that is not a number', 'limit=ten'],
      ['an unknown type', 'type=jackpot'],
      ['an unknown order', 'order=newest'],
      ['an unknown parameter', 'sort=amount'],
    ])('when the query has %s, then it is a 400 problem', async (_what, query) => {
      const { app } = setup();

      const res = await request(app).get(`/wallets/${newPlayer()}/transactions?${query}`);

      expectProblem(res, 400, 'invalid-request');
    });
  });

  describe('bad input', () => {
    const json = (text: string) => ({ raw: text });

    test.each<[string, { path?: string; body: object | { raw: string }; key?: string | null; status: number; slug: string }]>([
      ['malformed JSON', { body: json('{"amount": 10'), status: 400, slug: 'invalid-request' }],
      ['a JSON array', { body: json('[100]'), status: 400, slug: 'invalid-request' }],
      ['an amount as a string', { body: { amount: '100' }, status: 400, slug: 'invalid-request' }],
      ['an amount of 0', { body: { amount: 0 }, status: 400, slug: 'invalid-request' }],
      ['a negative amount', { body: { amount: -100 }, status: 400, slug: 'invalid-request' }],
      ['a fraction of a cent', { body: { amount: 10.5 }, status: 400, slug: 'invalid-request' }],
      ['an absurd amount', { body: { amount: 1e12 }, status: 400, slug: 'invalid-request' }],
      ['an amount that overflows to Infinity', { body: json('{"amount": 1e400}'), status: 400, slug: 'invalid-request' }],
      ['an amount of null', { body: { amount: null }, status: 400, slug: 'invalid-request' }],
      ['no amount', { body: {}, status: 400, slug: 'invalid-request' }],
      ['an extra field', { body: { amount: 100, currency: 'USD' }, status: 400, slug: 'invalid-request' }],
      ['a __proto__ field', { body: json('{"amount": 100, "__proto__": {"admin": true}}'), status: 400, slug: 'invalid-request' }],
      ['no Idempotency-Key header', { body: { amount: 100 }, key: null, status: 400, slug: 'invalid-request' }],
      ['a too short Idempotency-Key', { body: { amount: 100 }, key: 'short', status: 400, slug: 'invalid-request' }],
      ['an Idempotency-Key with a tab', { body: { amount: 100 }, key: 'has\ta tab', status: 400, slug: 'invalid-request' }],
      ['an Idempotency-Key over 300 characters', { body: { amount: 100 }, key: 'k'.repeat(301), status: 400, slug: 'invalid-request' }],
      [
        'a player id that is not a uuid',
        { path: '/wallets/not-a-player/deposits', body: { amount: 100 }, status: 400, slug: 'invalid-request' },
      ],
      ['a body over 16 kB', { body: { amount: 100, note: 'x'.repeat(17 * 1024) }, status: 413, slug: 'payload-too-large' }],
    ])('when a deposit has %s, then it is a 4xx problem with a trace id and no money moves', async (_what, c) => {
      const { app, stored } = setup();
      const player = newPlayer();
      let req = request(app)
        .post(c.path ?? `/wallets/${player}/deposits`)
        .set('Content-Type', 'application/json');
      if (c.key !== null) req = req.set('Idempotency-Key', c.key ?? newKey());

      const res = await req.send('raw' in c.body ? c.body.raw : JSON.stringify(c.body));

      expectProblem(res, c.status, c.slug);
      expect(await walletOf(app, player)).toEqual(wallet(0, 0));
      expect(await stored.wallets.count({})).toBe(0);
      expect(await stored.entries.count({})).toBe(0);
    });

    const round = '7f3c2a1e-5b6d-4c8e-9f0a-1b2c3d4e5f60';
    const bonusId = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
    test.each<[string, string, object]>([
      ['bets', 'a fraction of a cent', { amount: 10.5, roundId: round, gameId: 'lucky-sevens' }],
      ['bets', 'a round id that is not a uuid', { amount: 100, roundId: 'round-1', gameId: 'lucky-sevens' }],
      ['bets', 'a game id that is not a catalogue id', { amount: 100, roundId: round, gameId: 'Lucky Sevens' }],
      ['bets', 'a stake over 100,000 EUR', { amount: 10_000_001, roundId: round, gameId: 'lucky-sevens' }],
      ['wins', 'an amount as a string', { amount: '500', roundId: round, gameId: 'lucky-sevens' }],
      ['wins', 'no game id', { amount: 500, roundId: round }],
      ['withdrawals', 'a forfeitBonus that is not a boolean', { amount: 100, forfeitBonus: 'yes' }],
      ['withdrawals', 'an amount over 10,000 EUR', { amount: 1_000_001 }],
      ['bonus-credits', 'a bonus id that is not a uuid', { amount: 100, bonusId: 'welcome' }],
      ['bonus-credits', 'a negative amount', { amount: -100, bonusId }],
      ['bonus-conversions', 'an amount, which it does not take', { bonusId, amount: 100 }],
      ['bonus-forfeits', 'no bonus id', {}],
    ])('when POST %s gets %s, then it is a 400 problem and the wallet is untouched', async (endpoint, _what, body) => {
      const { app, stored } = setup();
      const player = newPlayer();
      await deposit(app, player, 1_000);

      const res = await post(app, `/wallets/${player}/${endpoint}`, body);

      expectProblem(res, 400, 'invalid-request');
      expect(res.body.errors.length).toBeGreaterThan(0);
      expect(await walletOf(app, player)).toEqual(wallet(1_000, 0));
      expect(await stored.entries.count({})).toBe(1);
    });

    test.each(['deposits', 'withdrawals', 'bets', 'wins', 'bonus-credits', 'bonus-conversions', 'bonus-forfeits'])(
      'when POST %s has no Idempotency-Key, then it is a 400 problem and the wallet is untouched',
      async (endpoint) => {
        const { app } = setup();
        const player = newPlayer();
        await deposit(app, player, 1_000);

        const res = await request(app)
          .post(`/wallets/${player}/${endpoint}`)
          .send({ amount: 100, roundId: randomUUID(), gameId: 'lucky-sevens' });

        expectProblem(res, 400, 'invalid-request');
        expect(res.body.detail).toContain('Idempotency-Key');
        expect(await walletOf(app, player)).toEqual(wallet(1_000, 0));
      },
    );

    test('when the player id in a wallet read is not a uuid, then it is a 400 problem', async () => {
      const { app } = setup();

      const res = await request(app).get('/wallets/1%20OR%201=1');

      expectProblem(res, 400, 'invalid-request');
    });

    test('when bad input arrives, then no server error is logged for it', async () => {
      const { app, deps } = setup();
      const player = newPlayer();

      await request(app).post(`/wallets/${player}/deposits`).set('Content-Type', 'application/json').send('{oops');
      await post(app, `/wallets/${player}/deposits`, { amount: 1e12 });
      await post(app, `/wallets/${player}/bets`, { amount: 1, roundId: randomUUID(), gameId: 'lucky-sevens', x: 1 });

      expect(deps.logs.length).toBeGreaterThan(0);
      expect(deps.logs.filter((line) => ['error', 'fatal'].includes(JSON.parse(line).level))).toEqual([]);
    });
  });
});
