import { randomUUID } from 'node:crypto';
import { asItsCallers, testDeps } from '@casino/shared/testing';
import type { Express } from 'express';
import request from 'supertest';
import { gameCallers } from '../src/api/callers';
import { createApp } from '../src/app';
import { type Rng, seededRng } from '../src/domain/slots';
import { FakeGamePeers, scriptedRng } from './fake-peers';

/** lucky-sevens stops: three 7s on the middle line (50x), and a line that pays nothing. */
const SEVENS = [19, 19, 19];
const BLANK = [1, 1, 1];

function setup(options: { rng?: Rng; cash?: number } = {}) {
  let tick = Date.parse('2026-03-01T12:00:00Z');
  const peers = new FakeGamePeers(options.cash);
  const app = asItsCallers(
    createApp({ ...testDeps('game'), peers, rng: options.rng ?? seededRng(42), now: () => new Date((tick += 1_000)) }),
    'game',
    gameCallers,
  );
  return { app, peers, player: randomUUID() };
}

const spinAt = (app: Express, player: string, stake: number, key: string = randomUUID(), game = 'lucky-sevens') =>
  request(app).post(`/players/${player}/games/${game}/spins`).set('Idempotency-Key', key).send({ stake });

const problem = (slug: string, status: number) => ({ type: `urn:casino:problem:${slug}`, status, traceId: expect.any(String) });

describe('game service', () => {
  describe('catalogue', () => {
    test('when the games are listed, then each shows its stakes and stated RTP', async () => {
      const { app } = setup();

      const res = await request(app).get('/games');

      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([
        { id: 'lucky-sevens', name: 'Lucky Sevens', minStake: 10, maxStake: 10_000, stakeStep: 1, rtp: 96.03 },
        { id: 'fruit-fiesta', name: 'Fruit Fiesta', minStake: 10, maxStake: 5_000, stakeStep: 5, rtp: 96.11 },
      ]);
    });

    test('when an unknown game is asked for, then it is a 404 game-not-found', async () => {
      const { app } = setup();

      const res = await request(app).get('/games/space-invaders');

      expect(res.status).toBe(404);
      expect(res.body).toMatchObject(problem('game-not-found', 404));
    });
  });

  describe('a spin', () => {
    test('when a player wins, then status, debit, credit and wager are called in that order and the answer shows the win and the wallet', async () => {
      const { app, peers, player } = setup({ rng: scriptedRng(SEVENS) });

      const res = await spinAt(app, player, 100);

      expect(res.status).toBe(201);
      expect(res.body).toEqual({
        roundId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        gameId: 'lucky-sevens',
        stake: 100,
        win: 5_000,
        reels: [
          ['PLUM', '7', 'CHERRY'],
          ['LEMON', '7', 'LEMON'],
          ['CHERRY', '7', 'BAR'],
        ],
        lines: [{ line: 1, symbols: ['7', '7', '7'], multiplier: 50, win: 5_000 }],
        wallet: { currency: 'EUR', cash: 14_900, bonus: 0, total: 14_900 },
      });
      expect(res.body.wallet).toEqual(peers.wallet);
      expect(peers.ops()).toEqual(['playerStatus', 'debit', 'credit', 'recordWager']);
      expect(peers.calls.slice(1).every((c) => c.roundId === res.body.roundId)).toBe(true);
      expect(peers.wagers).toEqual([{ roundId: res.body.roundId, stake: 100 }]);
    });

    test('when a player loses, then no credit is made and the wallet is down by the stake', async () => {
      const { app, peers, player } = setup({ rng: scriptedRng(BLANK) });

      const res = await spinAt(app, player, 250);

      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ win: 0, lines: [], wallet: { cash: 9_750, total: 9_750 } });
      expect(res.body.reels).toHaveLength(3);
      expect(res.body.reels.every((r: string[]) => r.length === 3)).toBe(true);
      expect(peers.ops()).toEqual(['playerStatus', 'debit', 'recordWager']);
      expect(peers.wallet.cash).toBe(9_750);
    });

    test.each([
      ['below the minimum', 9],
      ['above the maximum', 10_001],
    ])('when the stake is %s, then it is a 422 stake-out-of-range and no money moves', async (_what, stake) => {
      const { app, peers, player } = setup();

      const res = await spinAt(app, player, stake);

      expect(res.status).toBe(422);
      expect(res.type).toBe('application/problem+json');
      expect(res.body).toMatchObject(problem('stake-out-of-range', 422));
      expect(res.body.detail).toContain('0.10 EUR to 100.00 EUR');
      expect(peers.calls).toEqual([]);
      expect(peers.wallet.cash).toBe(10_000);
    });

    test('when a five-line game gets a stake that is not a multiple of five cents, then it is a 422 invalid-stake and no money moves', async () => {
      const { app, peers, player } = setup();

      const res = await spinAt(app, player, 12, randomUUID(), 'fruit-fiesta');

      expect(res.status).toBe(422);
      expect(res.body).toMatchObject(problem('invalid-stake', 422));
      expect(res.body.detail).toContain('steps of 0.05 EUR');
      expect(peers.calls).toEqual([]);
      expect(peers.wallet.cash).toBe(10_000);
    });

    test('when the game does not exist, then it is a 404 and nobody is called', async () => {
      const { app, peers, player } = setup();

      const res = await spinAt(app, player, 100, randomUUID(), 'space-invaders');

      expect(res.status).toBe(404);
      expect(res.body).toMatchObject(problem('game-not-found', 404));
      expect(peers.calls).toEqual([]);
    });

    test('when the player is self-excluded, then it is a 403 before any money moves', async () => {
      const { app, peers, player } = setup();
      peers.status = 'self_excluded';

      const res = await spinAt(app, player, 100);

      expect(res.status).toBe(403);
      expect(res.body).toMatchObject(problem('self-excluded', 403));
      expect(peers.ops()).toEqual(['playerStatus']);
      expect(peers.wallet.cash).toBe(10_000);
      expect((await request(app).get(`/players/${player}/rounds`)).body.items).toEqual([]);
    });

    test('when the wallet cannot cover the stake, then it is a 422 insufficient-funds and a replay answers the same without asking payment again', async () => {
      const { app, peers, player } = setup({ cash: 50 });
      const key = randomUUID();

      const res = await spinAt(app, player, 100, key);
      const again = await spinAt(app, player, 100, key);

      expect(res.status).toBe(422);
      expect(res.body).toMatchObject({ ...problem('insufficient-funds', 422), title: 'Insufficient funds' });
      expect(again.status).toBe(422);
      expect({ ...again.body, traceId: null }).toEqual({ ...res.body, traceId: null });
      expect(peers.ops()).toEqual(['playerStatus', 'debit']);
      expect(peers.wallet.cash).toBe(50);
      expect((await request(app).get(`/players/${player}/rounds`)).body.items).toEqual([]);
    });

    test('when payment is down at the debit, then it is a 503, and a replay after the outage takes the stake exactly once', async () => {
      const { app, peers, player } = setup({ rng: scriptedRng(BLANK) });
      const key = randomUUID();
      peers.down.debit = true;

      const failed = await spinAt(app, player, 100, key);
      peers.down.debit = false;
      const resumed = await spinAt(app, player, 100, key);

      expect(failed.status).toBe(503);
      expect(failed.type).toBe('application/problem+json');
      expect(resumed.status).toBe(201);
      expect(resumed.headers['idempotent-replayed']).toBe('true');
      expect(resumed.body).toMatchObject({ stake: 100, win: 0, wallet: { cash: 9_900 } });
      expect(peers.bets).toEqual(new Map([[resumed.body.roundId, 100]]));
      expect(peers.wallet.cash).toBe(9_900);
      expect(peers.ops()).toEqual(['playerStatus', 'debit', 'debit', 'recordWager']);
    });

    test('when payment is down at the credit after a win, then it is a 503, and a replay pays the win exactly once with the same reels', async () => {
      // The first draw wins; any later draw would lose, so a redraw would show.
      const { app, peers, player } = setup({ rng: scriptedRng(SEVENS, BLANK) });
      const key = randomUUID();
      peers.down.credit = true;

      const failed = await spinAt(app, player, 100, key);
      expect(peers.wallet.cash).toBe(9_900);
      peers.down.credit = false;
      const resumed = await spinAt(app, player, 100, key);
      const settled = await spinAt(app, player, 100, key);

      expect(failed.status).toBe(503);
      expect(resumed.status).toBe(201);
      expect(resumed.body.win).toBe(5_000);
      expect(resumed.body.reels.map((r: string[]) => r[1])).toEqual(['7', '7', '7']);
      expect(resumed.body.wallet).toEqual({ currency: 'EUR', cash: 14_900, bonus: 0, total: 14_900 });
      expect(settled.body).toEqual(resumed.body);
      expect(peers.wins).toEqual(new Map([[resumed.body.roundId, 5_000]]));
      expect(peers.bets.size).toBe(1);
      expect(peers.wallet.cash).toBe(14_900);
    });

    test('when a settled spin is replayed, then the identical answer comes back marked as a replay and no service is called', async () => {
      const { app, peers, player } = setup({ rng: scriptedRng(SEVENS) });
      const key = randomUUID();
      const first = await spinAt(app, player, 100, key).expect(201);
      const callsBefore = peers.calls.length;

      const again = await spinAt(app, player, 100, key);

      expect(again.status).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      expect(again.body).toEqual(first.body);
      expect(peers.calls).toHaveLength(callsBefore);
      expect(peers.wallet.cash).toBe(14_900);
    });

    test('when the same key comes with a different stake, then it is a 422 idempotency-key-reused and no money moves', async () => {
      const { app, peers, player } = setup({ rng: scriptedRng(BLANK) });
      const key = randomUUID();
      await spinAt(app, player, 100, key).expect(201);

      const res = await spinAt(app, player, 200, key);
      const otherGame = await spinAt(app, player, 100, key, 'fruit-fiesta');

      expect(res.status).toBe(422);
      expect(res.body).toMatchObject(problem('idempotency-key-reused', 422));
      expect(otherGame.status).toBe(422);
      expect(otherGame.body.type).toBe('urn:casino:problem:idempotency-key-reused');
      expect(peers.bets.size).toBe(1);
      expect(peers.wallet.cash).toBe(9_900);
    });

    test('when wager is down, then the spin still settles with 201 and the money is right', async () => {
      const { app, peers, player } = setup({ rng: scriptedRng(SEVENS) });
      peers.down.recordWager = true;

      const res = await spinAt(app, player, 100);

      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ win: 5_000, wallet: { cash: 14_900, total: 14_900 } });
      expect(peers.wallet.cash).toBe(14_900);
      expect(peers.ops()).toEqual(['playerStatus', 'debit', 'credit', 'recordWager']);
      expect((await request(app).get(`/players/${player}/rounds`)).body.items).toHaveLength(1);
    });

    test('when 20 identical requests with one key arrive at once, then the stake is taken once, all answer the same round and all but one say they replayed', async () => {
      const { app, peers, player } = setup({ rng: scriptedRng(SEVENS, BLANK) });
      const key = randomUUID();

      const answers = await Promise.all(Array.from({ length: 20 }, () => spinAt(app, player, 100, key)));

      expect(answers.map((r) => r.status)).toEqual(Array(20).fill(201));
      expect(new Set(answers.map((r) => r.body.roundId)).size).toBe(1);
      expect(new Set(answers.map((r) => JSON.stringify(r.body))).size).toBe(1);
      expect(answers.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(19);
      expect(peers.bets.size).toBe(1);
      expect(peers.wins.size).toBe(1);
      expect(peers.wallet.cash).toBe(10_000 - 100 + answers[0]!.body.win);
      expect((await request(app).get(`/players/${player}/rounds`)).body.items).toHaveLength(1);
    });
  });

  describe('round history', () => {
    test('when a player has played three spins, then their settled rounds are listed newest first', async () => {
      const { app, player } = setup({ rng: scriptedRng(BLANK) });
      const stakes = [100, 200, 300];
      const roundIds: string[] = [];
      for (const stake of stakes) roundIds.push((await spinAt(app, player, stake).expect(201)).body.roundId);

      const res = await request(app).get(`/players/${player}/rounds`);

      expect(res.status).toBe(200);
      expect(res.body.items.map((r: { roundId: string }) => r.roundId)).toEqual([...roundIds].reverse());
      expect(res.body.items[0]).toEqual({
        roundId: roundIds[2],
        gameId: 'lucky-sevens',
        stake: 300,
        win: 0,
        reels: expect.any(Array),
        createdAt: expect.any(String),
      });
      const times = res.body.items.map((r: { createdAt: string }) => Date.parse(r.createdAt));
      expect(times).toEqual([...times].sort((a, b) => b - a));
    });

    test('when a limit is given, then only that many of the newest rounds come back, and other players see none', async () => {
      const { app, player } = setup({ rng: scriptedRng(BLANK) });
      for (let i = 0; i < 3; i++) await spinAt(app, player, 100).expect(201);

      const limited = await request(app).get(`/players/${player}/rounds?limit=2`);
      const stranger = await request(app).get(`/players/${randomUUID()}/rounds`);

      expect(limited.body.items).toHaveLength(2);
      expect(stranger.body).toEqual({ items: [] });
    });
  });

  describe('bad input', () => {
    const player = '3f1c2a9e-8a47-4c1e-9d55-6f0b1d2e3a4b';
    const spinPath = `/players/${player}/games/lucky-sevens/spins`;
    test.each<[string, string, unknown, Record<string, string>]>([
      [
        'a player id that is not a uuid',
        '/players/not-a-uuid/games/lucky-sevens/spins',
        { stake: 100 },
        { 'Idempotency-Key': randomUUID() },
      ],
      [
        'a game id that is not a catalogue id',
        `/players/${player}/games/Lucky_Sevens/spins`,
        { stake: 100 },
        { 'Idempotency-Key': randomUUID() },
      ],
      ['no Idempotency-Key', spinPath, { stake: 100 }, {}],
      ['an Idempotency-Key with a tab', spinPath, { stake: 100 }, { 'Idempotency-Key': 'not a\tvalid key' }],
      ['a negative stake', spinPath, { stake: -100 }, { 'Idempotency-Key': randomUUID() }],
      ['a fractional stake', spinPath, { stake: 99.5 }, { 'Idempotency-Key': randomUUID() }],
      ['a stake as a string', spinPath, { stake: '100' }, { 'Idempotency-Key': randomUUID() }],
      ['no stake', spinPath, {}, { 'Idempotency-Key': randomUUID() }],
      ['an extra field', spinPath, { stake: 100, win: 1_000_000 }, { 'Idempotency-Key': randomUUID() }],
    ])('when a spin has %s, then it is a 400 problem and nobody is called', async (_what, path, body, headers) => {
      const { app, peers } = setup();

      const res = await request(app)
        .post(path)
        .set(headers)
        .send(body as object);

      expect(res.status).toBe(400);
      expect(res.type).toBe('application/problem+json');
      expect(res.body).toMatchObject(problem('invalid-request', 400));
      expect(res.body.errors.length).toBeGreaterThan(0);
      expect(peers.calls).toEqual([]);
    });

    test('when a spin body is malformed JSON, then it is a 400 problem, not a 500', async () => {
      const { app, peers, player: id } = setup();

      const res = await request(app)
        .post(`/players/${id}/games/lucky-sevens/spins`)
        .set('Idempotency-Key', randomUUID())
        .set('Content-Type', 'application/json')
        .send('{"stake": 1');

      expect(res.status).toBe(400);
      expect(res.body).toMatchObject(problem('invalid-request', 400));
      expect(peers.calls).toEqual([]);
    });

    test.each([
      ['a limit that is not a number', '?limit=abc'],
      ['a limit over 100', '?limit=101'],
      ['an unknown query field', '?status=failed'],
    ])('when the round history has %s, then it is a 400 problem', async (_what, query) => {
      const { app, player: id } = setup();

      const res = await request(app).get(`/players/${id}/rounds${query}`);

      expect(res.status).toBe(400);
      expect(res.body).toMatchObject(problem('invalid-request', 400));
    });
  });

  describe('retention', () => {
    test('when RETAIN_RECORDS is 2 and ten minutes pass, then the background pass keeps the two newest rounds and reconciliation still counts all four', async () => {
      let at = Date.parse('2026-03-01T12:00:00Z');
      let stopped = false;
      const deps = { ...testDeps('game', { env: { RETAIN_RECORDS: '2' } }), draining: () => stopped };
      const app = asItsCallers(
        createApp({ ...deps, peers: new FakeGamePeers(), rng: seededRng(42), now: () => new Date((at += 1)), retainEveryMs: 20 }),
        'game',
        gameCallers,
      );
      const player = randomUUID();
      for (let i = 0; i < 4; i++) expect((await spinAt(app, player, 100)).status).toBe(201);
      const listed = async () => (await request(app).get(`/players/${player}/rounds`)).body.items.length as number;
      expect(await listed()).toBe(4);

      at += 10 * 60_000;
      for (let waited = 0; (await listed()) > 2 && waited < 2_000; waited += 20) await new Promise((r) => setTimeout(r, 20));

      expect(await listed()).toBe(2);
      expect((await request(app).get('/reconciliation')).body).toMatchObject({ rounds: 4, bets: 4, differences: [] });
      expect(deps.logs.join('\n')).toContain('retired the oldest rounds into carried totals');
      stopped = true; // the pass stops once the service drains
    });
  });
});
