import { createServer } from 'node:net';
import { randomUUID } from 'node:crypto';
import { alive, allGone, childrenOf, commandOf, type Demo, startDemo, stopDemo, untilReady } from './support/demo';
import { call, freePorts } from './support/platform';
import { until } from './support/wait';

describe('npm run demo', () => {
  test.each(['SIGINT', 'SIGTERM'] as const)(
    'when the demo is ready and gets %s, then every service and Spotlight stop, with no process left behind',
    async (signal) => {
      const demo = await startDemo();
      try {
        await untilReady(demo);
        const processes = childrenOf(demo.process.pid!);
        // The five services and Spotlight.
        expect(processes).toHaveLength(6);
        expect(processes.map(commandOf).filter((c) => c.endsWith('observability/spotlight/dist/main.js'))).toHaveLength(1);
        const ready = await fetch(`http://127.0.0.1:${demo.gateway}/readyz`);
        expect(ready.status).toBe(200);
        expect(demo.output.join('')).toContain(`http://localhost:${demo.gateway}/api-docs`);

        demo.process.kill(signal);

        expect(await demo.exited).toBe(0);
        expect(await allGone(processes)).toBe(true);
        expect(demo.output.join('')).toContain('All services stopped.');
      } finally {
        demo.process.kill('SIGKILL');
      }
    },
  );

  test('when the demo is ready, then the web frontend is served on FRONTEND_PORT with its settings, and /api reaches the gateway through it', async () => {
    const demo = await startDemo();
    try {
      await untilReady(demo);
      expect(demo.output.join('')).toContain(`Lobby        http://localhost:${demo.frontend}`);
      const page = await fetch(`http://127.0.0.1:${demo.frontend}/console`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root"></div>');
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
      const settings = (await (await fetch(`http://127.0.0.1:${demo.frontend}/config.json`)).json()) as Record<string, unknown>;
      expect(settings).toMatchObject({ apiBaseUrl: '', sentryDsn: null, traceViewer: 'Spotlight' });
      const games = await fetch(`http://127.0.0.1:${demo.frontend}/api/v1/games`);
      expect(games.status).toBe(200);
      expect(games.headers.get('x-trace-id')).toMatch(/^[0-9a-f]{32}$/);
      const missing = await fetch(`http://127.0.0.1:${demo.frontend}/assets/nope.js`);
      expect(missing.status).toBe(404);
    } finally {
      demo.process.kill('SIGTERM');
      await demo.exited;
    }
  });

  test('when the frontend port is taken, then the demo stops every service and says which port', async () => {
    const [busy] = await freePorts(1);
    const blocker = createServer().listen(busy, '127.0.0.1');
    try {
      const demo = await startDemo({ env: { FRONTEND_PORT: String(busy) } });
      expect(await demo.exited).toBe(1);
      expect(demo.output.join('')).toContain(`The frontend did not start: port ${busy} is in use (set FRONTEND_PORT)`);
      expect(demo.output.join('')).toContain('All services stopped.');
    } finally {
      blocker.close();
    }
  });

  test('when the demo itself is killed outright, then its services and Spotlight notice and exit on their own', async () => {
    const demo = await startDemo();
    await untilReady(demo);
    const processes = childrenOf(demo.process.pid!);
    expect(processes).toHaveLength(6);

    demo.process.kill('SIGKILL');

    expect(await allGone(processes)).toBe(true);
  });

  test('when the demo is ready, then Spotlight serves its UI on SPOTLIGHT_PORT of loopback, the banner names it, and the services and the browser send to it', async () => {
    const demo = await startDemo();
    try {
      await untilReady(demo);
      const out = demo.output.join('');
      expect(out).toContain(`Spotlight    http://localhost:${demo.spotlight}  traces, errors, logs, profiles`);
      expect(out).toContain('Sentry       no DSN: nothing leaves this machine');
      const ui = await fetch(`http://127.0.0.1:${demo.spotlight}/`);
      expect(ui.status).toBe(200);
      expect(await ui.text()).toContain('<title>Spotlight</title>');
      const settings = (await (await fetch(`http://127.0.0.1:${demo.frontend}/config.json`)).json()) as Record<string, unknown>;
      expect(settings).toMatchObject({
        spotlightUrl: `http://localhost:${demo.spotlight}/stream`,
        traceLifecycle: 'static',
        traceViewer: 'Spotlight',
        traceUrlTemplate: `http://localhost:${demo.spotlight}/telemetry/traces/{traceId}`,
      });
      const health = (await (await fetch(`http://127.0.0.1:${demo.gateway}/health`)).json()) as { sentry: string };
      expect(health.sentry).toBe('spotlight');
      // The gateway's line for a request links its trace (the X-Trace-Id the client got).
      const games = await fetch(`http://127.0.0.1:${demo.gateway}/api/v1/games`);
      const traceId = games.headers.get('x-trace-id');
      const link = `trace=http://localhost:${demo.spotlight}/telemetry/traces/${traceId}`;
      const deadline = Date.now() + 5000;
      while (!demo.output.join('').includes(link) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(
        demo.output
          .join('')
          .split('\n')
          .filter((l) => l.includes(link)),
      ).toEqual([expect.stringMatching(/ gateway +info +GET \/api\/v1\/games 200 /)]);
    } finally {
      demo.process.kill('SIGTERM');
      await demo.exited;
    }
  });

  test.each([
    ['--no-spotlight', { args: ['--no-spotlight'] }],
    ['SENTRY_SPOTLIGHT=false', { env: { SENTRY_SPOTLIGHT: 'false' } }],
  ])(
    'when started with %s, then no Spotlight runs and the lobby links traces nowhere rather than to a port nothing answers',
    async (_how, options) => {
      const demo = await startDemo(options);
      try {
        await untilReady(demo);
        expect(childrenOf(demo.process.pid!)).toHaveLength(5);
        expect(demo.output.join('')).not.toContain('Spotlight    ');
        await expect(fetch(`http://127.0.0.1:${demo.spotlight}/health`)).rejects.toThrow();
        const settings = (await (await fetch(`http://127.0.0.1:${demo.frontend}/config.json`)).json()) as Record<string, unknown>;
        expect(settings).toMatchObject({ spotlightUrl: null, traceLifecycle: 'stream', traceViewer: null, traceUrlTemplate: null });
      } finally {
        demo.process.kill('SIGTERM');
        await demo.exited;
      }
    },
  );

  test("when Spotlight's port is taken, then the demo stops every process and says which port and how to avoid it", async () => {
    const [busy] = await freePorts(1);
    const blocker = createServer().listen(busy, '127.0.0.1');
    try {
      const demo = await startDemo({ env: { SPOTLIGHT_PORT: String(busy) } });
      expect(await demo.exited).toBe(1);
      const out = demo.output.join('');
      expect(out).toContain(`port ${busy} is in use (set SPOTLIGHT_PORT, or start without Spotlight)`);
      expect(out).toContain('The platform did not start: spotlight: exited before it was ready');
    } finally {
      blocker.close();
    }
  });

  test('when a setting is invalid, then the demo stops at once with one line naming it', async () => {
    const demo = await startDemo({ env: { SENTRY_TRACES_SAMPLE_RATE: 'lots' } });

    expect(await demo.exited).toBe(1);
    const lines = demo.output.join('').trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^configuration error: SENTRY_TRACES_SAMPLE_RATE /);
  });

  describe('supervision', () => {
    const serviceProcess = (demo: Demo, service: string) =>
      childrenOf(demo.pid()).find((pid) => commandOf(pid).includes(`services/${service}/dist/main.js`));
    /** How long the supervision tests wait for each step. */
    const WITHIN = 20_000;
    const readyz = (port: number) =>
      fetch(`http://127.0.0.1:${port}/readyz`)
        .then((r) => r.status)
        .catch(() => 0);

    test('when a service is killed, then the demo starts it again with backoff, the others keep serving, and spins succeed once it is back', async () => {
      const demo = await startDemo();
      try {
        await untilReady(demo);
        const api = `http://127.0.0.1:${demo.gateway}/api/v1`;
        const { body } = await call<{ accessToken: string }>(api, 'POST', '/auth/register', {
          body: { email: `s-${randomUUID()}@example.com`, password: 'correct horse battery staple' },
        });
        const token = body.accessToken;
        await call(api, 'POST', '/wallet/deposits', { token, body: { amount: 10_000 }, key: randomUUID() });
        const spin = () => call(api, 'POST', '/games/lucky-sevens/spins', { token, body: { stake: 10 }, key: randomUUID() });
        expect((await spin()).status).toBe(201);
        const first = serviceProcess(demo, 'game')!;

        process.kill(first, 'SIGKILL');
        const whileDown = await until(
          'the game to be down',
          async () => ((await readyz(demo.ports.game)) === 0 ? spin() : undefined),
          WITHIN,
        );
        const others = await Promise.all((['gateway', 'user', 'payment', 'wager'] as const).map((s) => readyz(demo.ports[s])));
        const back = await until(
          'the game to be ready again',
          async () => ((await readyz(demo.ports.game)) === 200 ? Date.now() : undefined),
          WITHIN,
        );
        const again = await until('a spin to succeed', async () => ((await spin()).status === 201 ? Date.now() : undefined), WITHIN);

        expect([502, 503, 504]).toContain(whileDown.status);
        expect(whileDown.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(others).toEqual([200, 200, 200, 200]);
        expect(again - back).toBeLessThan(5_000);
        expect(serviceProcess(demo, 'game')).not.toBe(first);
        expect(alive(first)).toBe(false);
        const output = demo.output.join('');
        expect(output).toContain('game stopped unexpectedly (SIGKILL).');
        expect(output).toMatch(/Restarting game in 0\.25 s \(restart 1 of 5 a minute\)\./);
        expect(output).not.toContain('Stopping every service');
      } finally {
        await stopDemo(demo);
      }
    });

    test('when a service cannot start again, then after five restarts within a minute the demo gives up, says which service and stops everything', async () => {
      const demo = await startDemo();
      const squatter = createServer();
      try {
        await untilReady(demo);
        const processes = childrenOf(demo.pid());
        // Its port taken the moment it dies, each restart fails to listen and exits.
        process.kill(serviceProcess(demo, 'wager')!, 'SIGKILL');
        await until(
          'the port to be free',
          () =>
            new Promise<true | undefined>((resolve) => {
              squatter.once('error', () => resolve(undefined));
              squatter.listen(demo.ports.wager, '127.0.0.1', () => resolve(true));
            }),
          WITHIN,
        );

        expect(await demo.exited).toBe(1);
        const output = demo.output.join('');
        expect(output.match(/Restarting wager in/g)).toHaveLength(5);
        expect(output).toContain('wager keeps crashing (5 restarts within a minute): giving up and stopping the platform.');
        expect(await allGone(processes)).toBe(true);
      } finally {
        squatter.close();
        demo.process.kill('SIGKILL');
      }
    }, 60_000);
  });
});
