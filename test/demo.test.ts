import { createServer } from 'node:net';
import { allGone, childrenOf, commandOf, startDemo, untilReady } from './support/demo';
import { freePorts } from './support/platform';

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
});
