import { type CallerPolicy, createServiceApp } from '@casino/shared';
import { SCENARIO_NAMES, scenarioApplied, scenarioParams, Scenarios, startState } from '@casino/shared/scenarios';
import { asItsCallers, testDeps } from '@casino/shared/testing';
import { Router } from 'express';
import request from 'supertest';

function service() {
  const deps = testDeps('wager');
  const routes = Router();
  routes.get('/affected', (_req, res) => {
    if (deps.scenarios.active('n-plus-one')) scenarioApplied('n-plus-one');
    deps.logger.info('inside the request');
    res.json({ ok: true });
  });
  const callers: CallerPolicy = { 'GET /affected': ['game'] };
  return { deps, app: asItsCallers(createServiceApp({ ...deps, routes, callers }), 'wager', callers) };
}

describe('scenarios', () => {
  test('when the state is replaced, then active() gives the parameters of those on, and listeners hear only what changed', () => {
    const scenarios = new Scenarios(startState(['slow-query']));
    const heard: string[] = [];
    scenarios.onChange((name, setting) => heard.push(`${name}:${setting?.enabled ?? 'gone'}`));

    scenarios.replace({ 'slow-query': { enabled: true, params: { ms: 500 } }, 'cpu-spike': { enabled: true, params: { ms: 300 } } });
    scenarios.replace({ 'slow-query': { enabled: false, params: { ms: 500 } }, 'cpu-spike': { enabled: true, params: { ms: 300 } } });

    expect(scenarios.active('slow-query')).toBeUndefined();
    expect(scenarios.active('cpu-spike')).toEqual({ ms: 300 });
    expect(scenarios.active('latency')).toBeUndefined();
    expect(heard).toEqual(['cpu-spike:true', 'slow-query:false']);
  });

  test('when parameters are checked, then defaults fill the gaps and anything out of bounds is refused', () => {
    expect(scenarioParams('latency', { ms: 50 })).toEqual({ ms: 50, service: 'game' });
    expect(() => scenarioParams('payment-failures', { rate: -0.1 })).toThrow();
    expect(() => startState(['slow-query', 'no-such-thing'])).toThrow(/unknown scenario "no-such-thing"/);
    expect(SCENARIO_NAMES).toHaveLength(11);
    expect(scenarioParams('cron-failure', {})).toEqual({ job: 'ledger-recovery', mode: 'fail' });
    expect(() => scenarioParams('cron-failure', { job: 'no-such-job' })).toThrow();
  });

  test('when the gateway sends the state, then the service takes it whole and answers what it now holds', async () => {
    const { app, deps } = service();

    const res = await request(app)
      .put('/internal/scenarios')
      .send({ 'n-plus-one': { enabled: true, params: {} }, latency: { enabled: false, params: { ms: 10 } } });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      'n-plus-one': { enabled: true, params: {} },
      latency: { enabled: false, params: { ms: 10, service: 'game' } },
    });
    expect(deps.scenarios.active('n-plus-one')).toEqual({});
    expect((await request(app).get('/internal/scenarios')).body).toEqual(res.body);
  });

  test.each([
    ['an unknown scenario', { 'flaky-game': { enabled: true, params: {} } }, 'flaky-game'],
    ['parameters out of bounds', { 'payment-failures': { enabled: true, params: { rate: 3 } } }, 'payment-failures.params'],
    ['a setting without enabled', { 'slow-query': { params: {} } }, 'slow-query.enabled'],
  ])('when the state sent has %s, then it is a 400 problem naming it and the state is unchanged', async (_what, body, path) => {
    const { app, deps } = service();

    const res = await request(app).put('/internal/scenarios').send(body);

    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    expect(deps.scenarios.snapshot()).toEqual({});
  });

  test('when a scenario affects a request, then its log lines carry casino.scenario; other requests do not', async () => {
    const { app, deps } = service();
    await request(app).get('/affected').expect(200);
    deps.scenarios.replace({ 'n-plus-one': { enabled: true, params: {} } });
    await request(app).get('/affected').expect(200);

    const lines = deps.logs.map((l) => JSON.parse(l) as Record<string, unknown>);
    const inside = lines.filter((l) => l.msg === 'inside the request');
    const requestLines = lines.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('GET /affected'));

    expect(inside.map((l) => l['casino.scenario'])).toEqual([undefined, 'n-plus-one']);
    expect(requestLines.map((l) => l['casino.scenario'])).toEqual([undefined, 'n-plus-one']);
  });
});
