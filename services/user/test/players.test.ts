import { randomUUID } from 'node:crypto';
import { RedisCache, verifyAccessToken } from '@casino/shared';
import { asItsCallers, testDeps } from '@casino/shared/testing';
import request from 'supertest';
import { userCallers } from '../src/api/callers';
import { createApp } from '../src/app';
import { PlayerRepository } from '../src/data/player-repository';
import { StatusCache } from '../src/data/status-cache';

function setup(now = () => new Date()) {
  const deps = testDeps('user');
  return { app: asItsCallers(createApp({ ...deps, now }), 'user', userCallers), deps };
}

const email = () => `p-${randomUUID().slice(0, 8)}@example.com`;
const password = 'correct horse battery staple';

describe('user service', () => {
  describe('registration', () => {
    test('when a player registers, then they get a profile and a token for their id', async () => {
      const { app, deps } = setup();

      const res = await request(app).post('/players').send({ email: 'Ada@Example.com', password, displayName: 'Ada' });

      expect(res.status).toBe(201);
      expect(res.body.player).toEqual({
        id: expect.any(String),
        email: 'Ada@Example.com',
        displayName: 'Ada',
        createdAt: expect.any(String),
      });
      expect(verifyAccessToken(res.body.accessToken, deps.config.jwt.secret)).toEqual({ playerId: res.body.player.id });
    });

    test('when the same email registers again in another case, then it is a 409 problem', async () => {
      const { app } = setup();
      const address = email();
      await request(app).post('/players').send({ email: address, password }).expect(201);

      const res = await request(app).post('/players').send({ email: address.toUpperCase(), password });

      expect(res.status).toBe(409);
      expect(res.type).toBe('application/problem+json');
      expect(res.body).toMatchObject({ type: 'urn:casino:problem:email-taken', status: 409, traceId: expect.any(String) });
    });

    test.each([
      ['a short password', { email: 'x@example.com', password: 'short' }],
      ['a missing email', { password }],
      ['an operator instead of an email', { email: { $gt: '' }, password }],
      ['an extra field', { email: 'x@example.com', password, admin: true }],
      ['a password that is a number', { email: 'x@example.com', password: 12345678901 }],
    ])('when the body has %s, then it is a 400 problem naming the field', async (_what, body) => {
      const { app } = setup();

      const res = await request(app).post('/players').send(body);

      expect(res.status).toBe(400);
      expect(res.body.type).toBe('urn:casino:problem:invalid-request');
      expect(res.body.errors.length).toBeGreaterThan(0);
    });

    test('when a password is registered, then neither it nor the hash appears in any log line', async () => {
      const { app, deps } = setup();

      await request(app).post('/players').send({ email: email(), password }).expect(201);
      await request(app).post('/sessions').send({ email: 'nobody@example.com', password }).expect(401);

      const logs = deps.logs.join('\n');
      expect(logs).not.toContain(password);
      expect(logs).not.toContain('$argon2');
    });
  });

  describe('login', () => {
    test('when the password is right whatever the email case, then a token comes back', async () => {
      const { app } = setup();
      const address = email();
      const created = await request(app).post('/players').send({ email: address, password }).expect(201);

      const res = await request(app).post('/sessions').send({ email: address.toUpperCase(), password });

      expect(res.status).toBe(200);
      expect(res.body).toEqual({ accessToken: expect.any(String), tokenType: 'Bearer', expiresIn: 3600 });
      expect(res.body.accessToken.split('.')).toHaveLength(3);
      expect(created.body.player.id).toBeDefined();
    });

    test('when the password is wrong or the email unknown, then both get the same 401', async () => {
      const { app } = setup();
      const address = email();
      await request(app).post('/players').send({ email: address, password }).expect(201);

      const wrong = await request(app).post('/sessions').send({ email: address, password: 'not the password' });
      const unknown = await request(app).post('/sessions').send({ email: email(), password });

      expect(wrong.status).toBe(401);
      expect(unknown.status).toBe(401);
      expect(wrong.body.detail).toBe(unknown.body.detail);
    });
  });

  describe('status and limits', () => {
    test('when a player is new, then they are active with the default daily deposit limit', async () => {
      const { app } = setup();
      const { body } = await request(app).post('/players').send({ email: email(), password }).expect(201);

      const res = await request(app).get(`/players/${body.player.id}/status`);

      expect(res.body).toEqual({
        id: body.player.id,
        status: 'active',
        selfExcludedUntil: null,
        dailyDepositLimit: 500_000,
        pendingDepositLimit: null,
      });
    });

    test('when a player sets a limit, then their status shows it', async () => {
      const { app } = setup();
      const { body } = await request(app).post('/players').send({ email: email(), password }).expect(201);

      await request(app).put(`/players/${body.player.id}/limits`).send({ dailyDepositLimit: 2_500 }).expect(200);
      const res = await request(app).get(`/players/${body.player.id}/status`);

      expect(res.body.dailyDepositLimit).toBe(2_500);
    });

    test('when a player raises the limit, then the old one holds for the 24 h cooling-off and the new one after', async () => {
      let now = new Date('2026-01-01T10:00:00Z');
      const { app } = setup(() => now);
      const { body } = await request(app).post('/players').send({ email: email(), password }).expect(201);
      const status = () => request(app).get(`/players/${body.player.id}/status`);
      await request(app).put(`/players/${body.player.id}/limits`).send({ dailyDepositLimit: 10_000 }).expect(200);

      const raised = await request(app).put(`/players/${body.player.id}/limits`).send({ dailyDepositLimit: 900_000 });
      now = new Date('2026-01-02T09:59:59Z');
      const justBefore = await status();
      now = new Date('2026-01-02T10:00:00Z');
      const after = await status();

      expect(raised.status).toBe(200);
      expect(raised.body).toMatchObject({
        dailyDepositLimit: 10_000,
        pendingDepositLimit: { amount: 900_000, effectiveAt: '2026-01-02T10:00:00.000Z' },
      });
      expect(justBefore.body).toMatchObject({ dailyDepositLimit: 10_000, pendingDepositLimit: { amount: 900_000 } });
      expect(after.body).toMatchObject({ dailyDepositLimit: 900_000, pendingDepositLimit: null });
    });

    test('when a player lowers the limit while a raise waits, then the lower one holds at once and the raise is dropped', async () => {
      let now = new Date('2026-01-01T10:00:00Z');
      const { app } = setup(() => now);
      const { body } = await request(app).post('/players').send({ email: email(), password }).expect(201);
      await request(app).put(`/players/${body.player.id}/limits`).send({ dailyDepositLimit: 900_000 }).expect(200);

      const lowered = await request(app).put(`/players/${body.player.id}/limits`).send({ dailyDepositLimit: 1_000 });
      now = new Date('2026-01-03T00:00:00Z');
      const later = await request(app).get(`/players/${body.player.id}/status`);

      expect(lowered.body).toMatchObject({ dailyDepositLimit: 1_000, pendingDepositLimit: null });
      expect(later.body).toMatchObject({ dailyDepositLimit: 1_000, pendingDepositLimit: null });
    });

    test('when a self-excluded player tries to raise the limit, then it is a 403 and nothing changes; lowering still works', async () => {
      const { app } = setup();
      const { body } = await request(app).post('/players').send({ email: email(), password }).expect(201);
      await request(app).post(`/players/${body.player.id}/self-exclusion`).send({ days: 7 }).expect(200);

      const raise = await request(app).put(`/players/${body.player.id}/limits`).send({ dailyDepositLimit: 900_000 });
      const lower = await request(app).put(`/players/${body.player.id}/limits`).send({ dailyDepositLimit: 100 });

      expect([raise.status, raise.body.type]).toEqual([403, 'urn:casino:problem:self-excluded']);
      expect(lower.body).toMatchObject({ status: 'self_excluded', dailyDepositLimit: 100, pendingDepositLimit: null });
    });

    test('when the cooling-off is set to 0 hours, then a raise is in force at once', async () => {
      const deps = testDeps('user', { env: { DEPOSIT_LIMIT_COOLING_OFF_HOURS: '0' } });
      const app = asItsCallers(createApp(deps), 'user', userCallers);
      const { body } = await request(app).post('/players').send({ email: email(), password }).expect(201);

      const raised = await request(app).put(`/players/${body.player.id}/limits`).send({ dailyDepositLimit: 900_000 });

      expect(raised.body).toMatchObject({ dailyDepositLimit: 900_000, pendingDepositLimit: null });
    });

    test('when a status read that missed the cache races a self-exclusion, then the cache never says active again', async () => {
      const cache = new RedisCache('redis://127.0.0.1:6379', `user-race-${randomUUID()}`, testDeps('user').logger);
      while (cache.status() !== 'ready') await new Promise((r) => setTimeout(r, 10));
      try {
        const deps = testDeps('user', { cache });
        const app = asItsCallers(createApp(deps), 'user', userCallers);
        const { body } = await request(app).post('/players').send({ email: email(), password }).expect(201);
        const id = body.player.id as string;
        // The read fetched the player while still active and is about to fill the cache...
        const statuses = new StatusCache(cache);
        const before = await new PlayerRepository(deps.store).byId(id);
        // ...when the player self-excludes...
        await request(app).post(`/players/${id}/self-exclusion`).send({ days: 7 }).expect(200);
        // ...and only then does the read's fill arrive.
        await statuses.fill(id, before!);

        const status = await request(app).get(`/players/${id}/status`);

        expect(status.body.status).toBe('self_excluded');
      } finally {
        await cache.close();
      }
    });

    test('when a player self-excludes, then they are excluded until then, and a shorter exclusion cannot cut it', async () => {
      let now = new Date('2026-01-01T00:00:00Z');
      const { app } = setup(() => now);
      const { body } = await request(app).post('/players').send({ email: email(), password }).expect(201);

      await request(app).post(`/players/${body.player.id}/self-exclusion`).send({ days: 30 }).expect(200);
      const shorter = await request(app).post(`/players/${body.player.id}/self-exclusion`).send({ days: 1 });

      expect(shorter.body).toMatchObject({ status: 'self_excluded', selfExcludedUntil: '2026-01-31T00:00:00.000Z' });
      now = new Date('2026-02-01T00:00:00Z');
      const later = await request(app).get(`/players/${body.player.id}/status`);
      expect(later.body).toMatchObject({ status: 'active', selfExcludedUntil: null });
    });

    test('when the player id is not a uuid or not known, then it is 400 or 404', async () => {
      const { app } = setup();

      await request(app).get('/players/not-a-uuid/status').expect(400);
      const res = await request(app).get(`/players/${randomUUID()}`);

      expect(res.status).toBe(404);
      expect(res.body.type).toBe('urn:casino:problem:player-not-found');
    });
  });
});
