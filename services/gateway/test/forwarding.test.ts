import { randomUUID } from 'node:crypto';
import request from 'supertest';
import {
  bearer,
  call,
  closeAll,
  describeRoute,
  expectObservedErrorsDocumented,
  expectProblem,
  FORWARDED_ROUTES,
  gateway,
  KEYED_ROUTES,
  UPSTREAM_NAMES,
} from './harness';

afterEach(closeAll);
afterAll(expectObservedErrorsDocumented);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('gateway forwarding', () => {
  describe('each route', () => {
    test.each(FORWARDED_ROUTES.map((route) => [describeRoute(route), route] as const))(
      'when %s is called, then exactly its upstream gets the player-scoped request and its status and body come back',
      async (_name, route) => {
        const g = await gateway();
        const playerId = randomUUID();
        const answer = { answeredBy: route.upstream, marker: randomUUID() };
        g.fakes[route.upstream].answer({ status: 201, body: answer });

        const res = await call(g.app, route, { headers: bearer(g.playerToken(playerId)) });

        expect(res.status).toBe(201);
        expect(res.body).toEqual(answer);
        const expected = route.forwarded(playerId);
        const [seen, ...more] = g.fakes[route.upstream].requests;
        expect(more).toEqual([]);
        expect({ method: seen?.method, path: seen?.path, query: seen?.query }).toEqual({
          method: expected.method,
          path: expected.path,
          query: expected.query ?? {},
        });
        if (expected.body !== undefined) expect(seen?.body).toEqual(expected.body);
        for (const other of UPSTREAM_NAMES.filter((name) => name !== route.upstream)) expect(g.fakes[other].requests).toEqual([]);
      },
    );

    test('when the player omits the list limit, then the upstream is asked for the default 20', async () => {
      const g = await gateway();
      const playerId = randomUUID();

      await request(g.app)
        .get('/api/v1/wallet/transactions')
        .set(bearer(g.playerToken(playerId)))
        .expect(200);

      expect(g.fakes.payment.requests[0]?.query).toEqual({ limit: '20' });
    });

    test('when a player claims an offer with an empty JSON body, then the claim is forwarded with the offer id', async () => {
      const g = await gateway();
      const playerId = randomUUID();

      await request(g.app)
        .post('/api/v1/bonuses/offers/reload-50/claim')
        .set(bearer(g.playerToken(playerId)))
        .send({})
        .expect(200);

      expect(g.fakes.wager.requests[0]).toMatchObject({ path: `/players/${playerId}/bonuses`, body: { offerId: 'reload-50' } });
    });

    test('when an upstream answers 200 with a list, then the player gets the same list', async () => {
      const g = await gateway();
      const items = [
        { id: 'lucky-sevens', name: 'Lucky Sevens', minStake: 10, maxStake: 10_000, rtp: 96.1 },
        { id: 'fruit-frenzy', name: 'Fruit Frenzy', minStake: 20, maxStake: 5_000, rtp: 95.4 },
      ];
      g.fakes.game.answer({ status: 200, body: { items } });

      const res = await request(g.app).get('/api/v1/games');

      expect(res.status).toBe(200);
      expect(res.type).toBe('application/json');
      expect(res.body).toEqual({ items });
    });
  });

  describe('player isolation', () => {
    test('when two players call the same routes, then each reaches only their own data', async () => {
      const g = await gateway();
      const alice = randomUUID();
      const bob = randomUUID();

      await request(g.app)
        .get('/api/v1/wallet')
        .set(bearer(g.playerToken(alice)))
        .expect(200);
      await request(g.app)
        .get('/api/v1/wallet')
        .set(bearer(g.playerToken(bob)))
        .expect(200);
      await request(g.app)
        .post('/api/v1/wallet/deposits')
        .set(bearer(g.playerToken(bob)))
        .send({ amount: 100 })
        .expect(200);

      expect(g.fakes.payment.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
        `GET /wallets/${alice}`,
        `GET /wallets/${bob}`,
        `POST /wallets/${bob}/deposits`,
      ]);
    });

    test('when a player names another player in the query or body, then it is ignored or refused and never reaches the other player', async () => {
      const g = await gateway();
      const alice = randomUUID();
      const bob = randomUUID();
      const token = bearer(g.playerToken(alice));

      await request(g.app).get(`/api/v1/wallet?playerId=${bob}`).set(token).expect(200);
      await request(g.app).get('/api/v1/me').set(token).send({ playerId: bob }).expect(200);
      const inQuery = await request(g.app).get(`/api/v1/wallet/transactions?playerId=${bob}`).set(token);
      const inBody = await request(g.app).post('/api/v1/wallet/deposits').set(token).send({ amount: 100, playerId: bob });

      expectProblem(inQuery, 400, 'invalid-request');
      expectProblem(inBody, 400, 'invalid-request');
      const seen = g.upstreamRequests();
      expect(seen.map((r) => r.path).sort()).toEqual([`/players/${alice}`, `/wallets/${alice}`]);
      expect(JSON.stringify(seen.map((r) => [r.path, r.query, r.body]))).not.toContain(bob);
    });

    test.each([
      ['the wallet', (id: string) => `/api/v1/wallets/${id}`],
      ['the profile', (id: string) => `/api/v1/players/${id}`],
      ['the rounds', (id: string) => `/api/v1/players/${id}/rounds`],
    ])("when a player asks for another player's %s by id, then there is no such route", async (_what, path) => {
      const g = await gateway();

      const res = await request(g.app)
        .get(path(randomUUID()))
        .set(bearer(g.playerToken(randomUUID())));

      expectProblem(res, 404, 'route-not-found');
      expect(g.upstreamRequests()).toEqual([]);
    });
  });

  describe('idempotency', () => {
    const keyed = KEYED_ROUTES.map((route) => [describeRoute(route), route] as const);

    test.each(keyed)('when %s carries an Idempotency-Key, then the upstream gets it as client:<key>', async (_name, route) => {
      const g = await gateway();

      await call(g.app, route, { headers: { ...bearer(g.playerToken(randomUUID())), 'idempotency-key': 'order-2026-0001' } }).expect(200);

      expect(g.fakes[route.upstream].requests.map((r) => r.headers['idempotency-key'])).toEqual(['client:order-2026-0001']);
    });

    test.each(keyed)('when %s carries no key, then each request gets a fresh client:<uuid> key', async (_name, route) => {
      const g = await gateway();
      const token = bearer(g.playerToken(randomUUID()));

      await call(g.app, route, { headers: token }).expect(200);
      await call(g.app, route, { headers: token }).expect(200);

      const keys = g.fakes[route.upstream].requests.map((r) => String(r.headers['idempotency-key']));
      expect(keys).toHaveLength(2);
      for (const key of keys) expect(key.replace(/^client:/, '')).toMatch(UUID);
      expect(keys.every((key) => key.startsWith('client:'))).toBe(true);
      expect(keys[0]).not.toBe(keys[1]);
    });

    // What the IETF draft allows: printable ASCII; a structured-field string keeps its quotes.
    const goodKeys = [
      ['one character', 'x'],
      ['an at sign, a hash and a slash', 'order@2026#1/a'],
      ['spaces', 'order 2026 0001'],
      ['a quoted string', '"8e03978e-40d5-43e8-bc93-6894a57f9324"'],
      ['255 characters', 'k'.repeat(255)],
    ];
    test.each(goodKeys.map(([what, key]) => [what, key!] as const))(
      'when a deposit carries an Idempotency-Key with %s, then it is accepted and passed on as client:<key>',
      async (_what, key) => {
        const g = await gateway();

        await request(g.app)
          .post('/api/v1/wallet/deposits')
          .set({ ...bearer(g.playerToken(randomUUID())), 'idempotency-key': key })
          .send({ amount: 500 })
          .expect(200);

        expect(g.fakes.payment.requests.map((r) => r.headers['idempotency-key'])).toEqual([`client:${key}`]);
      },
    );

    const badKeys = [
      ['too long', 'k'.repeat(256)],
      ['a tab', 'order\t2026'],
      ['a non-ASCII letter', 'bestellung-ü-0001'],
      ['empty', ''],
    ];
    test.each(KEYED_ROUTES.flatMap((route) => badKeys.map(([what, key]) => [describeRoute(route), what, key!, route] as const)))(
      'when %s carries an Idempotency-Key that is %s, then it is a 400 problem naming the header and nothing is forwarded',
      async (_name, _what, key, route) => {
        const g = await gateway();

        const res = await call(g.app, route, { headers: { ...bearer(g.playerToken(randomUUID())), 'idempotency-key': key } });

        expectProblem(res, 400, 'invalid-request');
        expect(res.body.detail).toMatch(
          /^The Idempotency-Key header is invalid: Idempotency-Key: must be 1–255 printable ASCII characters/,
        );
        expect(res.body.errors).toEqual([{ path: 'Idempotency-Key', message: 'must be 1–255 printable ASCII characters' }]);
        expect(g.upstreamRequests()).toEqual([]);
      },
    );

    test('when the upstream answers a replay, then the player sees Idempotent-Replayed: true with the first result', async () => {
      const g = await gateway();
      const first = {
        transaction: { id: randomUUID(), type: 'deposit', amount: 500 },
        wallet: { currency: 'EUR', cash: 500, bonus: 0, total: 500 },
      };
      g.fakes.payment.answer({ status: 201, body: first }, { status: 201, body: first, headers: { 'idempotent-replayed': 'true' } });
      const headers = { ...bearer(g.playerToken(randomUUID())), 'idempotency-key': 'deposit-0000-0001' };

      const original = await request(g.app).post('/api/v1/wallet/deposits').set(headers).send({ amount: 500 });
      const replay = await request(g.app).post('/api/v1/wallet/deposits').set(headers).send({ amount: 500 });

      expect(original.status).toBe(201);
      expect(original.headers['idempotent-replayed']).toBeUndefined();
      expect(replay.status).toBe(201);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body).toEqual(original.body);
      expect(g.fakes.payment.requests.map((r) => r.headers['idempotency-key'])).toEqual([
        'client:deposit-0000-0001',
        'client:deposit-0000-0001',
      ]);
    });
  });
});
