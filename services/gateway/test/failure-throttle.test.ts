/**
 * Failed logins are counted per account and wrong admin tokens per address, so neither a fresh
 * X-Forwarded-For for each guess nor a second gateway gains anything.
 */
import type { RequestListener } from 'node:http';
import { type Cache, RedisCache } from '@casino/shared';
import { testDeps } from '@casino/shared/testing';
import request from 'supertest';
import { ADMIN_FAILURES } from '../src/api/auth';
import { LOGIN_FAILURES } from '../src/api/routes';
import { closeAll, expectObservedErrorsDocumented, expectProblem, gateway } from './harness';

afterEach(closeAll);
afterAll(expectObservedErrorsDocumented);

// Far above what these tests send from one address: only the per-account and per-address failure limits act.
const ENV = { RATE_LIMIT_AUTH_PER_MINUTE: '1000' };
const WRONG = {
  status: 401,
  body: { type: 'urn:casino:problem:invalid-credentials', title: 'Unauthorized', status: 401, detail: 'Wrong e-mail or password.' },
};
const TOKEN = { status: 200, body: { accessToken: 'a.b.c', tokenType: 'Bearer', expiresIn: 3600 } };

const login = (app: RequestListener, email: string, from: string) =>
  request(app).post('/api/v1/auth/login').set('x-forwarded-for', from).send({ email, password: 'a guess' });
const admin = (app: RequestListener, token: string, from: string) =>
  request(app).get('/api/v1/admin/scenarios').set('x-forwarded-for', from).set('authorization', `Bearer ${token}`);
const address = (i: number) => `198.51.100.${i + 1}`;

const caches: Cache[] = [];
afterEach(async () => {
  await Promise.all(caches.splice(0).map((cache) => cache.close()));
});

describe('failed logins per account', () => {
  test('when 25 wrong passwords for one account come each from a fresh X-Forwarded-For, then after five every attempt is a 429 with Retry-After, the right password too, and the user service sees five', async () => {
    const g = await gateway({ env: ENV });
    g.fakes.user.answer(WRONG);

    const statuses: number[] = [];
    for (let i = 0; i < 25; i++) statuses.push((await login(g.app, 'ada@example.com', address(i))).status);
    g.fakes.user.answer(TOKEN);
    const right = await login(g.app, 'Ada@Example.com', address(99));

    expect(statuses).toEqual([...Array<number>(LOGIN_FAILURES.limit).fill(401), ...Array<number>(25 - LOGIN_FAILURES.limit).fill(429)]);
    expectProblem(right, 429, 'too-many-failures');
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(14 * 60);
    expect(Number(right.headers['retry-after'])).toBeLessThanOrEqual(15 * 60);
    expect(g.fakes.user.requests).toHaveLength(LOGIN_FAILURES.limit);
  });

  test('when one account is held back, then another account from the same address still logs in', async () => {
    const g = await gateway({ env: ENV });
    g.fakes.user.answer(WRONG);
    for (let i = 0; i < LOGIN_FAILURES.limit; i++) await login(g.app, 'ada@example.com', address(0));
    g.fakes.user.answer(TOKEN);

    expect((await login(g.app, 'grace@example.com', address(0))).status).toBe(200);
    expect((await login(g.app, 'ada@example.com', address(0))).status).toBe(429);
  });

  test('when a login succeeds, then the failures before it no longer count', async () => {
    const g = await gateway({ env: ENV });
    const fails = Array<typeof WRONG>(LOGIN_FAILURES.limit - 1).fill(WRONG);
    g.fakes.user.answer(...fails, TOKEN, ...fails, WRONG);

    const statuses: number[] = [];
    for (let i = 0; i < 2 * LOGIN_FAILURES.limit; i++) statuses.push((await login(g.app, 'ada@example.com', address(i))).status);

    expect(statuses).toEqual([...fails.map(() => 401), 200, ...fails.map(() => 401), 401]);
  });

  test('when two gateways share Redis, then failures at one hold the account back at the other', async () => {
    const namespace = `throttle-${Date.now()}`;
    const shared = async () => {
      const cache = new RedisCache('redis://127.0.0.1:6379', namespace, testDeps('gateway').logger);
      caches.push(cache);
      while (cache.status() !== 'ready') await new Promise((r) => setTimeout(r, 10));
      return cache;
    };
    const a = await gateway({ env: ENV, cache: await shared() });
    const b = await gateway({ env: ENV, cache: await shared() });
    a.fakes.user.answer(WRONG);
    b.fakes.user.answer(TOKEN);
    const email = `ada-${namespace}@example.com`;

    for (let i = 0; i < LOGIN_FAILURES.limit; i++) expect((await login(a.app, email, address(i))).status).toBe(401);

    expectProblem(await login(b.app, email, address(50)), 429, 'too-many-failures');
    expect(b.fakes.user.requests).toHaveLength(0);
  });
});

describe('wrong admin tokens per address', () => {
  test('when an address sends ten wrong admin tokens, then it is refused with 429 even with the right one, while another address is let in', async () => {
    const g = await gateway({ env: ENV });
    const ADMIN_TOKEN = testDeps('gateway').config.adminToken;

    const wrong: number[] = [];
    for (let i = 0; i < ADMIN_FAILURES.limit + 2; i++) wrong.push((await admin(g.app, `wrong-token-${i}-0123456789`, address(7))).status);
    const rightButHeldBack = await admin(g.app, ADMIN_TOKEN, address(7));
    const elsewhere = await admin(g.app, ADMIN_TOKEN, address(8));

    expect(wrong).toEqual([...Array<number>(ADMIN_FAILURES.limit).fill(401), 429, 429]);
    expectProblem(rightButHeldBack, 429, 'too-many-failures');
    expect(Number(rightButHeldBack.headers['retry-after'])).toBeGreaterThan(0);
    expect(elsewhere.status).toBe(200);
  });
});
