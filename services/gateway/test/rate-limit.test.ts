import { randomUUID } from 'node:crypto';
import type { RequestListener } from 'node:http';
import { type Cache, RedisCache } from '@casino/shared';
import { testDeps } from '@casino/shared/testing';
import request from 'supertest';
import { closeAll, closedUrl, expectObservedErrorsDocumented, expectProblem, gateway } from './harness';

afterEach(closeAll);
afterAll(expectObservedErrorsDocumented);

const LIMIT = { RATE_LIMIT_AUTH_PER_MINUTE: '3' };
const REDIS_URL = 'redis://127.0.0.1:6379';
const credentials = { email: 'ada@example.com', password: 'correct horse battery staple' };
const login = (app: RequestListener) => request(app).post('/api/v1/auth/login').send(credentials);

const caches: Cache[] = [];
afterEach(async () => {
  await Promise.all(caches.splice(0).map((cache) => cache.close()));
});

/** A RedisCache in the given namespace, once it answers. */
async function redisCache(namespace: string): Promise<RedisCache> {
  const cache = new RedisCache(REDIS_URL, namespace, testDeps('gateway').logger);
  caches.push(cache);
  for (const start = Date.now(); cache.status() !== 'ready';) {
    if (Date.now() - start > 3_000) throw new Error(`Redis at ${REDIS_URL} is not ready; these tests need it`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return cache;
}

function expectRateLimited(res: Awaited<ReturnType<typeof login>>): void {
  expectProblem(res, 429, 'rate-limited');
  expect(res.body.detail).toBe('At most 3 sign-up or login attempts a minute; wait and retry.');
  const retryAfter = Number(res.headers['retry-after']);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(60);
}

describe('gateway rate limit on sign-up and login', () => {
  describe('counted in the process (no Redis)', () => {
    test('when a client logs in a fourth time within a minute, then it is a 429 rate-limited problem with Retry-After, and the user service never sees it', async () => {
      const g = await gateway({ env: LIMIT });
      g.fakes.user.answer({ status: 200, body: { accessToken: 'a.b.c', tokenType: 'Bearer', expiresIn: 3600 } });

      const allowed = [await login(g.app), await login(g.app), await login(g.app)];
      const fourth = await login(g.app);

      expect(allowed.map((r) => r.status)).toEqual([200, 200, 200]);
      expect(allowed.map((r) => r.headers.ratelimit)).toEqual([
        expect.stringContaining('r=2'),
        expect.stringContaining('r=1'),
        expect.stringContaining('r=0'),
      ]);
      expectRateLimited(fourth);
      expect(g.fakes.user.requests).toHaveLength(3);
    });

    test('when a client registers twice and logs in once, then the next sign-up is refused: both share one budget', async () => {
      const g = await gateway({ env: LIMIT });
      const register = () =>
        request(g.app)
          .post('/api/v1/auth/register')
          .send({ ...credentials, email: `p-${randomUUID().slice(0, 8)}@example.com` });

      await register().expect(200);
      await register().expect(200);
      await login(g.app).expect(200);
      const fourth = await register();

      expectRateLimited(fourth);
    });

    test('when the sign-up budget is spent, then the rest of the API still answers', async () => {
      const g = await gateway({ env: LIMIT });
      for (let i = 0; i < 4; i++) await login(g.app);

      const games = await request(g.app).get('/api/v1/games');

      expect(games.status).toBe(200);
    });

    test('when two gateways count in their own processes, then each has its own budget', async () => {
      const a = await gateway({ env: LIMIT });
      const b = await gateway({ env: LIMIT });
      for (let i = 0; i < 3; i++) await login(a.app).expect(200);

      const onB = await login(b.app);

      expect(onB.status).toBe(200);
    });

    test('when clients come through a trusted proxy, then each client address has its own budget', async () => {
      const g = await gateway({ env: LIMIT });
      const from = (ip: string) => login(g.app).set('x-forwarded-for', ip);

      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await from('203.0.113.7')).status);
      const other = await from('198.51.100.9');

      expect(statuses).toEqual([200, 200, 200, 429]);
      expect(other.status).toBe(200);
    });

    test('when no proxy is trusted (TRUST_PROXY=false), then X-Forwarded-For is ignored and cannot buy a fresh budget', async () => {
      const g = await gateway({ env: { ...LIMIT, TRUST_PROXY: 'false' } });
      const statuses = [];
      for (const ip of ['203.0.113.1', '203.0.113.2', '203.0.113.3', '203.0.113.4'])
        statuses.push((await login(g.app).set('x-forwarded-for', ip)).status);

      expect(statuses).toEqual([200, 200, 200, 429]);
    });

    test('when Redis is configured but unreachable, then the gateway still limits, counting in the process', async () => {
      const cache = new RedisCache(`redis://${new URL(await closedUrl()).host}`, `test-${randomUUID()}`, testDeps('gateway').logger);
      caches.push(cache);
      const g = await gateway({ env: LIMIT, cache });
      expect(cache.status()).toBe('degraded');

      const statuses = [];
      for (let i = 0; i < 4; i++) statuses.push((await login(g.app)).status);

      expect(statuses).toEqual([200, 200, 200, 429]);
    });
  });

  describe('counted in Redis', () => {
    test('when a client logs in a fourth time within a minute, then it is a 429 rate-limited problem with Retry-After', async () => {
      const cache = await redisCache(`test-${randomUUID()}`);
      const g = await gateway({ env: LIMIT, cache });

      const allowed = [await login(g.app), await login(g.app), await login(g.app)];
      const fourth = await login(g.app);

      expect(allowed.map((r) => r.status)).toEqual([200, 200, 200]);
      expectRateLimited(fourth);
      expect(g.fakes.user.requests).toHaveLength(3);
    });

    test('when two gateways share a Redis namespace, then they share one budget', async () => {
      const namespace = `test-${randomUUID()}`;
      const a = await gateway({ env: LIMIT, cache: await redisCache(namespace) });
      const b = await gateway({ env: LIMIT, cache: await redisCache(namespace) });

      await login(a.app).expect(200);
      await login(a.app).expect(200);
      await login(b.app).expect(200);
      const fourthOnB = await login(b.app);
      const fifthOnA = await login(a.app);

      expectRateLimited(fourthOnB);
      expectRateLimited(fifthOnA);
      expect(a.fakes.user.requests.length + b.fakes.user.requests.length).toBe(3);
    });

    test('when two gateways use different Redis namespaces, then their budgets are separate', async () => {
      const a = await gateway({ env: LIMIT, cache: await redisCache(`test-${randomUUID()}`) });
      const b = await gateway({ env: LIMIT, cache: await redisCache(`test-${randomUUID()}`) });
      for (let i = 0; i < 3; i++) await login(a.app).expect(200);

      const onB = await login(b.app);

      expect(onB.status).toBe(200);
    });
  });
});
