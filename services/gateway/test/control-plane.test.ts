import { EmbeddedStore, SCENARIO_NAMES, seededRng } from '@casino/shared';
import request from 'supertest';
import { CHAOS_CANDIDATES, chaosConfig, chaosTimeline, pickScenario } from '../src/ops/chaos';
import { bearer, closeAll, closedUrl, expectProblem, gateway, UPSTREAM_NAMES } from './harness';

afterEach(closeAll);

const put = (g: Awaited<ReturnType<typeof gateway>>, name: string, body: unknown) =>
  request(g.app)
    .put(`/api/v1/admin/scenarios/${name}`)
    .set(bearer(g.adminToken))
    .send(body as object);

describe('scenario control', () => {
  test('when the catalogue is listed, then each scenario says what it does, where, its parameters with their defaults, and that it is off', async () => {
    const g = await gateway();

    const res = await request(g.app).get('/api/v1/admin/scenarios').set(bearer(g.adminToken));

    expect(res.body.items.map((s: { name: string }) => s.name)).toEqual(SCENARIO_NAMES);
    expect(res.body.items.find((s: { name: string }) => s.name === 'payment-failures')).toEqual({
      name: 'payment-failures',
      enabled: false,
      params: { rate: 0.1 },
      description: expect.stringContaining('debits fail'),
      services: ['payment'],
      parameters: {
        type: 'object',
        properties: { rate: { type: 'number', minimum: 0, maximum: 1, default: 0.1 } },
        additionalProperties: false,
      },
    });
    expect(res.body.items.find((s: { name: string }) => s.name === 'frontend-memory-leak')).toMatchObject({ services: ['frontend'] });
  });

  test('when a scenario is switched on, then every service is sent the whole state at once and the answer says each took it', async () => {
    const g = await gateway();
    for (const name of UPSTREAM_NAMES) g.fakes[name].answer({ status: 200, body: {} });

    const res = await put(g, 'payment-failures', { enabled: true, params: { rate: 0.3 } });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: 'payment-failures',
      enabled: true,
      params: { rate: 0.3 },
      reached: { user: true, game: true, payment: true, wager: true },
    });
    for (const name of UPSTREAM_NAMES) {
      expect(g.fakes[name].requests.map((r) => [r.method, r.path, r.body])).toEqual([
        ['PUT', '/internal/scenarios', { 'payment-failures': { enabled: true, params: { rate: 0.3 } } }],
      ]);
    }
    expect(g.deps.scenarios.active('payment-failures')).toEqual({ rate: 0.3 });
  });

  test('when parameters are left out, then the defaults apply; when switched off, then the service is told and the scenario is inactive', async () => {
    const g = await gateway();

    const on = await put(g, 'latency', { enabled: true, params: { service: 'payment' } });
    const off = await put(g, 'latency', { enabled: false });

    expect(on.body.params).toEqual({ ms: 300, service: 'payment' });
    expect(off.body).toMatchObject({ enabled: false, params: { ms: 300, service: 'game' } });
    expect(g.deps.scenarios.active('latency')).toBeUndefined();
    expect(g.fakes.user.requests.at(-1)?.body).toEqual({ latency: { enabled: false, params: { ms: 300, service: 'game' } } });
  });

  test.each([
    ['a rate above 1', 'payment-failures', { rate: 1.5 }, 'params.rate'],
    ['an unknown parameter', 'slow-query', { seconds: 3 }, 'params'],
    ['a downstream that is not a service', 'latency', { service: 'database' }, 'params.service'],
    ['a parameter for a scenario that takes none', 'n-plus-one', { depth: 2 }, 'params'],
  ])(
    'when a scenario is given %s, then it is a 400 problem naming the parameter, and nothing changes',
    async (_what, name, params, path) => {
      const g = await gateway();

      const res = await put(g, name, { enabled: true, params });

      expectProblem(res, 400, 'invalid-request');
      expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
      expect(res.body.detail).toContain(`Invalid parameters for ${name}`);
      expect(g.upstreamRequests()).toEqual([]);
      expect(g.deps.scenarios.active(name as 'slow-query')).toBeUndefined();
    },
  );

  test('when a service cannot be reached, then the change still takes and the answer says which service it did not reach yet', async () => {
    const g = await gateway({ urls: { wager: await closedUrl() } });

    const res = await put(g, 'n-plus-one', { enabled: true });

    expect(res.status).toBe(200);
    expect(res.body.reached).toEqual({ user: true, game: true, payment: true, wager: false });
  });

  test('when the gateway restarts on the same store, then it comes back with the scenarios as they were', async () => {
    const store = new EmbeddedStore('casino_gateway');
    const first = await gateway({ store });
    await put(first, 'cpu-spike', { enabled: true, params: { ms: 250 } });

    const second = await gateway({ store });
    const res = await request(second.app).get('/api/v1/admin/scenarios').set(bearer(second.adminToken));

    expect(res.body.items.find((s: { name: string }) => s.name === 'cpu-spike')).toMatchObject({ enabled: true, params: { ms: 250 } });
    expect(second.deps.scenarios.active('cpu-spike')).toEqual({ ms: 250 });
  });

  test('when SCENARIOS names scenarios at start, then they are listed on with their defaults', async () => {
    const g = await gateway({ env: { SCENARIOS: 'slow-query,cache-outage' } });

    const res = await request(g.app).get('/api/v1/admin/scenarios').set(bearer(g.adminToken));

    const on = res.body.items
      .filter((s: { enabled: boolean }) => s.enabled)
      .map((s: { name: string; params: unknown }) => [s.name, s.params]);
    expect(on).toEqual([
      ['slow-query', { ms: 500 }],
      ['cache-outage', {}],
    ]);
  });
});

describe('chaos mode', () => {
  const config = chaosConfig.parse({ intervalSeconds: 10, minDurationSeconds: 15, maxDurationSeconds: 40, maxConcurrent: 2, seed: 7 });

  test('when the same seed plans twice, then the schedule is the same; another seed gives another', () => {
    const a = chaosTimeline(config, 30);
    const b = chaosTimeline(config, 30);
    const c = chaosTimeline({ ...config, seed: 8 }, 30);

    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a.length).toBeGreaterThan(5);
  });

  test('when chaos plans, then at most maxConcurrent of its scenarios are on at once, each for a duration within the bounds', () => {
    const timeline = chaosTimeline(config, 200);
    const on = new Map<string, number>();
    let most = 0;
    for (const event of [...timeline].sort((x, y) => x.second - y.second || (x.action === 'off' ? -1 : 1))) {
      if (event.action === 'on') {
        expect(on.has(event.name)).toBe(false);
        on.set(event.name, event.second);
      } else {
        const duration = event.second - on.get(event.name)!;
        expect(duration).toBeGreaterThanOrEqual(15);
        expect(duration).toBeLessThanOrEqual(40);
        on.delete(event.name);
      }
      most = Math.max(most, on.size);
    }
    expect(most).toBe(2);
  });

  test('when every candidate is already on, or its own limit is reached, then chaos picks nothing', () => {
    const rng = seededRng(1);

    expect(pickScenario(config, rng, 0, new Set(CHAOS_CANDIDATES))).toBeNull();
    expect(pickScenario(config, rng, 2, new Set())).toBeNull();
    expect(CHAOS_CANDIDATES).not.toContain('frontend-memory-leak');
  });

  test('when chaos is started, then it switches a scenario on at its first tick, refuses a second start, and switches its own off when stopped', async () => {
    const g = await gateway();
    const started = await request(g.app)
      .post('/api/v1/admin/chaos')
      .set(bearer(g.adminToken))
      .send({ intervalSeconds: 1, minDurationSeconds: 30, maxDurationSeconds: 30, seed: 3, scenarios: ['slow-query', 'n-plus-one'] });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ running: true, config: { intervalSeconds: 1, seed: 3 }, active: [] });

    const again = await request(g.app).post('/api/v1/admin/chaos').set(bearer(g.adminToken)).send({});
    expectProblem(again, 409, 'chaos-running');

    await new Promise((resolve) => setTimeout(resolve, 1_300));
    const status = await request(g.app).get('/api/v1/admin/chaos').set(bearer(g.adminToken));
    const picked = status.body.active[0]?.name as 'slow-query' | 'n-plus-one';
    expect(status.body.active).toHaveLength(1);
    expect(picked).toBe(chaosTimeline(chaosConfig.parse(started.body.config), 1)[0]!.name);
    expect(g.deps.scenarios.active(picked)).toBeDefined();

    const stopped = await request(g.app).delete('/api/v1/admin/chaos').set(bearer(g.adminToken));
    expect(stopped.body).toMatchObject({ running: false, active: [] });
    expect(stopped.body.history.map((e: { name: string; action: string }) => [e.name, e.action])).toEqual([
      [picked, 'on'],
      [picked, 'off'],
    ]);
    expect(g.deps.scenarios.active(picked)).toBeUndefined();
  });

  test('when chaos settings are out of bounds, then it is a 400 problem and chaos does not start', async () => {
    const g = await gateway();

    const res = await request(g.app)
      .post('/api/v1/admin/chaos')
      .set(bearer(g.adminToken))
      .send({ minDurationSeconds: 50, maxDurationSeconds: 10 });
    const unknown = await request(g.app)
      .post('/api/v1/admin/chaos')
      .set(bearer(g.adminToken))
      .send({ scenarios: ['frontend-memory-leak'] });

    expectProblem(res, 400, 'invalid-request');
    expectProblem(unknown, 400, 'invalid-request');
    expect((await request(g.app).get('/api/v1/admin/chaos').set(bearer(g.adminToken))).body.running).toBe(false);
  });
});
