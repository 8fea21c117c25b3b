import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { bearer, closeAll, closedUrl, expectObservedErrorsDocumented, expectProblem, gateway } from './harness';

afterEach(closeAll);
afterAll(expectObservedErrorsDocumented);

const elapsed = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
  const start = performance.now();
  const result = await work();
  return [result, performance.now() - start];
};

describe('gateway when an upstream fails', () => {
  describe('an upstream refuses the request', () => {
    test('when payment refuses a deposit with a 422 problem, then the player gets a 422 with the same type and detail', async () => {
      const g = await gateway();
      const detail = 'The deposit would take you over your daily deposit limit of 500.00 EUR.';
      g.fakes.payment.answer({
        status: 422,
        headers: { 'content-type': 'application/problem+json' },
        body: {
          type: 'urn:casino:problem:deposit-limit-exceeded',
          title: 'Deposit limit exceeded',
          status: 422,
          detail,
          traceId: '0'.repeat(32),
        },
      });

      const res = await request(g.app)
        .post('/api/v1/wallet/deposits')
        .set(bearer(g.playerToken(randomUUID())))
        .send({ amount: 600_00 });

      expectProblem(res, 422, 'deposit-limit-exceeded');
      expect(res.body).toMatchObject({ title: 'Deposit limit exceeded', detail });
      expect(res.body.traceId).not.toBe('0'.repeat(32));
      expect(g.fakes.payment.requests).toHaveLength(1);
    });

    test('when the game service says the game does not exist, then the player gets that 404', async () => {
      const g = await gateway();
      g.fakes.game.answer({
        status: 404,
        body: { type: 'urn:casino:problem:game-not-found', title: 'Not found', status: 404, detail: 'There is no game mega-reels.' },
      });

      const res = await request(g.app).get('/api/v1/games/mega-reels');

      expectProblem(res, 404, 'game-not-found');
      expect(res.body.detail).toBe('There is no game mega-reels.');
    });

    test('when a withdrawal is refused with field errors, then the player gets the same field errors', async () => {
      const g = await gateway();
      const errors = [{ path: 'amount', message: 'must be at most your cash balance' }];
      g.fakes.payment.answer({
        status: 409,
        body: {
          type: 'urn:casino:problem:bonus-wagering-open',
          title: 'Conflict',
          status: 409,
          detail: 'Forfeit the bonus first.',
          errors,
        },
      });

      const res = await request(g.app)
        .post('/api/v1/wallet/withdrawals')
        .set(bearer(g.playerToken(randomUUID())))
        .send({ amount: 100 });

      expectProblem(res, 409, 'bonus-wagering-open');
      expect(res.body.errors).toEqual(errors);
    });
  });

  describe('an upstream is down, slow or broken', () => {
    test.each([
      [
        'the wallet',
        'payment',
        (g: Awaited<ReturnType<typeof gateway>>) =>
          request(g.app)
            .get('/api/v1/wallet')
            .set(bearer(g.playerToken(randomUUID()))),
      ],
      [
        'a deposit',
        'payment',
        (g: Awaited<ReturnType<typeof gateway>>) =>
          request(g.app)
            .post('/api/v1/wallet/deposits')
            .set(bearer(g.playerToken(randomUUID())))
            .send({ amount: 100 }),
      ],
      [
        'a login',
        'user',
        (g: Awaited<ReturnType<typeof gateway>>) =>
          request(g.app).post('/api/v1/auth/login').send({ email: 'a@example.com', password: 'correct horse battery staple' }),
      ],
      ['the catalogue', 'game', (g: Awaited<ReturnType<typeof gateway>>) => request(g.app).get('/api/v1/games')],
    ] as const)(
      'when %s is asked for and the %s service is unreachable, then it is a quick 503 service-unavailable naming it',
      async (_what, service, send) => {
        const g = await gateway({ urls: { [service]: await closedUrl() } });

        const [res, ms] = await elapsed(() => send(g));

        expectProblem(res, 503, 'service-unavailable');
        expect(res.body.detail).toBe(`The ${service} service is unavailable.`);
        expect(ms).toBeLessThan(1_000);
      },
    );

    test('when the game service takes longer than DOWNSTREAM_TIMEOUT_MS on a spin, then the player gets a 504 within the timeout, and the spin is not retried', async () => {
      const g = await gateway({ env: { DOWNSTREAM_TIMEOUT_MS: '200' } });
      g.fakes.game.answer({ status: 201, body: { roundId: randomUUID() }, delayMs: 1_000 });

      const [res, ms] = await elapsed(() =>
        request(g.app)
          .post('/api/v1/games/lucky-sevens/spins')
          .set(bearer(g.playerToken(randomUUID())))
          .send({ stake: 100 }),
      );

      expectProblem(res, 504, 'upstream-timeout');
      expect(res.body.detail).toBe('The game service did not answer in time.');
      expect(ms).toBeGreaterThanOrEqual(150);
      expect(ms).toBeLessThan(800);
      expect(g.fakes.game.requests).toHaveLength(1);
    });

    test('when the wallet read is slow, then it is a 504 too', async () => {
      const g = await gateway({ env: { DOWNSTREAM_TIMEOUT_MS: '200' } });
      g.fakes.payment.answer({ status: 200, body: {}, delayMs: 1_000 });

      const [res, ms] = await elapsed(() =>
        request(g.app)
          .get('/api/v1/wallet')
          .set(bearer(g.playerToken(randomUUID()))),
      );

      expectProblem(res, 504, 'upstream-timeout');
      expect(ms).toBeLessThan(800);
    });

    test('when payment fails with a 500, then the player gets a 502 upstream-error, the failure is not retried, and the gateway logs it with the trace id', async () => {
      const g = await gateway();
      g.fakes.payment.answer({
        status: 500,
        body: { type: 'urn:casino:problem:internal', title: 'Internal error', status: 500, detail: 'Something went wrong on our side.' },
      });

      const res = await request(g.app)
        .post('/api/v1/wallet/deposits')
        .set(bearer(g.playerToken(randomUUID())))
        .send({ amount: 100 });

      expectProblem(res, 502, 'upstream-error');
      expect(res.body.detail).toContain('payment service failed');
      expect(g.fakes.payment.requests).toHaveLength(1);
      const errorLines = g.deps.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.level === 'error');
      expect(errorLines).toContainEqual(expect.objectContaining({ problem: 'upstream-error', trace_id: res.body.traceId }));
    });

    test('when an upstream answers an HTML page instead of JSON, then it is a 502 upstream-error', async () => {
      const g = await gateway();
      g.fakes.wager.answer({ status: 200, headers: { 'content-type': 'text/html' }, raw: '<html><body>Welcome to nginx!</body></html>' });

      const res = await request(g.app)
        .get('/api/v1/bonuses/offers')
        .set(bearer(g.playerToken(randomUUID())));

      expectProblem(res, 502, 'upstream-error');
      expect(res.body.detail).toBe('The wager service sent an unreadable answer.');
    });

    test('when an upstream sends its headers and then stalls past the timeout, then the player gets a 504 upstream-timeout', async () => {
      const g = await gateway({ env: { DOWNSTREAM_TIMEOUT_MS: '200' }, unobserved: true });
      g.fakes.game.answer({ status: 200, body: { items: [] }, stallBodyMs: 1_000 });

      const [res, ms] = await elapsed(() => request(g.app).get('/api/v1/games'));

      expect(ms).toBeLessThan(800);
      expectProblem(res, 504, 'upstream-timeout');
    });

    test('when payment keeps answering 503, then the wallet read is tried three times and the player gets a 503', async () => {
      const g = await gateway();
      g.fakes.payment.answer({ status: 503, body: { detail: 'draining' } });

      const res = await request(g.app)
        .get('/api/v1/wallet')
        .set(bearer(g.playerToken(randomUUID())));

      expectProblem(res, 503, 'service-unavailable');
      expect(g.fakes.payment.requests).toHaveLength(3);
    });
  });

  describe('retries', () => {
    test('when a wallet read fails with 503 once, then it is retried and the player gets the wallet', async () => {
      const g = await gateway();
      const wallet = { currency: 'EUR', cash: 4_200, bonus: 0, total: 4_200 };
      g.fakes.payment.answer({ status: 503, body: { detail: 'starting' } }, { status: 200, body: wallet });

      const res = await request(g.app)
        .get('/api/v1/wallet')
        .set(bearer(g.playerToken(randomUUID())));

      expect(res.status).toBe(200);
      expect(res.body).toEqual(wallet);
      expect(g.fakes.payment.requests).toHaveLength(2);
    });

    test('when the user service answers a login with 503 once, then the login is not retried, since it carries no idempotency key', async () => {
      const g = await gateway();
      g.fakes.user.answer(
        { status: 503, body: { detail: 'starting' } },
        { status: 200, body: { accessToken: 'a.b.c', tokenType: 'Bearer', expiresIn: 3600 } },
      );

      const res = await request(g.app)
        .post('/api/v1/auth/login')
        .send({ email: 'a@example.com', password: 'correct horse battery staple' });

      expectProblem(res, 503, 'service-unavailable');
      expect(g.fakes.user.requests).toHaveLength(1);
    });

    test.each([
      ['with the client key', { 'idempotency-key': 'deposit-retry-0001' }],
      ['with a generated key', {}],
    ])('when a deposit %s fails with 503 once, then it is retried with the same idempotency key and succeeds', async (_how, headers) => {
      const g = await gateway();
      const movement = {
        transaction: { id: randomUUID(), type: 'deposit', amount: 700 },
        wallet: { currency: 'EUR', cash: 700, bonus: 0, total: 700 },
      };
      g.fakes.payment.answer({ status: 503, body: { detail: 'starting' } }, { status: 201, body: movement });

      const res = await request(g.app)
        .post('/api/v1/wallet/deposits')
        .set({ ...bearer(g.playerToken(randomUUID())), ...headers })
        .send({ amount: 700 });

      expect(res.status).toBe(201);
      expect(res.body).toEqual(movement);
      const keys = g.fakes.payment.requests.map((r) => r.headers['idempotency-key']);
      expect(keys).toHaveLength(2);
      expect(keys[0]).toMatch(/^client:/);
      expect(keys[1]).toBe(keys[0]);
      expect(g.fakes.payment.requests.map((r) => r.body)).toEqual([{ amount: 700 }, { amount: 700 }]);
    });
  });
});
