import { type ChildProcess, fork } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type AddressInfo, createServer, type Server } from 'node:net';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { parseConfig, SERVICES, type ServiceName } from '@casino/shared/config';
import { serviceEnv } from './service-keys';

/** The repository root: the nearest folder up whose package.json declares workspaces. */
export function repoRoot(from = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { workspaces?: unknown }).workspaces) return dir;
    if (dirname(dir) === dir) throw new Error('repository root not found');
  }
}

/** Ports the OS says are free right now. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Server>((resolve) => {
          const server = createServer();
          server.listen(0, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  const ports = servers.map((s) => (s.address() as AddressInfo).port);
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  return ports;
}

/** What the launcher starts: the five services, and Spotlight, the local trace viewer. */
export type ProcessName = ServiceName | 'spotlight';

export interface LaunchOptions {
  /** The environment every service gets. */
  env: NodeJS.ProcessEnv;
  root?: string;
  services?: readonly ServiceName[];
  /**
   * Start Spotlight (observability/spotlight) on this port of 127.0.0.1 before the services, so their
   * first envelopes find it: the SDK stops sending to a sidecar that refused four in a row.
   */
  spotlightPort?: number;
  /** Each line a process writes to stdout or stderr. */
  onLine?: (name: ProcessName, line: string, stream: 'stdout' | 'stderr') => void;
  /** Called if a process exits while the platform is meant to be running. */
  onExit?: (name: ProcessName, code: number | null, signal: NodeJS.Signals | null) => void;
  readyTimeoutMs?: number;
  /**
   * Once the platform is up, start a service that exits again, after a backoff that doubles from
   * 250 ms up to 5 s; a service that exits `maxRestarts` times within `windowMs` is in a crash loop
   * and stays down. Off unless given (the tests that kill a service mean it to stay dead).
   */
  restart?: { maxRestarts: number; windowMs: number };
  /** A service will be started again in `delayMs` (the `attempt`th time in the window). */
  onRestart?: (name: ServiceName, attempt: number, delayMs: number) => void;
  /** A service restarted `maxRestarts` times within the window: it stays down. */
  onGiveUp?: (name: ServiceName, restarts: number) => void;
}

/** What `npm run demo` restarts: five exits of one service within a minute is a crash loop. */
export const DEMO_RESTARTS = { maxRestarts: 5, windowMs: 60_000 };

export interface Platform {
  ports: Record<ServiceName, number>;
  /** Each process's pid, kept current as the launcher restarts them. */
  pids: Partial<Record<ProcessName, number>>;
  /** Milliseconds from launch until every service answered /readyz with 200. */
  readyAfterMs: number;
  /** Spotlight's UI, when it was started. */
  spotlight?: { url: string };
  stop(): Promise<void>;
}

async function ready(url: string, deadline: number, alive: () => boolean): Promise<void> {
  while (Date.now() < deadline) {
    if (!alive()) throw new Error('exited before it was ready');
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`not ready within the time allowed (${url})`);
}

/**
 * Spotlight's heap, as its image sets it too: it keeps the last 500 envelopes, whose live size
 * stayed under 40 MB through a 90 s traffic burst, and a small young generation keeps its resident
 * memory near 130 MB where it would pass 300 MB unbounded (docs/spotlight.md).
 */
export const SPOTLIGHT_NODE_OPTIONS = '--max-old-space-size=96 --max-semi-space-size=4';

/** The environment Spotlight gets: its own settings only, none of the platform's secrets. */
function spotlightEnv(env: NodeJS.ProcessEnv, port: number): NodeJS.ProcessEnv {
  return {
    PATH: env.PATH,
    NODE_OPTIONS: SPOTLIGHT_NODE_OPTIONS,
    SPOTLIGHT_PORT: String(port),
    ...(env.SPOTLIGHT_DEBUG ? { SPOTLIGHT_DEBUG: env.SPOTLIGHT_DEBUG } : {}),
  };
}

/**
 * Starts each service as its own Node process (`node --import instrument.js main.js`), and Spotlight
 * first when asked, each with an IPC channel so that it exits when its launcher does, even one
 * killed with SIGKILL. Resolves once every /readyz answers 200.
 */
export async function launch(options: LaunchOptions): Promise<Platform> {
  const root = options.root ?? repoRoot();
  const services = options.services ?? SERVICES;
  const started = Date.now();
  const deadline = started + (options.readyTimeoutMs ?? 30_000);
  const children = new Map<ProcessName, ChildProcess>();
  const exited = new Set<ProcessName>();
  let stopping = false;
  const ports = Object.fromEntries(SERVICES.map((s) => [s, parseConfig(s, options.env).port])) as Record<ServiceName, number>;

  const pids: Partial<Record<ProcessName, number>> = {};
  let up = false;
  const restarts = new Map<ServiceName, number[]>();
  const start = (name: ProcessName, script: string, env: NodeJS.ProcessEnv, execArgv: string[] = []) => {
    const child = fork(script, [], { cwd: root, env, execArgv, stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    children.set(name, child);
    exited.delete(name);
    pids[name] = child.pid;
    for (const stream of ['stdout', 'stderr'] as const) {
      createInterface({ input: child[stream]! }).on('line', (line) => options.onLine?.(name, line, stream));
    }
    child.once('exit', (code, signal) => {
      exited.add(name);
      if (stopping) return;
      options.onExit?.(name, code, signal);
      if (up && options.restart && name !== 'spotlight') restartLater(name, () => start(name, script, env, execArgv));
    });
  };
  const restartLater = (name: ServiceName, again: () => void) => {
    const { maxRestarts, windowMs } = options.restart!;
    const now = Date.now();
    const recent = (restarts.get(name) ?? []).filter((at) => now - at < windowMs);
    if (recent.length >= maxRestarts) return options.onGiveUp?.(name, recent.length);
    recent.push(now);
    restarts.set(name, recent);
    const delayMs = Math.min(250 * 2 ** (recent.length - 1), 5_000);
    options.onRestart?.(name, recent.length, delayMs);
    setTimeout(() => {
      if (!stopping) again();
    }, delayMs).unref();
  };
  const stopOne = (name: ProcessName) =>
    new Promise<void>((resolve) => {
      const child = children.get(name);
      if (!child || exited.has(name)) return resolve();
      const kill = setTimeout(() => child.kill('SIGKILL'), 12_000);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill('SIGTERM');
    });
  // The services first, so that what they send while draining still reaches Spotlight.
  const stop = async () => {
    stopping = true;
    await Promise.all(services.map(stopOne));
    await stopOne('spotlight');
  };
  const whenReady = (name: ProcessName, url: string) =>
    ready(url, deadline, () => !exited.has(name)).catch((err: Error) => {
      throw new Error(`${name}: ${err.message}`);
    });

  let spotlight: Platform['spotlight'];
  try {
    if (options.spotlightPort !== undefined) {
      const port = options.spotlightPort;
      start('spotlight', join(root, 'observability', 'spotlight', 'dist', 'main.js'), spotlightEnv(options.env, port));
      await whenReady('spotlight', `http://127.0.0.1:${port}/health`);
      spotlight = { url: `http://localhost:${port}` };
    }
    for (const service of services) {
      const dist = join(root, 'services', service, 'dist');
      start(service, join(dist, 'main.js'), serviceEnv(options.env, service), [
        '--import',
        pathToFileURL(join(dist, 'instrument.js')).href,
      ]);
    }
    await Promise.all(services.map((s) => whenReady(s, `http://127.0.0.1:${ports[s]}/readyz`)));
  } catch (err) {
    await stop();
    throw err;
  }
  up = true;
  return {
    ports,
    pids,
    readyAfterMs: Date.now() - started,
    ...(spotlight ? { spotlight } : {}),
    stop,
  };
}
