import { randomUUID } from 'node:crypto';
import { asItsCallers, testDeps } from '@casino/shared/testing';
import request from 'supertest';
import type { Express } from 'express';
import { wagerCallers } from '../src/api/callers';
import { createApp } from '../src/app';
import { FakeWagerPeers } from './fake-peers';

const DAY = 86_400_000;

function setup() {
  const clock = { now: new Date('2026-03-01T12:00:00Z') };
  const peers = new FakeWagerPeers(clock);
  const app = asItsCallers(createApp({ ...testDeps('wager'), peers, now: () => clock.now }), 'wager', wagerCallers);
  return { app, peers, clock, player: randomUUID() };
}

const claim = (app: Express, player: string, offerId: string, key: string = randomUUID()) =>
  request(app).post(`/players/${player}/bonuses`).set('Idempotency-Key', key).send({ offerId });

const wager = (app: Express, player: string, stake: number, roundId: string = randomUUID()) =>
  request(app).post(`/players/${player}/wagers`).send({ roundId, stake });

const active = async (app: Express, player: string) => (await request(app).get(`/players/${player}/bonuses/active`).expect(200)).body.bonus;

const history = async (app: Express, player: string) => (await request(app).get(`/players/${player}/bonuses`).expect(200)).body.items;

describe('wager service', () => {
  describe('offers', () => {
    test('when the offers are listed, then the welcome and reload offers show their terms', async () => {
      const { app } = setup();

      const res = await request(app).get('/offers');

      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([
        expect.objectContaining({
          id: 'welcome-100',
          matchPercent: 100,
          maxAmount: 10_000,
          wageringMultiplier: 35,
          qualifyingDeposit: 'first',
        }),
        expect.objectContaining({
          id: 'reload-50',
          matchPercent: 50,
          maxAmount: 5_000,
          wageringMultiplier: 20,
          qualifyingDeposit: 'latest',
        }),
      ]);
    });
  });

  describe('claiming a bonus', () => {
    test('when a player who never deposited claims the welcome bonus, then it is a 422 deposit-required and nothing is credited', async () => {
      const { app, peers, player } = setup();

      const res = await claim(app, player, 'welcome-100');

      expect(res.status).toBe(422);
      expect(res.type).toBe('application/problem+json');
      expect(res.body).toMatchObject({ type: 'urn:casino:problem:deposit-required', status: 422, traceId: expect.any(String) });
      expect(peers.ledger).toEqual([]);
      expect(await active(app, player)).toBeNull();
    });

    test('when a player claims the welcome bonus, then it matches their first deposit with 35x wagering and is credited to the wallet', async () => {
      const { app, peers, player } = setup();
      peers.addDeposit(player, 2_500);
      peers.addDeposit(player, 8_000);

      const res = await claim(app, player, 'welcome-100');

      expect(res.status).toBe(201);
      expect(res.body.bonus).toEqual({
        id: expect.any(String),
        offerId: 'welcome-100',
        status: 'active',
        amount: 2_500,
        wageringRequired: 87_500,
        wagered: 0,
        createdAt: '2026-03-01T12:00:00.000Z',
        expiresAt: '2026-03-31T12:00:00.000Z',
      });
      expect(peers.moved('bonus_credit')).toEqual([
        { type: 'bonus_credit', playerId: player, bonusId: res.body.bonus.id, cash: 0, bonus: 2_500 },
      ]);
      expect(peers.wallet(player)).toMatchObject({ cash: 10_500, bonus: 2_500, total: 13_000 });
      expect(await active(app, player)).toEqual(res.body.bonus);
    });

    test('when the first deposit is over 100 EUR, then the welcome bonus is capped at 100 EUR and 35x that is to be wagered', async () => {
      const { app, peers, player } = setup();
      peers.addDeposit(player, 50_000);

      const res = await claim(app, player, 'welcome-100');

      expect(res.status).toBe(201);
      expect(res.body.bonus).toMatchObject({ amount: 10_000, wageringRequired: 350_000 });
      expect(peers.wallet(player).bonus).toBe(10_000);
    });

    test('when a player with an active bonus claims another, then it is a 409 bonus-active and nothing more is credited', async () => {
      const { app, peers, player } = setup();
      peers.addDeposit(player, 2_000);
      await claim(app, player, 'welcome-100').expect(201);
      peers.addDeposit(player, 4_000);

      const res = await claim(app, player, 'reload-50');

      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ type: 'urn:casino:problem:bonus-active', traceId: expect.any(String) });
      expect(peers.moved('bonus_credit')).toHaveLength(1);
      expect(await history(app, player)).toHaveLength(1);
    });

    test('when a player claims the welcome bonus again after completing it, then it is a 409 offer-already-claimed', async () => {
      const { app, peers, player } = setup();
      peers.addDeposit(player, 100);
      await claim(app, player, 'welcome-100').expect(201);
      const done = await wager(app, player, 3_500).expect(200);
      expect(done.body.bonus.status).toBe('completed');
      peers.addDeposit(player, 5_000);

      const res = await claim(app, player, 'welcome-100');

      expect(res.status).toBe(409);
      expect(res.body.type).toBe('urn:casino:problem:offer-already-claimed');
      expect(peers.moved('bonus_credit')).toHaveLength(1);
      expect(await active(app, player)).toBeNull();
    });

    test('when the reload bonus is claimed on the deposit that already earned the welcome bonus, then it is a 409 deposit-already-used until the player deposits again', async () => {
      const { app, peers, player } = setup();
      peers.addDeposit(player, 3_000);
      await claim(app, player, 'welcome-100').expect(201);
      await request(app).post(`/players/${player}/bonuses/active/forfeit`).send({ reason: 'player' }).expect(200);

      const refused = await claim(app, player, 'reload-50');

      expect(refused.status).toBe(409);
      expect(refused.body.type).toBe('urn:casino:problem:deposit-already-used');
      peers.addDeposit(player, 3_001);
      const accepted = await claim(app, player, 'reload-50');
      expect(accepted.status).toBe(201);
      expect(accepted.body.bonus).toMatchObject({
        offerId: 'reload-50',
        amount: 1_500,
        wageringRequired: 30_000,
        expiresAt: '2026-03-08T12:00:00.000Z',
      });
    });

    test('when the deposit was withdrawn before the bonus is claimed, then it is a 422 deposit-not-held every time, and a new deposit qualifies', async () => {
      const { app, peers, clock, player } = setup();
      peers.addDeposit(player, 10_000);
      clock.now = new Date(clock.now.getTime() + 1_000);
      peers.withdraw(player, 10_000);

      for (const offer of ['reload-50', 'reload-50', 'welcome-100']) {
        const refused = await claim(app, player, offer);
        expect(refused.status).toBe(422);
        expect(refused.body).toMatchObject({ type: 'urn:casino:problem:deposit-not-held', detail: expect.stringContaining('withdrawn') });
      }
      expect(peers.ledger).toEqual([]);
      expect(await active(app, player)).toBeNull();

      clock.now = new Date(clock.now.getTime() + 1_000);
      peers.addDeposit(player, 4_000);
      expect((await claim(app, player, 'reload-50').expect(201)).body.bonus.amount).toBe(2_000);
    });

    test('when part of the deposit was staked and lost before the claim, then it is a 422 deposit-not-held and nothing is credited', async () => {
      const { app, peers, player } = setup();
      peers.addDeposit(player, 10_000);
      peers.lose(player, 2_500);

      const refused = await claim(app, player, 'welcome-100');

      expect(refused.status).toBe(422);
      expect(refused.body).toMatchObject({
        type: 'urn:casino:problem:deposit-not-held',
        detail: expect.stringContaining('no longer all in your wallet'),
      });
      expect(peers.ledger).toEqual([]);
    });

    test('when the reload bonus would match less than a cent, then it is a 422 and no empty bonus blocks the player', async () => {
      const { app, peers, player } = setup();
      peers.addDeposit(player, 1);

      const res = await claim(app, player, 'reload-50');

      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ type: 'urn:casino:problem:deposit-too-small', status: 422, traceId: expect.any(String) });
      expect(await active(app, player)).toBeNull();
      expect(await history(app, player)).toEqual([]);
      expect(peers.ledger).toEqual([]);
      peers.addDeposit(player, 2_000);
      expect((await claim(app, player, 'reload-50').expect(201)).body.bonus.amount).toBe(1_000);
    });

    test('when a player claims an offer that does not exist, then it is a 404 offer-not-found', async () => {
      const { app, peers, player } = setup();
      peers.addDeposit(player, 2_000);

      const res = await claim(app, player, 'free-money');

      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({ type: 'urn:casino:problem:offer-not-found', status: 404 });
      expect(peers.ledger).toEqual([]);
    });

    test('when a self-excluded player claims a bonus, then it is a 403 and nothing is credited', async () => {
      const { app, peers, player } = setup();
      peers.addDeposit(player, 2_000);
      peers.setStatus(player, 'self_excluded');

      const res = await claim(app, player, 'welcome-100');

      expect(res.status).toBe(403);
      expect(res.body.type).toBe('urn:casino:problem:self-excluded');
      expect(peers.ledger).toEqual([]);
      expect(await history(app, player)).toEqual([]);
    });

    test('when a claim is sent again with the same Idempotency-Key, then the same bonus comes back, marked as a replay, and nothing is credited twice', async () => {
      const { app, peers, player } = setup();
      peers.addDeposit(player, 2_000);
      const key = randomUUID();
      const first = await claim(app, player, 'welcome-100', key).expect(201);

      const again = await claim(app, player, 'welcome-100', key);

      expect(again.status).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      expect(again.body).toEqual(first.body);
      expect(await history(app, player)).toHaveLength(1);
      expect(peers.moved('bonus_credit')).toHaveLength(1);
      expect(peers.wallet(player).bonus).toBe(2_000);
    });

    test('when the bonus credit fails, then a replay with the same key credits it, once', async () => {
      const { app, peers, player } = setup();
      peers.addDeposit(player, 2_000);
      peers.outages.creditBonus = 1;
      const key = randomUUID();

      const failed = await claim(app, player, 'welcome-100', key);
      const again = await claim(app, player, 'welcome-100', key);

      expect(failed.status).toBe(503);
      expect(again.status).toBe(201);
      expect(peers.wallet(player).bonus).toBe(2_000);
      expect(peers.moved('bonus_credit')).toHaveLength(1);
      expect(await history(app, player)).toHaveLength(1);
    });

    test('when the same Idempotency-Key is used to claim a different offer, then it is a 422 idempotency-key-reused', async () => {
      const { app, peers, player } = setup();
      peers.addDeposit(player, 2_000);
      const key = randomUUID();
      await claim(app, player, 'welcome-100', key).expect(201);

      const res = await claim(app, player, 'reload-50', key);

      expect(res.status).toBe(422);
      expect(res.body.type).toBe('urn:casino:problem:idempotency-key-reused');
      expect(await history(app, player)).toHaveLength(1);
    });

    test('when 20 claims with different keys arrive at once, then exactly one bonus is active and credited once', async () => {
      const { app, peers, player } = setup();
      peers.addDeposit(player, 4_000);

      const answers = await Promise.all(Array.from({ length: 20 }, () => claim(app, player, 'welcome-100')));

      const won = answers.filter((r) => r.status === 201);
      expect(won).toHaveLength(1);
      expect(answers.filter((r) => r.status === 409)).toHaveLength(19);
      expect(answers.every((r) => r.status === 201 || r.status === 409)).toBe(true);
      expect(await history(app, player)).toEqual([won[0]!.body.bonus]);
      expect(peers.moved('bonus_credit')).toHaveLength(1);
      expect(peers.wallet(player).bonus).toBe(4_000);
    });

    test('when 20 claims with the same key arrive at once, then they all answer the same one bonus', async () => {
      const { app, peers, player } = setup();
      peers.addDeposit(player, 4_000);
      const key = randomUUID();

      const answers = await Promise.all(Array.from({ length: 20 }, () => claim(app, player, 'welcome-100', key)));

      expect(answers.map((r) => r.status)).toEqual(Array(20).fill(201));
      expect(new Set(answers.map((r) => r.body.bonus.id)).size).toBe(1);
      expect(await history(app, player)).toHaveLength(1);
      expect(peers.wallet(player).bonus).toBe(4_000);
    });
  });

  describe('wagering', () => {
    /** A player with an active welcome bonus of `deposit` cents (35x wagering). */
    async function withBonus(deposit = 100) {
      const ctx = setup();
      ctx.peers.addDeposit(ctx.player, deposit);
      const bonus = (await claim(ctx.app, ctx.player, 'welcome-100').expect(201)).body.bonus;
      return { ...ctx, bonus };
    }

    test('when a bet is recorded, then its stake adds to the wagered amount', async () => {
      const { app, player } = await withBonus();

      await wager(app, player, 1_000).expect(200);
      const res = await wager(app, player, 250);

      expect(res.status).toBe(200);
      expect(res.body.bonus).toMatchObject({ status: 'active', wagered: 1_250, wageringRequired: 3_500 });
      expect(res.body.wallet).toBeUndefined();
      expect((await active(app, player)).wagered).toBe(1_250);
    });

    test('when the same round is reported twice, then its stake counts once', async () => {
      const { app, player } = await withBonus();
      const roundId = randomUUID();

      await wager(app, player, 700, roundId).expect(200);
      const res = await wager(app, player, 700, roundId);

      expect(res.status).toBe(200);
      expect(res.body.bonus.wagered).toBe(700);
      expect((await active(app, player)).wagered).toBe(700);
    });

    test('when the wagering requirement is reached, then the bonus completes, converts to cash once and the answer carries the wallet', async () => {
      const { app, peers, player, bonus } = await withBonus();
      await wager(app, player, 3_499).expect(200);

      const res = await wager(app, player, 1);

      expect(res.status).toBe(200);
      expect(res.body.bonus).toMatchObject({ id: bonus.id, status: 'completed', wagered: 3_500 });
      expect(res.body.wallet).toEqual({ currency: 'EUR', cash: 200, bonus: 0, total: 200 });
      expect(res.body.wallet).toEqual(peers.wallet(player));
      expect(peers.callsOf('convertBonus')).toEqual([{ op: 'convertBonus', playerId: player, bonusId: bonus.id }]);
      const after = await wager(app, player, 5_000);
      expect(after.body).toEqual({ bonus: null });
      expect(peers.callsOf('convertBonus')).toHaveLength(1);
      expect(await active(app, player)).toBeNull();
      expect((await history(app, player))[0]).toMatchObject({ id: bonus.id, status: 'completed' });
    });

    test('when a player without an active bonus bets, then the answer is a null bonus and no money moves', async () => {
      const { app, peers, player } = setup();

      const res = await wager(app, player, 500);

      expect(res.status).toBe(200);
      expect(res.body).toEqual({ bonus: null });
      expect(peers.calls).toEqual([]);
    });

    test('when the bonus has expired and the player reads it, then it is forfeited through payment and no longer active', async () => {
      const { app, peers, player, clock, bonus } = await withBonus(2_000);
      await wager(app, player, 1_000).expect(200);
      clock.now = new Date(new Date(bonus.expiresAt).getTime() + 1);

      const res = await request(app).get(`/players/${player}/bonuses/active`);

      expect(res.status).toBe(200);
      expect(res.body).toEqual({ bonus: null });
      expect(peers.moved('bonus_forfeit')).toEqual([
        { type: 'bonus_forfeit', playerId: player, bonusId: bonus.id, cash: 0, bonus: -2_000 },
      ]);
      expect(peers.wallet(player)).toMatchObject({ cash: 2_000, bonus: 0 });
      expect((await history(app, player))[0]).toMatchObject({ id: bonus.id, status: 'expired', wagered: 1_000 });
      await request(app).get(`/players/${player}/bonuses/active`).expect(200);
      expect(peers.callsOf('forfeitBonus')).toHaveLength(1);
    });

    test('when the bonus has expired and the player bets, then the bet does not count, the bonus is forfeited and the answer is null', async () => {
      const { app, peers, player, clock, bonus } = await withBonus();
      clock.now = new Date(clock.now.getTime() + 31 * DAY);

      const res = await wager(app, player, 3_500);

      expect(res.status).toBe(200);
      expect(res.body).toEqual({ bonus: null });
      expect(peers.callsOf('forfeitBonus')).toHaveLength(1);
      expect(peers.callsOf('convertBonus')).toEqual([]);
      expect((await history(app, player))[0]).toMatchObject({ id: bonus.id, status: 'expired', wagered: 0 });
    });

    test('when the player forfeits for a withdrawal, then the bonus is forfeited through payment and the wallet shows it gone', async () => {
      const { app, peers, player, bonus } = await withBonus(2_000);

      const res = await request(app).post(`/players/${player}/bonuses/active/forfeit`).send({ reason: 'withdrawal' });

      expect(res.status).toBe(200);
      expect(res.body.bonus).toMatchObject({ id: bonus.id, status: 'forfeited' });
      expect(res.body.wallet).toEqual({ currency: 'EUR', cash: 2_000, bonus: 0, total: 2_000 });
      expect(peers.callsOf('forfeitBonus')).toEqual([{ op: 'forfeitBonus', playerId: player, bonusId: bonus.id }]);
      expect(await active(app, player)).toBeNull();
    });

    test('when there is nothing to forfeit, then the answer is a null bonus and payment is not called', async () => {
      const { app, peers, player } = setup();

      const res = await request(app).post(`/players/${player}/bonuses/active/forfeit`).send({ reason: 'withdrawal' });

      expect(res.status).toBe(200);
      expect(res.body).toEqual({ bonus: null });
      expect(peers.calls).toEqual([]);
    });

    test('when the conversion fails once, then the next bet finishes it without converting twice', async () => {
      const { app, peers, player, bonus } = await withBonus();
      peers.outages.convertBonus = 1;

      const failed = await wager(app, player, 3_500);

      expect(failed.status).toBe(503);
      expect(failed.type).toBe('application/problem+json');
      expect(await active(app, player)).toMatchObject({ id: bonus.id, status: 'active', wagered: 3_500 });
      const next = await wager(app, player, 10);
      expect(next.status).toBe(200);
      expect(next.body.bonus).toMatchObject({ id: bonus.id, status: 'completed' });
      expect(next.body.wallet).toEqual({ currency: 'EUR', cash: 200, bonus: 0, total: 200 });
      expect(peers.moved('bonus_conversion')).toHaveLength(1);
      expect(peers.callsOf('convertBonus')).toHaveLength(2);
    });

    test('when the conversion fails and the same round is retried, then the retry finishes the conversion once', async () => {
      const { app, peers, player, bonus } = await withBonus();
      peers.outages.convertBonus = 1;
      const roundId = randomUUID();

      await wager(app, player, 3_500, roundId).expect(503);
      const retry = await wager(app, player, 3_500, roundId);

      expect(retry.status).toBe(200);
      expect(retry.body.bonus).toMatchObject({ id: bonus.id, status: 'completed', wagered: 3_500 });
      expect(peers.moved('bonus_conversion')).toHaveLength(1);
      expect(peers.wallet(player)).toMatchObject({ cash: 200, bonus: 0 });
    });
  });

  describe('bad input', () => {
    const player = '3f1c2a9e-8a47-4c1e-9d55-6f0b1d2e3a4b';
    const round = '9b2d6c1e-2f3a-4b5c-8d7e-1a2b3c4d5e6f';
    test.each([
      ['a player id that is not a uuid', () => ['get', '/players/not-a-uuid/bonuses/active']],
      ['a claim without an Idempotency-Key', () => ['post', `/players/${player}/bonuses`, { offerId: 'welcome-100' }, {}]],
      [
        'a claim with a too short Idempotency-Key',
        () => ['post', `/players/${player}/bonuses`, { offerId: 'welcome-100' }, { 'Idempotency-Key': 'abc' }],
      ],
      ['a claim with an extra field', () => ['post', `/players/${player}/bonuses`, { offerId: 'welcome-100', amount: 1_000_000 }]],
      ['a claim with an offer id that is not a catalogue id', () => ['post', `/players/${player}/bonuses`, { offerId: { $ne: null } }]],
      ['a wager with a negative stake', () => ['post', `/players/${player}/wagers`, { roundId: round, stake: -100 }]],
      ['a wager with a fractional stake', () => ['post', `/players/${player}/wagers`, { roundId: round, stake: 10.5 }]],
      ['a wager with a stake as a string', () => ['post', `/players/${player}/wagers`, { roundId: round, stake: '100' }]],
      ['a wager with a round id that is not a uuid', () => ['post', `/players/${player}/wagers`, { roundId: 'round-1', stake: 100 }]],
      ['a wager with an extra field', () => ['post', `/players/${player}/wagers`, { roundId: round, stake: 100, bonusId: round }]],
      ['a forfeit with an unknown reason', () => ['post', `/players/${player}/bonuses/active/forfeit`, { reason: 'bored' }]],
      ['a history with a limit of zero', () => ['get', `/players/${player}/bonuses?limit=0`]],
    ] as [string, () => [string, string, object?, Record<string, string>?]][])(
      'when the request has %s, then it is a 400 problem with a trace id',
      async (_what, build) => {
        const { app } = setup();
        const [method, path, body, headers = { 'Idempotency-Key': randomUUID() }] = build();

        const req = method === 'get' ? request(app).get(path) : request(app).post(path).set(headers).send(body);
        const res = await req;

        expect(res.status).toBe(400);
        expect(res.type).toBe('application/problem+json');
        expect(res.body).toMatchObject({ type: 'urn:casino:problem:invalid-request', status: 400, traceId: expect.any(String) });
        expect(res.body.errors.length).toBeGreaterThan(0);
      },
    );

    test('when the body is malformed JSON, then it is a 400 problem, not a 500', async () => {
      const { app, peers, player } = setup();

      const res = await request(app)
        .post(`/players/${player}/bonuses`)
        .set('Idempotency-Key', randomUUID())
        .set('Content-Type', 'application/json')
        .send('{"offerId": "welcome-100"');

      expect(res.status).toBe(400);
      expect(res.type).toBe('application/problem+json');
      expect(res.body).toMatchObject({ type: 'urn:casino:problem:invalid-request', traceId: expect.any(String) });
      expect(peers.calls).toEqual([]);
    });
  });
});
