import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { SERVICES } from '@casino/shared';
import { repoRoot } from '@casino/shared/launcher';
import { freePorts, TEST_SECRETS } from './support/platform';

const DEMO = join(repoRoot(), 'shared', 'dist', 'cli', 'demo.js');

interface Demo {
  process: ChildProcess;
  output: string[];
  exited: Promise<number | null>;
  gateway: number;
  frontend: number;
}

async function startDemo(extra: NodeJS.ProcessEnv = {}): Promise<Demo> {
  const ports = await freePorts(SERVICES.length + 1);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...TEST_SECRETS,
    ...Object.fromEntries(SERVICES.map((s, i) => [`${s.toUpperCase()}_PORT`, String(ports[i])])),
    FRONTEND_PORT: String(ports[SERVICES.length]),
    ...extra,
  };
  const child = spawn(process.execPath, [DEMO], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  child.stdout!.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { process: child, output, exited, gateway: ports[0]!, frontend: Number(env.FRONTEND_PORT) };
}

async function untilReady(demo: Demo): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!demo.output.join('').includes('Casino platform ready')) {
    if (Date.now() > deadline || demo.process.exitCode !== null) throw new Error(`demo did not start:\n${demo.output.join('')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const childrenOf = (pid: number): number[] => {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).trim().split('\n').filter(Boolean).map(Number);
  } catch {
    return [];
  }
};

/** Running, that is: a process that has exited but not yet been reaped (a zombie) counts as gone. */
const alive = (pid: number): boolean => {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
};

async function allGone(pids: number[], timeoutMs = 15_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (pids.some(alive)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}

describe('npm run demo', () => {
  test.each(['SIGINT', 'SIGTERM'] as const)(
    'when the demo is ready and gets %s, then every service stops, with no process left behind',
    async (signal) => {
      const demo = await startDemo();
      await untilReady(demo);
      const services = childrenOf(demo.process.pid!);
      expect(services).toHaveLength(5);
      const ready = await fetch(`http://127.0.0.1:${demo.gateway}/readyz`);
      expect(ready.status).toBe(200);
      expect(demo.output.join('')).toContain(`http://localhost:${demo.gateway}/api-docs`);

      demo.process.kill(signal);

      expect(await demo.exited).toBe(0);
      expect(await allGone(services)).toBe(true);
      expect(demo.output.join('')).toContain('All services stopped.');
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
      const demo = await startDemo({ FRONTEND_PORT: String(busy) });
      expect(await demo.exited).toBe(1);
      expect(demo.output.join('')).toContain(`The frontend did not start: port ${busy} is in use (set FRONTEND_PORT)`);
      expect(demo.output.join('')).toContain('All services stopped.');
    } finally {
      blocker.close();
    }
  });

  test('when the demo itself is killed outright, then its services notice and exit on their own', async () => {
    const demo = await startDemo();
    await untilReady(demo);
    const services = childrenOf(demo.process.pid!);
    expect(services).toHaveLength(5);

    demo.process.kill('SIGKILL');

    expect(await allGone(services)).toBe(true);
  });

  test('when a setting is invalid, then the demo stops at once with one line naming it', async () => {
    const demo = await startDemo({ SENTRY_TRACES_SAMPLE_RATE: 'lots' });

    expect(await demo.exited).toBe(1);
    const lines = demo.output.join('').trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^configuration error: SENTRY_TRACES_SAMPLE_RATE /);
  });
});
