import request from 'supertest';
import { bearer, closeAll, closedUrl, expectObservedErrorsDocumented, expectProblem, gateway } from './harness';

afterEach(closeAll);
afterAll(expectObservedErrorsDocumented);

const ORDER = ['gateway', 'user', 'game', 'payment', 'wager'];

/** A /health body as a service of the platform sends it, cut down to what the grid passes on. */
const healthBody = (service: string, status: 'ok' | 'warn' | 'down') => ({
  status,
  service,
  version: '0.1.0',
  components: {
    store: { status: status === 'down' ? 'down' : 'ok' },
    cache: { status: status === 'warn' ? 'warn' : 'ok', state: 'ready' },
  },
});

interface Item {
  service: string;
  status: string;
  latencyMs: number;
  health?: Record<string, unknown>;
  error?: string;
}

const byService = (items: Item[]) => Object.fromEntries(items.map((i) => [i.service, i]));

describe('GET /api/v1/admin/health', () => {
  test('when it is called without a token, then it is a 401 problem and no service is asked', async () => {
    const g = await gateway();

    const res = await request(g.app).get('/api/v1/admin/health');

    expectProblem(res, 401, 'unauthorized');
    expect(g.upstreamRequests()).toEqual([]);
  });

  test('when every service answers, then the five entries come in order, each with its own status and its /health body as sent', async () => {
    const g = await gateway();
    g.fakes.user.answer({ status: 200, body: healthBody('user', 'ok') });
    g.fakes.game.answer({ status: 200, body: healthBody('game', 'warn') });
    g.fakes.payment.answer({ status: 503, body: healthBody('payment', 'down') });
    g.fakes.wager.answer({ status: 200, body: healthBody('wager', 'ok') });

    const res = await request(g.app).get('/api/v1/admin/health').set(bearer(g.adminToken));

    expect(res.status).toBe(200);
    expect(new Date(res.body.checkedAt).toISOString()).toBe(res.body.checkedAt);
    const items = res.body.items as Item[];
    expect(items.map((i) => [i.service, i.status])).toEqual([
      ['gateway', expect.stringMatching(/^(ok|warn)$/)],
      ['user', 'ok'],
      ['game', 'warn'],
      ['payment', 'down'],
      ['wager', 'ok'],
    ]);
    const { gateway: own, user, game, payment, wager } = byService(items);
    expect(user).toEqual({ service: 'user', status: 'ok', latencyMs: expect.any(Number), health: healthBody('user', 'ok') });
    expect(game!.health).toEqual(healthBody('game', 'warn'));
    expect(payment).toEqual({ service: 'payment', status: 'down', latencyMs: expect.any(Number), health: healthBody('payment', 'down') });
    expect(wager!.health).toEqual(healthBody('wager', 'ok'));
    // The gateway's own entry is its /health body, built in process, not fetched.
    const ownHealth = await request(g.app).get('/health');
    expect(own!.health).toMatchObject({
      status: own!.status,
      service: 'gateway',
      pid: process.pid,
      components: { store: { status: 'ok' } },
    });
    expect(Object.keys(own!.health!).sort()).toEqual(Object.keys(ownHealth.body).sort());
    expect(Object.keys(own!.health!.components as object).sort()).toEqual(Object.keys(ownHealth.body.components).sort());
    // One GET /health each, the 503 included: no retries.
    for (const name of ['user', 'game', 'payment', 'wager'] as const)
      expect(g.fakes[name].requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /health']);
  });

  test('when a service refuses connections, then it shows unreachable at once with the error, while the rest are ok', async () => {
    const g = await gateway({ urls: { game: await closedUrl() } });
    for (const name of ['user', 'payment', 'wager'] as const) g.fakes[name].answer({ status: 200, body: healthBody(name, 'ok') });

    const started = Date.now();
    const res = await request(g.app).get('/api/v1/admin/health').set(bearer(g.adminToken));
    const tookMs = Date.now() - started;

    expect(res.status).toBe(200);
    const items = res.body.items as Item[];
    expect(items.map((i) => i.service)).toEqual(ORDER);
    expect(items.filter((i) => i.service !== 'gateway').map((i) => [i.service, i.status])).toEqual([
      ['user', 'ok'],
      ['game', 'unreachable'],
      ['payment', 'ok'],
      ['wager', 'ok'],
    ]);
    const game = byService(items).game!;
    expect(game).toEqual({
      service: 'game',
      status: 'unreachable',
      latencyMs: expect.any(Number),
      error: expect.stringContaining('game service is unavailable'),
    });
    expect(game.error).toContain('ECONNREFUSED');
    expect(game.latencyMs).toBeLessThan(1_000);
    expect(tookMs).toBeLessThan(1_000);
  });

  test('when a service hangs, then it shows unreachable after about 2 s, and the others answer without waiting for it', async () => {
    const g = await gateway();
    for (const name of ['user', 'game', 'payment'] as const) g.fakes[name].answer({ status: 200, body: healthBody(name, 'ok') });
    g.fakes.wager.answer({ status: 200, body: healthBody('wager', 'ok'), delayMs: 10_000 });

    const started = Date.now();
    const res = await request(g.app).get('/api/v1/admin/health').set(bearer(g.adminToken));
    const tookMs = Date.now() - started;

    expect(res.status).toBe(200);
    const { user, game, payment, wager } = byService(res.body.items as Item[]);
    expect(wager).toEqual({
      service: 'wager',
      status: 'unreachable',
      latencyMs: expect.any(Number),
      error: expect.stringContaining('did not answer in time'),
    });
    expect(wager!.latencyMs).toBeGreaterThanOrEqual(1_900);
    expect(tookMs).toBeGreaterThanOrEqual(1_900);
    expect(tookMs).toBeLessThan(3_500);
    for (const peer of [user, game, payment]) {
      expect(peer!.status).toBe('ok');
      expect(peer!.latencyMs).toBeLessThan(1_000);
    }
    expect(g.fakes.wager.requests).toHaveLength(1);
  });
});
