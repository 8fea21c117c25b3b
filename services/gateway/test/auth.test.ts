import { randomUUID } from 'node:crypto';
import { SCENARIO_NAMES, signAccessToken } from '@casino/shared';
import request from 'supertest';
import {
  bearer,
  call,
  closeAll,
  describeRoute,
  expectObservedErrorsDocumented,
  expectProblem,
  gateway,
  PLAYER_ROUTES,
  PUBLIC_ROUTES,
} from './harness';

afterEach(closeAll);
afterAll(expectObservedErrorsDocumented);

type Gateway = Awaited<ReturnType<typeof gateway>>;

const BAD_CREDENTIALS: [string, (g: Gateway) => Record<string, string>][] = [
  ['without a token', () => ({})],
  ['with a malformed token', () => bearer('not-a-jwt')],
  ['with a token signed by another secret', () => bearer(signAccessToken(randomUUID(), 'another-secret-another-secret-0123456789', 3600))],
  ['with an expired token', (g) => bearer(g.playerToken(randomUUID(), -60))],
  ['with the token under another scheme', (g) => ({ authorization: `Basic ${g.playerToken(randomUUID())}` })],
  ['with the admin token', (g) => bearer(g.adminToken)],
];

describe('gateway authentication', () => {
  describe('player routes', () => {
    const cases = PLAYER_ROUTES.flatMap((route) =>
      BAD_CREDENTIALS.map(([how, headers]) => [describeRoute(route), how, route, headers] as const),
    );

    test.each(cases)(
      'when %s is called %s, then it is a 401 problem asking for a bearer token and nothing is forwarded',
      async (_name, _how, route, headers) => {
        const g = await gateway();

        const res = await call(g.app, route, { headers: headers(g) });

        expectProblem(res, 401, 'unauthorized');
        expect(res.headers['www-authenticate']).toBe('Bearer');
        expect(g.upstreamRequests()).toEqual([]);
      },
    );

    test('when no token is sent, then the problem says a token is required; when a bad one is sent, that it is invalid or expired', async () => {
      const g = await gateway();

      const missing = await request(g.app).get('/api/v1/wallet');
      const expired = await request(g.app)
        .get('/api/v1/wallet')
        .set(bearer(g.playerToken(randomUUID(), -60)));

      expect(missing.body.detail).toBe('A valid bearer token is required.');
      expect(expired.body.detail).toBe('The access token is invalid or expired.');
    });

    test('when a player calls with a valid token, then the request reaches the upstream as that player', async () => {
      const g = await gateway();
      const playerId = randomUUID();
      g.fakes.payment.answer({ status: 200, body: { currency: 'EUR', cash: 1_200, bonus: 0, total: 1_200 } });

      const res = await request(g.app)
        .get('/api/v1/wallet')
        .set(bearer(g.playerToken(playerId)));

      expect(res.status).toBe(200);
      expect(res.body).toEqual({ currency: 'EUR', cash: 1_200, bonus: 0, total: 1_200 });
      expect(g.fakes.payment.requests.map((r) => r.path)).toEqual([`/wallets/${playerId}`]);
    });

    test('when a player calls with a token, then neither the token nor the admin token appears in any log line', async () => {
      const g = await gateway();
      const token = g.playerToken(randomUUID());

      await request(g.app).get('/api/v1/me').set(bearer(token)).expect(200);
      await request(g.app).get('/api/v1/admin/scenarios').set(bearer(g.adminToken)).expect(200);
      await request(g.app).get('/api/v1/admin/scenarios').set(bearer(token)).expect(401);

      const logs = g.deps.logs.join('\n');
      expect(g.deps.logs.length).toBeGreaterThan(0);
      expect(logs).not.toContain(token);
      expect(logs).not.toContain(g.adminToken);
    });
  });

  describe('public routes', () => {
    test.each(PUBLIC_ROUTES.map((route) => [describeRoute(route), route] as const))(
      'when %s is called without a token, then it is forwarded and answered',
      async (_name, route) => {
        const g = await gateway();
        g.fakes[route.upstream].answer({ status: 200, body: { answeredBy: route.upstream } });

        const res = await call(g.app, route);

        expect(res.status).toBe(200);
        expect(res.body).toEqual({ answeredBy: route.upstream });
        expect(g.fakes[route.upstream].requests).toHaveLength(1);
      },
    );
  });

  describe('admin routes', () => {
    const ADMIN_CALLS = [
      ['GET /api/v1/admin/scenarios', (g: Gateway) => request(g.app).get('/api/v1/admin/scenarios')],
      [
        'PUT /api/v1/admin/scenarios/anything',
        (g: Gateway) => request(g.app).put('/api/v1/admin/scenarios/anything').send({ enabled: true }),
      ],
      ['GET /api/v1/admin/reconciliation', (g: Gateway) => request(g.app).get('/api/v1/admin/reconciliation')],
      ['GET /api/v1/admin/health', (g: Gateway) => request(g.app).get('/api/v1/admin/health')],
      ['GET /api/v1/admin/chaos', (g: Gateway) => request(g.app).get('/api/v1/admin/chaos')],
      ['POST /api/v1/admin/chaos', (g: Gateway) => request(g.app).post('/api/v1/admin/chaos').send({})],
      ['DELETE /api/v1/admin/chaos', (g: Gateway) => request(g.app).delete('/api/v1/admin/chaos')],
      ['GET /api/v1/admin/traffic', (g: Gateway) => request(g.app).get('/api/v1/admin/traffic')],
      ['POST /api/v1/admin/traffic', (g: Gateway) => request(g.app).post('/api/v1/admin/traffic').send({})],
      ['DELETE /api/v1/admin/traffic', (g: Gateway) => request(g.app).delete('/api/v1/admin/traffic')],
    ] as const;
    const BAD_ADMIN: [string, (g: Gateway) => Record<string, string>][] = [
      ['without a token', () => ({})],
      ['with a player token', (g) => bearer(g.playerToken(randomUUID()))],
      ['with a wrong admin token of the same length', (g) => bearer(g.adminToken.replace(/.$/, (c) => (c === 'x' ? 'y' : 'x')))],
      ['with a wrong, shorter admin token', (g) => bearer(g.adminToken.slice(0, -1))],
      ['with the admin token plus a suffix', (g) => bearer(`${g.adminToken}0`)],
    ];
    const cases = ADMIN_CALLS.flatMap(([name, send]) => BAD_ADMIN.map(([how, headers]) => [name, how, send, headers] as const));

    test.each(cases)('when %s is called %s, then it is a 401 problem', async (_name, _how, send, headers) => {
      const g = await gateway();

      const res = await send(g).set(headers(g));

      expectProblem(res, 401, 'unauthorized');
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.body.detail).toContain('ADMIN_TOKEN');
    });

    test('when a path under /api/v1/admin that does not exist is called, then it is a 401 without the admin token and a 404 with it', async () => {
      const g = await gateway();

      const anonymous = await request(g.app).get('/api/v1/admin/jackpots');
      const admin = await request(g.app).get('/api/v1/admin/jackpots').set(bearer(g.adminToken));

      expectProblem(anonymous, 401, 'unauthorized');
      expectProblem(admin, 404, 'route-not-found');
    });

    test('when the admin lists the scenarios, then the whole catalogue comes back, each off, and no service is asked', async () => {
      const g = await gateway();

      const res = await request(g.app).get('/api/v1/admin/scenarios').set(bearer(g.adminToken));

      expect(res.status).toBe(200);
      expect(res.body.items.map((s: { name: string }) => s.name)).toEqual(SCENARIO_NAMES);
      expect(res.body.items.every((s: { enabled: boolean }) => !s.enabled)).toBe(true);
      expect(g.upstreamRequests()).toEqual([]);
    });

    test.each([
      ['switched on', { enabled: true }],
      ['switched off with params', { enabled: false, params: { rate: 0.5 } }],
    ])('when the admin asks for an unknown scenario to be %s, then it is a 404 scenario-not-found naming it', async (_what, body) => {
      const g = await gateway();

      const res = await request(g.app).put('/api/v1/admin/scenarios/anything').set(bearer(g.adminToken)).send(body);

      expectProblem(res, 404, 'scenario-not-found');
      expect(res.body.detail).toContain('anything');
    });

    test.each([
      ['enabled is missing', { params: {} }, 'enabled'],
      ['it has an extra field', { enabled: true, force: true }, '(body)'],
      ['enabled is a string', { enabled: 'yes' }, 'enabled'],
      ['params is not an object', { enabled: true, params: 'all' }, 'params'],
    ])('when the admin switches a scenario and %s, then it is a 400 problem naming the field', async (_what, body, field) => {
      const g = await gateway();

      const res = await request(g.app).put('/api/v1/admin/scenarios/anything').set(bearer(g.adminToken)).send(body);

      expectProblem(res, 400, 'invalid-request');
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(field);
    });

    test('when the admin names a scenario that is not a catalogue id, then it is a 400 problem', async () => {
      const g = await gateway();

      const res = await request(g.app).put('/api/v1/admin/scenarios/Not_A_Name').set(bearer(g.adminToken)).send({ enabled: true });

      expectProblem(res, 400, 'invalid-request');
      expect(res.body.detail).toContain('scenario name');
    });
  });
});
