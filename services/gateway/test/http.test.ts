import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { bearer, closeAll, expectObservedErrorsDocumented, expectProblem, gateway, TRACE_ID } from './harness';

afterEach(closeAll);
afterAll(expectObservedErrorsDocumented);

const BROWSER_HEADERS = ['authorization', 'content-type', 'idempotency-key', 'sentry-trace', 'baggage', 'traceparent'];
const list = (header: string | undefined) => (header ?? '').split(',').map((h) => h.trim().toLowerCase());

describe('gateway HTTP behaviour', () => {
  describe('CORS', () => {
    test('when a browser on another origin asks to POST a deposit with auth, idempotency and trace headers, then the preflight allows it', async () => {
      const g = await gateway();

      const res = await request(g.app)
        .options('/api/v1/wallet/deposits')
        .set('origin', 'https://casino.example')
        .set('access-control-request-method', 'POST')
        .set('access-control-request-headers', BROWSER_HEADERS.join(', '));

      expect(res.status).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(list(res.headers['access-control-allow-methods'])).toContain('post');
      expect(list(res.headers['access-control-allow-headers'])).toEqual(expect.arrayContaining(BROWSER_HEADERS));
      expect(res.headers['access-control-max-age']).toBe('600');
      expect(g.upstreamRequests()).toEqual([]);
    });

    test('when a browser reads an answer, then it may read the trace id, replay and rate-limit headers', async () => {
      const g = await gateway();

      const res = await request(g.app).get('/api/v1/games').set('origin', 'https://casino.example');

      expect(res.status).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBe('*');
      expect(list(res.headers['access-control-expose-headers'])).toEqual(
        expect.arrayContaining(['x-trace-id', 'idempotent-replayed', 'retry-after', 'www-authenticate']),
      );
    });

    test('when CORS_ORIGINS names the casino site, then only that origin is allowed', async () => {
      const g = await gateway({ env: { CORS_ORIGINS: 'https://casino.example, https://admin.casino.example' } });
      const preflight = (origin: string) =>
        request(g.app)
          .options('/api/v1/wallet')
          .set('origin', origin)
          .set('access-control-request-method', 'GET')
          .set('access-control-request-headers', 'authorization');

      const allowed = await preflight('https://casino.example');
      const other = await preflight('https://evil.example');

      expect(allowed.headers['access-control-allow-origin']).toBe('https://casino.example');
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
    });
  });

  describe('trace ids', () => {
    test('when anything is answered, success, problem, preflight or probe, then X-Trace-Id is a 32-hex trace id', async () => {
      const g = await gateway();
      const player = bearer(g.playerToken(randomUUID()));
      g.fakes.payment.answer({ status: 500, body: {} });

      const responses = [
        await request(g.app).get('/api/v1/games'),
        await request(g.app).get('/api/v1/wallet'),
        await request(g.app).get('/api/v1/rounds?limit=0').set(player),
        await request(g.app).post('/api/v1/wallet/deposits').set(player).send({ amount: 100 }),
        await request(g.app).get('/api/v1/nowhere'),
        await request(g.app)
          .post('/api/v1/wallet/deposits')
          .set(player)
          .send({ amount: 100, padding: 'x'.repeat(20_000) }),
        await request(g.app).options('/api/v1/wallet').set('origin', 'https://casino.example').set('access-control-request-method', 'GET'),
        await request(g.app).get('/healthz'),
        await request(g.app).get('/api-docs.json'),
      ];

      expect(responses.map((r) => r.status)).toEqual([200, 401, 400, 502, 404, 413, 204, 200, 200]);
      for (const res of responses) expect(res.headers['x-trace-id']).toMatch(TRACE_ID);
    });

    test.each([
      ['an unknown route', (g: Awaited<ReturnType<typeof gateway>>) => request(g.app).get('/api/v1/jackpots'), 404, 'route-not-found'],
      [
        'an unknown method on a known path',
        (g: Awaited<ReturnType<typeof gateway>>) =>
          request(g.app)
            .delete('/api/v1/wallet')
            .set(bearer(g.playerToken(randomUUID()))),
        404,
        'route-not-found',
      ],
      ['a request with no token', (g: Awaited<ReturnType<typeof gateway>>) => request(g.app).get('/api/v1/me'), 401, 'unauthorized'],
    ] as const)(
      'when the gateway answers %s with a problem, then the problem carries the same trace id as the header',
      async (_what, send, status, slug) => {
        const g = await gateway();

        const res = await send(g);

        expectProblem(res, status, slug);
      },
    );
  });

  describe('security headers', () => {
    test('when anything is answered, then it says nosniff and does not advertise Express', async () => {
      const g = await gateway();

      const res = await request(g.app).get('/api/v1/games');

      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-powered-by']).toBeUndefined();
    });
  });
});
