import { Writable } from 'node:stream';
import { AppError, notFoundHandler, problemHandler } from '@casino/shared/errors';
import { createLogger } from '@casino/shared/logger';
import { bucketQuantile, createMetrics, type Metrics, metricsJson, metricsMiddleware } from '@casino/shared/metrics';
import express, { Router } from 'express';
import request from 'supertest';

const silent = () =>
  createLogger({ service: 'test', version: '0', level: 'silent', destination: new Writable({ write: (_c, _e, done) => done() }) });

/** Requests recorded by the duration histogram, as `METHOD route status` → count. */
async function recorded(metrics: Metrics): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const v of (await metrics.httpDuration.get()).values) {
    if (v.metricName?.endsWith('_count')) out[`${v.labels.method} ${v.labels.route} ${v.labels.status_code}`] = v.value;
  }
  return out;
}

/** The app shape every service has: metrics first, routes, a mounted router, 404 and problem handlers. */
function app(metrics: Metrics) {
  const a = express();
  a.use(metricsMiddleware(metrics));
  a.get('/healthz', (_req, res) => res.json({ status: 'ok' }));
  a.get('/metrics', (_req, res) => res.send('# metrics'));
  a.get('/players/:id', (req, res) => res.json({ id: req.params.id }));
  a.post('/players/:id/limits', () => {
    throw AppError.badRequest('no');
  });
  const api = Router();
  api.get('/wallets/:walletId', (req, res) => res.json({ id: req.params.walletId }));
  api.get('/wallets/:walletId/locked', () => {
    throw AppError.unauthorized();
  });
  a.use('/api/v1', api);
  a.use(notFoundHandler);
  a.use(problemHandler(silent()));
  return a;
}

describe('bucketQuantile', () => {
  // 10 observations: 2 up to 0.1, 4 more up to 0.5, 2 more up to 1, 2 above 1.
  const buckets = [
    { le: 0.1, count: 2 },
    { le: 0.5, count: 6 },
    { le: 1, count: 8 },
    { le: Infinity, count: 10 },
  ];

  test.each([
    [0.1, 0.05], // rank 1 of the 2 in [0, 0.1]
    [0.5, 0.4], // rank 5: 3 of the 4 in (0.1, 0.5] → 0.1 + 0.4 × 3/4
    [0.7, 0.75], // rank 7: 1 of the 2 in (0.5, 1] → 0.5 + 0.5 × 1/2
    [0.8, 1], // rank 8: the top of (0.5, 1]
  ])('when the %s quantile is asked for, then it interpolates inside its bucket to %s', (q, expected) => {
    expect(bucketQuantile(q, buckets)).toBeCloseTo(expected, 10);
  });

  test('when the rank falls in the +Inf bucket, then the answer is the highest finite bound', () => {
    expect(bucketQuantile(0.95, buckets)).toBe(1);
    expect(bucketQuantile(0.99, buckets)).toBe(1);
  });

  test('when there are no observations, then there is no quantile', () => {
    expect(bucketQuantile(0.5, [])).toBeNull();
    expect(
      bucketQuantile(0.5, [
        { le: 0.1, count: 0 },
        { le: Infinity, count: 0 },
      ]),
    ).toBeNull();
  });

  test('when every observation is above the last finite bound, then every quantile is that bound', () => {
    const allSlow = [
      { le: 0.1, count: 0 },
      { le: 2.5, count: 0 },
      { le: Infinity, count: 7 },
    ];

    expect([0.5, 0.95, 0.99].map((q) => bucketQuantile(q, allSlow))).toEqual([2.5, 2.5, 2.5]);
  });

  test('when all observations are in the first bucket, then quantiles spread from zero to its bound', () => {
    const fast = [
      { le: 0.005, count: 4 },
      { le: 0.01, count: 4 },
      { le: Infinity, count: 4 },
    ];

    expect(bucketQuantile(0.5, fast)).toBeCloseTo(0.0025, 10);
    expect(bucketQuantile(1, fast)).toBeCloseTo(0.005, 10);
  });
});

describe('createMetrics', () => {
  test('when a service owns some business metrics, then only those are exported, at zero before any event', async () => {
    const metrics = createMetrics('user', ['registrations', 'logins']);

    const text = await metrics.registry.metrics();

    expect(text).toContain('casino_registrations_total{service="user"} 0');
    expect(text).toContain('# TYPE casino_logins_total counter');
    expect(text).not.toContain('casino_bets_total');
    expect(text).toContain('http_server_request_duration_seconds');
  });

  test('when an owned counter is counted, then it adds the value with the labels and the service', async () => {
    const metrics = createMetrics('game', ['bets']);

    metrics.count('bets', { game_id: 'lucky-sevens', outcome: 'win' });
    metrics.count('bets', { game_id: 'lucky-sevens', outcome: 'win' }, 2);

    expect(await metrics.registry.metrics()).toContain('casino_bets_total{game_id="lucky-sevens",outcome="win",service="game"} 3');
  });

  test('when a metric the service does not own is counted, then it throws and nothing is exported', async () => {
    const metrics = createMetrics('user', ['registrations']);

    expect(() => metrics.count('bets', { game_id: 'x', outcome: 'loss' })).toThrow('metric bets is not registered by this service');
    expect(await metrics.registry.metrics()).not.toContain('casino_bets_total');
  });

  test('when two services create their metrics in one process, then their registries are separate', async () => {
    const a = createMetrics('user', ['registrations']);
    const b = createMetrics('payment', ['deposits']);

    a.count('registrations');

    expect(await a.registry.metrics()).toContain('casino_registrations_total{service="user"} 1');
    expect(await b.registry.metrics()).not.toContain('casino_registrations_total');
  });
});

describe('metricsMiddleware', () => {
  test('when requests hit a parameterised route, then they are counted under the route template, not the raw path', async () => {
    const metrics = createMetrics('user', []);
    const a = app(metrics);

    await request(a).get('/players/1').expect(200);
    await request(a).get('/players/2').expect(200);
    await request(a).get('/players/3').expect(200);

    expect(await recorded(metrics)).toEqual({ 'GET /players/:id 200': 3 });
  });

  test('when a route in a mounted router answers, then the template includes the mount path', async () => {
    const metrics = createMetrics('gateway', []);

    await request(app(metrics)).get('/api/v1/wallets/w-1').expect(200);

    expect(await recorded(metrics)).toEqual({ 'GET /api/v1/wallets/:walletId 200': 1 });
  });

  test('when routes fail with a problem, then the failure is counted under the same template with its status', async () => {
    const metrics = createMetrics('gateway', []);
    const a = app(metrics);

    await request(a).post('/players/9/limits').expect(400);
    await request(a).get('/api/v1/wallets/w-1/locked').expect(401);

    expect(await recorded(metrics)).toEqual({ 'POST /players/:id/limits 400': 1, 'GET /api/v1/wallets/:walletId/locked 401': 1 });
  });

  test('when paths match no route, then they are all counted as unmatched, however many different paths there are', async () => {
    const metrics = createMetrics('user', []);
    const a = app(metrics);

    await request(a).get('/nope/1').expect(404);
    await request(a).get('/nope/2').expect(404);
    await request(a).get('/api/v1/nothing-here').expect(404);

    expect(await recorded(metrics)).toEqual({ 'GET unmatched 404': 3 });
  });

  test('when health and metrics endpoints are probed, then they are not recorded', async () => {
    const metrics = createMetrics('user', []);
    const a = app(metrics);

    await request(a).get('/healthz').expect(200);
    await request(a).get('/metrics').expect(200);
    await request(a).get('/players/1').expect(200);

    expect(await recorded(metrics)).toEqual({ 'GET /players/:id 200': 1 });
  });
});

describe('metricsJson', () => {
  test('when a histogram has observations, then each series gets its count, sum and p50/p95/p99 from the buckets', async () => {
    const metrics = createMetrics('user', []);
    const labels = { method: 'GET', route: '/players/:id', status_code: '200' };
    // Two observations in (0, 0.005], two in (0.025, 0.05].
    for (const seconds of [0.003, 0.004, 0.03, 0.04]) metrics.httpDuration.observe(labels, seconds);
    metrics.httpDuration.observe({ ...labels, status_code: '404' }, 20);

    const { metrics: all } = await metricsJson(metrics.registry);

    const histogram = all.find((m) => m.name === 'http_server_request_duration_seconds');
    expect(histogram).toBeDefined();
    const series = (histogram && 'series' in histogram ? histogram.series : undefined) ?? [];
    const ok = series.find((s) => s.labels.status_code === '200');
    expect(ok).toMatchObject({ labels: { ...labels, service: 'user' }, count: 4 });
    expect(ok!.sum).toBeCloseTo(0.077, 10);
    expect(ok!.p50).toBeCloseTo(0.005, 10); // rank 2: the top of the first bucket
    expect(ok!.p95).toBeCloseTo(0.0475, 10); // rank 3.8: 0.025 + 0.025 × 1.8/2
    expect(ok!.p99).toBeCloseTo(0.0495, 10); // rank 3.96: 0.025 + 0.025 × 1.96/2
    const slow = series.find((s) => s.labels.status_code === '404');
    expect(slow).toMatchObject({ count: 1, p50: 10, p95: 10, p99: 10 });
  });

  test('when a histogram has no observations yet, then it has no series', async () => {
    const metrics = createMetrics('user', []);

    const { metrics: all } = await metricsJson(metrics.registry);

    expect(all.find((m) => m.name === 'http_server_request_duration_seconds')).toMatchObject({ type: 'histogram', series: [] });
  });

  test('when counters are counted, then they come back as plain values with their labels', async () => {
    const metrics = createMetrics('payment', ['deposits', 'depositCents']);
    metrics.count('deposits', { status: 'accepted' }, 2);
    metrics.count('deposits', { status: 'refused' });
    metrics.count('depositCents', {}, 12_500);

    const { metrics: all } = await metricsJson(metrics.registry);

    expect(all.find((m) => m.name === 'casino_deposits_total')).toEqual({
      name: 'casino_deposits_total',
      help: 'Deposit requests by status',
      type: 'counter',
      values: expect.arrayContaining([
        { labels: { status: 'accepted', service: 'payment' }, value: 2 },
        { labels: { status: 'refused', service: 'payment' }, value: 1 },
      ]),
    });
    expect(all.find((m) => m.name === 'casino_deposits_cents_total')).toMatchObject({
      values: [{ labels: { service: 'payment' }, value: 12_500 }],
    });
  });
});
