/**
 * Switching scenarios on a running platform, as a presenter does: through `npm run scenario` and
 * the gateway's admin API, reaching every service at once and again after a service lost it.
 */
import { SERVICES, type ServiceName } from '@casino/shared';
import { callerAuthorization } from '@casino/shared/testing';
import { runCli } from './support/cli';
import { type RunningPlatform, startPlatform, TEST_SECRETS } from './support/platform';
import './support/timeout';

/** What the gateway sends to set or read a service's scenarios. */
const asGateway = (service: ServiceName) => ({ authorization: callerAuthorization('gateway', service) });

describe('switching scenarios on a running platform', () => {
  let platform: RunningPlatform;
  const scenario = (...args: string[]) =>
    runCli('scenario', [...args, '--url', `http://127.0.0.1:${platform.ports.gateway}`], {
      env: { ADMIN_TOKEN: TEST_SECRETS.ADMIN_TOKEN },
      timeoutMs: 30_000,
    });
  const stateOf = async (service: (typeof SERVICES)[number]) =>
    (await fetch(`http://127.0.0.1:${platform.ports[service]}/internal/scenarios`, { headers: asGateway(service) })).json() as Promise<
      Record<string, { enabled: boolean; params: unknown }>
    >;

  beforeAll(async () => {
    platform = await startPlatform({ SCENARIOS: 'cache-outage' });
  }, 60_000);

  afterAll(async () => {
    await platform?.stop();
  });

  test('when the platform starts with SCENARIOS, then every service has those on, and list shows them', async () => {
    for (const service of SERVICES.filter((s) => s !== 'gateway')) {
      expect((await stateOf(service))['cache-outage']).toEqual({ enabled: true, params: {} });
    }
    const run = await scenario('list');

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ON +cache-outage/m);
    expect(run.stdout).toMatch(/^off {2}payment-failures +rate=0.1 +payment$/m);
    expect(run.stdout.match(/^(ON |off) /gm)).toHaveLength(11);
  });

  test('when a scenario is switched on with a parameter, then every service holds it by the time the command returns', async () => {
    const run = await scenario('on', 'payment-failures', '--rate', '0.3');

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^ON +payment-failures +rate=0.3/m);
    expect(run.stdout).not.toContain('not reached');
    for (const service of ['user', 'game', 'payment', 'wager'] as const) {
      expect((await stateOf(service))['payment-failures']).toEqual({ enabled: true, params: { rate: 0.3 } });
    }
  });

  test('when a service loses the state (as a restarted one has), then the gateway gives it back within about 2 s', async () => {
    await scenario('on', 'latency', '--service', 'wager', '--ms', '50');
    await fetch(`http://127.0.0.1:${platform.ports.payment}/internal/scenarios`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...asGateway('payment') },
      body: '{}',
    });
    expect(await stateOf('payment')).toEqual({});

    const lost = Date.now();
    let back: Record<string, unknown> = {};
    while (Date.now() - lost < 5_000 && !back['latency']) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      back = await stateOf('payment');
    }

    expect(back['latency']).toEqual({ enabled: true, params: { ms: 50, service: 'wager' } });
    expect(Date.now() - lost).toBeLessThan(3_000);
  });

  test("when an unknown scenario or a bad parameter is given, then the command exits 1 with the gateway's reason and nothing changes", async () => {
    const unknown = await scenario('on', 'flaky-game');
    const bad = await scenario('on', 'payment-failures', '--rate', '7');
    const typo = await scenario('on', 'slow-query', '--milliseconds', '900');

    expect(unknown).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('There is no scenario flaky-game. Known scenarios: slow-query'),
    });
    expect(bad).toMatchObject({ code: 1, stderr: expect.stringContaining('params.rate') });
    expect(typo).toMatchObject({ code: 1, stderr: expect.stringContaining('Invalid parameters for slow-query') });
    expect((await stateOf('payment'))['payment-failures']).toEqual({ enabled: true, params: { rate: 0.3 } });
    expect((await stateOf('user'))['slow-query']).toBeUndefined();
  });

  test('when everything is switched off, then every scenario is off everywhere', async () => {
    const run = await scenario('off', 'all', '--json');

    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as { name: string }[]).map((s) => s.name).sort()).toEqual([
      'cache-outage',
      'latency',
      'payment-failures',
    ]);
    for (const service of ['user', 'game', 'payment', 'wager'] as const) {
      expect(Object.values(await stateOf(service)).filter((s) => s.enabled)).toEqual([]);
    }
  });

  test('when chaos is started, then it switches a scenario on at its first tick, and stopping it switches that off', async () => {
    const start = await scenario(
      'chaos',
      'start',
      '--interval',
      '1',
      '--min',
      '60',
      '--max',
      '60',
      '--seed',
      '11',
      '--scenarios',
      'n-plus-one,slow-query',
    );
    expect(start.code).toBe(0);
    expect(start.stdout).toContain('chaos running');

    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const status = await scenario('chaos', 'status', '--json');
    const active = (JSON.parse(status.stdout) as { active: { name: string }[] }).active.map((a) => a.name);
    expect(active).toHaveLength(1);
    expect((await stateOf('wager'))[active[0]!]).toMatchObject({ enabled: true });

    const stop = await scenario('chaos', 'stop');
    expect(stop.code).toBe(0);
    expect(stop.stdout).toContain('chaos stopped');
    expect((await stateOf('wager'))[active[0]!]).toMatchObject({ enabled: false });
  });

  test('when the command is wrong or the gateway is away, then it exits 2 with the reason', async () => {
    const unknown = await scenario('flip', 'everything');
    const away = await runCli('scenario', ['list', '--url', 'http://127.0.0.1:1'], { env: { ADMIN_TOKEN: TEST_SECRETS.ADMIN_TOKEN } });

    expect(unknown).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown command "flip"') });
    expect(away).toMatchObject({ code: 2, stderr: expect.stringContaining('Cannot reach the gateway at http://127.0.0.1:1') });
  });
});
