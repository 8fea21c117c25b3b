import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServiceApp } from '@casino/shared';
import express from 'express';
import request from 'supertest';
import { requireAdmin } from '../src/api/auth';
import { trafficRoutes } from '../src/ops/traffic';
import { bearer, closeAll, expectProblem, gateway } from './harness';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => (s.closeAllConnections(), s.close(resolve)))));
  await closeAll();
});

const CATALOGUE = [
  { id: 'lucky-sevens', name: 'Lucky Sevens', minStake: 10, maxStake: 10_000, stakeStep: 1, rtp: 96.03 },
  { id: 'fruit-fiesta', name: 'Fruit Fiesta', minStake: 10, maxStake: 5_000, stakeStep: 5, rtp: 96.11 },
];
const wallet = { currency: 'EUR', cash: 50_000, bonus: 0, total: 50_000 };

/**
 * The gateway over fakes that answer every route they serve with one body fitting all of them,
 * and the traffic routes mounted behind the admin guard, as the gateway mounts its admin routes.
 * It listens on a real port, which the traffic run calls: the run plays against this gateway itself.
 */
async function platform() {
  const g = await gateway({ env: { RATE_LIMIT_AUTH_PER_MINUTE: '10000' } });
  const token = g.playerToken(randomUUID());
  g.fakes.user.answer({
    status: 201,
    body: { player: { id: randomUUID(), email: 'p@x.test', displayName: 'P' }, accessToken: token, tokenType: 'Bearer', expiresIn: 3600 },
  });
  g.fakes.game.answer({
    status: 200,
    body: { items: CATALOGUE, roundId: randomUUID(), gameId: 'lucky-sevens', stake: 10, win: 0, reels: [], lines: [], wallet },
  });
  g.fakes.payment.answer({
    status: 200,
    body: { ...wallet, transaction: { id: randomUUID(), type: 'deposit', amount: 1 }, wallet, items: [] },
  });
  g.fakes.wager.answer({
    status: 200,
    body: {
      bonus: { id: randomUUID(), offerId: 'welcome-100', status: 'active', amount: 1_000, wageringRequired: 35_000, wagered: 0 },
      items: [],
    },
  });

  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  const config = { ...g.deps.config, port: (server.address() as AddressInfo).port };
  const routes = express.Router();
  routes.use('/api/v1/admin', requireAdmin(config.adminToken, g.deps.cache, config.jwt.secret), trafficRoutes({ config }));
  // Everything else is the gateway itself.
  routes.use(g.app);
  const app = createServiceApp({ ...g.deps, routes });
  server.on('request', app);
  const admin = bearer(config.adminToken);
  return { g, app, admin };
}

const waitFor = async (what: () => Promise<boolean>, timeoutMs = 10_000) => {
  for (const start = Date.now(); !(await what());) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};

describe('the admin traffic API', () => {
  test('when no run was ever started, then GET says idle', async () => {
    const { app, admin } = await platform();

    const res = await request(app).get('/api/v1/admin/traffic').set(admin);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ state: 'idle' });
  });

  test('when an admin starts a run, then it is 201 and running, GET shows live figures, and the players play through this gateway', async () => {
    const { g, app, admin } = await platform();

    const started = await request(app)
      .post('/api/v1/admin/traffic')
      .set(admin)
      .send({ players: 3, durationSeconds: 60, seed: 7, thinkMs: 20 });
    // Players arrive over the first seconds: wait until all three have signed up and one has spun.
    await waitFor(
      async () =>
        g.fakes.user.requests.filter((r) => r.path === '/players').length === 3 &&
        g.fakes.game.requests.some((r) => r.path.endsWith('/spins')),
    );
    const status = await request(app).get('/api/v1/admin/traffic').set(admin);
    await request(app).delete('/api/v1/admin/traffic').set(admin);

    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({
      state: 'running',
      options: { players: 3, durationSeconds: 60, seed: 7, thinkMs: 20, url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) },
    });
    expect(status.body.state).toBe('running');
    expect(status.body.live.requests).toBeGreaterThan(3);
    expect(status.body.live).toMatchObject({
      errors: 0,
      elapsedSeconds: expect.any(Number),
      requestsPerSecond: expect.any(Number),
      p50: expect.any(Number),
      p95: expect.any(Number),
    });
    expect(g.fakes.user.requests.filter((r) => r.path === '/players')).toHaveLength(3);
    expect(g.fakes.payment.requests.some((r) => r.path.endsWith('/deposits'))).toBe(true);
  });

  test('when a run is going, then a second start is 409 traffic-running, and the first run goes on', async () => {
    const { app, admin } = await platform();
    await request(app).post('/api/v1/admin/traffic').set(admin).send({ players: 1, durationSeconds: 60, thinkMs: 50 }).expect(201);

    const second = await request(app).post('/api/v1/admin/traffic').set(admin).send({ players: 1 });
    const status = await request(app).get('/api/v1/admin/traffic').set(admin);
    await request(app).delete('/api/v1/admin/traffic').set(admin);

    expect(second.status).toBe(409);
    expect(second.body.type).toBe('urn:casino:problem:traffic-running');
    expect(status.body.state).toBe('running');
  });

  test('when an admin stops the run, then it finishes with a summary, no more requests are sent, and a new run may start', async () => {
    const { g, app, admin } = await platform();
    await request(app).post('/api/v1/admin/traffic').set(admin).send({ players: 2, durationSeconds: 60, thinkMs: 20 }).expect(201);
    await waitFor(async () => g.fakes.user.requests.length === 2 && g.fakes.game.requests.some((r) => r.path.endsWith('/spins')));

    const stopped = await request(app).delete('/api/v1/admin/traffic').set(admin);
    const sent = g.upstreamRequests().length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    const sentSince = g.upstreamRequests().length - sent;
    const again = await request(app).post('/api/v1/admin/traffic').set(admin).send({ players: 1, durationSeconds: 60 });
    await request(app).delete('/api/v1/admin/traffic').set(admin);

    expect(stopped.status).toBe(200);
    expect(stopped.body).toMatchObject({
      state: 'finished',
      summary: { endedBy: 'stopped', errors: 0, totals: { players: 2, registered: 2 } },
    });
    expect(stopped.body.summary.totals.spins).toBeGreaterThan(0);
    expect(stopped.body.summary.operations.map((o: { operation: string }) => o.operation)).toEqual(
      expect.arrayContaining(['games', 'register', 'deposit', 'spin']),
    );
    expect(sentSince).toBe(0);
    expect(again.status).toBe(201);
  });

  test('when a run reaches its duration, then it finishes by itself, and DELETE after that just reports it', async () => {
    const { app, admin } = await platform();
    await request(app).post('/api/v1/admin/traffic').set(admin).send({ players: 2, durationSeconds: 1, thinkMs: 10 }).expect(201);

    await waitFor(async () => (await request(app).get('/api/v1/admin/traffic').set(admin)).body.state === 'finished');
    const deleted = await request(app).delete('/api/v1/admin/traffic').set(admin);

    expect(deleted.status).toBe(200);
    expect(deleted.body.summary).toMatchObject({ endedBy: 'deadline', errors: 0 });
    expect(deleted.body.summary.elapsedSeconds).toBeGreaterThanOrEqual(1);
  });

  test('when the game catalogue cannot be read, then the start is a 503 traffic-unavailable problem and nothing runs', async () => {
    const { g, app, admin } = await platform();
    g.fakes.game.answer({
      status: 503,
      body: { type: 'urn:casino:problem:store-unavailable', title: 'Service unavailable', status: 503, detail: 'down' },
    });

    const res = await request(app).post('/api/v1/admin/traffic').set(admin).send({ players: 1 });
    const status = await request(app).get('/api/v1/admin/traffic').set(admin);

    expectProblem(res, 503, 'traffic-unavailable');
    expect(res.body.detail).toMatch(
      /^The traffic run could not start: the gateway at http:\/\/127\.0\.0\.1:\d+ answered 503 to GET \/api\/v1\/games\.$/,
    );
    expect(status.body).toEqual({ state: 'idle' });
    expect(g.fakes.user.requests).toEqual([]);
  });

  test('when the body is out of bounds, of the wrong type or has unknown fields, then it is 400 and nothing starts', async () => {
    const { g, app, admin } = await platform();
    const bodies = [
      { players: 201 },
      { players: 0 },
      { durationSeconds: 3601 },
      { thinkMs: -1 },
      { seed: 1.5 },
      { players: '5' },
      { players: 5, rate: 9 },
    ];

    const answers = await Promise.all(bodies.map((body) => request(app).post('/api/v1/admin/traffic').set(admin).send(body)));
    const status = await request(app).get('/api/v1/admin/traffic').set(admin);

    for (const res of answers) expectProblem(res, 400, 'invalid-request');
    expect(status.body).toEqual({ state: 'idle' });
    expect(g.upstreamRequests()).toEqual([]);
  });

  test('when the admin token is missing or wrong, then every traffic route is 401 and nothing starts', async () => {
    const { g, app } = await platform();

    const answers = [
      await request(app).post('/api/v1/admin/traffic').send({ players: 1 }),
      await request(app).get('/api/v1/admin/traffic').set(bearer('not-the-admin-token-at-all')),
      await request(app).delete('/api/v1/admin/traffic'),
    ];

    for (const res of answers) expectProblem(res, 401, 'unauthorized');
    expect(g.upstreamRequests()).toEqual([]);
  });
});
