import { randomUUID } from 'node:crypto';
import { seededRng, unit } from '@casino/shared';
import type { Express } from 'express';
import request from 'supertest';
import { DECK_SIZE, ProviderFailures } from '../../src/scenarios/provider-failures';
import { newKey, newPlayer, setup } from '../support';

const seeded = (seed: number) => {
  const rng = seededRng(seed);
  return () => unit(rng);
};

/** Decides `count` new bets and counts what the provider did. */
function deal(failures: ProviderFailures, rate: number, count: number) {
  const seen = { decline: 0, timeout: 0, through: 0 };
  for (let i = 0; i < count; i++) seen[failures.decide(`bet-${randomUUID()}`, rate).failure ?? 'through']++;
  return seen;
}

describe('the simulated payment provider', () => {
  test.each([0, 0.1, 0.3, 0.5, 1])('when bets are dealt at rate %s, then each deck of twenty fails exactly rate × 20 of them', (rate) => {
    const failures = new ProviderFailures(seeded(1));
    for (let deck = 0; deck < 15; deck++) {
      const { decline, timeout } = deal(failures, rate, DECK_SIZE);

      expect(decline + timeout).toBe(Math.round(rate * DECK_SIZE));
    }
  });

  test('when the rate is not a multiple of 1/20, then the fraction carries over and the ratio stays the rate', () => {
    const { decline, timeout } = deal(new ProviderFailures(seeded(2)), 0.33, 2_000);

    expect(Math.abs(decline + timeout - 660)).toBeLessThanOrEqual(1);
  });

  test('when bets fail, then about half are declines and half timeouts', () => {
    const { decline, timeout } = deal(new ProviderFailures(seeded(3)), 0.5, 2_000);

    expect(decline / (decline + timeout)).toBeGreaterThan(0.45);
    expect(decline / (decline + timeout)).toBeLessThan(0.55);
  });

  test('when a bet is asked about again, then it gets the same answer, says so, and takes no turn from the deck', () => {
    const failures = new ProviderFailures(seeded(4));
    const first = failures.decide('bet-1', 0.3);
    for (let i = 0; i < 50; i++) expect(failures.decide('bet-1', 0.3)).toEqual({ failure: first.failure, again: true });

    expect(first.again).toBe(false);
    const rest = deal(failures, 0.3, DECK_SIZE - 1);
    expect(rest.decline + rest.timeout + (first.failure ? 1 : 0)).toBe(6);
  });

  test('when it is reset, then earlier bets are decided afresh', () => {
    const failures = new ProviderFailures(seeded(5));
    failures.decide('bet-1', 1);
    failures.reset();

    expect(failures.decide('bet-1', 0)).toEqual({ failure: null, again: false });
  });
});

describe('stake debits while payment-failures is on', () => {
  const bet = (app: Express, player: string, key: string, roundId = randomUUID()) =>
    request(app).post(`/wallets/${player}/bets`).set('Idempotency-Key', key).send({ amount: 500, roundId, gameId: 'lucky-sevens' });
  const switchTo = (app: Express, state: object) => request(app).put('/internal/scenarios').send(state).expect(200);

  async function funded() {
    const { app, stored } = setup();
    const player = newPlayer();
    await request(app).post(`/wallets/${player}/deposits`).set('Idempotency-Key', newKey()).send({ amount: 1_000 }).expect(201);
    return { app, stored, player };
  }

  test('when the provider fails a bet, then it answers a 502 or 503 problem, moves no money, and every retry answers the same', async () => {
    const { app, stored, player } = await funded();
    await switchTo(app, { 'payment-failures': { enabled: true, params: { rate: 1 } } });
    const key = newKey('round');
    const roundId = randomUUID();

    const first = await bet(app, player, key, roundId);
    const retries = await Promise.all([1, 2, 3].map(() => bet(app, player, key, roundId)));

    expect([502, 503]).toContain(first.status);
    expect(first.type).toBe('application/problem+json');
    expect(first.body.type).toMatch(/^urn:casino:problem:payment-provider-(declined|timeout)$/);
    for (const retry of retries) expect([retry.status, retry.body.type]).toEqual([first.status, first.body.type]);
    expect(await stored.entries.find({ walletId: player, type: 'bet' })).toEqual([]);
    expect((await request(app).get(`/wallets/${player}`).expect(200)).body.total).toBe(1_000);
  });

  test('when a bet the ledger already took is retried with the scenario on, then it replays as taken', async () => {
    const { app, player } = await funded();
    const key = newKey('round');
    const roundId = randomUUID();
    const taken = await bet(app, player, key, roundId).expect(201);
    await switchTo(app, { 'payment-failures': { enabled: true, params: { rate: 1 } } });

    const replay = await bet(app, player, key, roundId).expect(201);

    expect(replay.headers['idempotent-replayed']).toBe('true');
    expect(replay.body.transaction.id).toBe(taken.body.transaction.id);
  });

  test('when it is switched off, then a bet the provider failed goes through on its next retry', async () => {
    const { app, player } = await funded();
    const key = newKey('round');
    const roundId = randomUUID();
    await switchTo(app, { 'payment-failures': { enabled: true, params: { rate: 1 } } });
    expect((await bet(app, player, key, roundId)).status).toBeGreaterThanOrEqual(502);
    await switchTo(app, {});

    const retry = await bet(app, player, key, roundId).expect(201);

    expect(retry.body.wallet.total).toBe(500);
  });
});
