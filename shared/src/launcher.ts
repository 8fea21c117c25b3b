import { type ChildProcess, fork } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { type AddressInfo, createServer, type Server } from 'node:net';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { parseConfig, SERVICES, type ServiceName } from './config';

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

export interface LaunchOptions {
  /** The environment every service gets. */
  env: NodeJS.ProcessEnv;
  root?: string;
  services?: readonly ServiceName[];
  /** Each line a service writes to stdout or stderr. */
  onLine?: (service: ServiceName, line: string, stream: 'stdout' | 'stderr') => void;
  /** Called if a service exits while the platform is meant to be running. */
  onExit?: (service: ServiceName, code: number | null, signal: NodeJS.Signals | null) => void;
  readyTimeoutMs?: number;
}

export interface Platform {
  ports: Record<ServiceName, number>;
  pids: Partial<Record<ServiceName, number>>;
  /** Milliseconds from launch until every service answered /readyz with 200. */
  readyAfterMs: number;
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
 * Starts each service as its own Node process (`node --import instrument.js main.js`), with an IPC
 * channel so that a service exits when its launcher does, even one killed with SIGKILL. Resolves
 * once every /readyz answers 200.
 */
export async function launch(options: LaunchOptions): Promise<Platform> {
  const root = options.root ?? repoRoot();
  const services = options.services ?? SERVICES;
  const started = Date.now();
  const children = new Map<ServiceName, ChildProcess>();
  const exited = new Set<ServiceName>();
  let stopping = false;
  const ports = Object.fromEntries(SERVICES.map((s) => [s, parseConfig(s, options.env).port])) as Record<ServiceName, number>;

  for (const service of services) {
    const dist = join(root, 'services', service, 'dist');
    const child = fork(join(dist, 'main.js'), [], {
      cwd: root,
      env: options.env,
      execArgv: ['--import', pathToFileURL(join(dist, 'instrument.js')).href],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    children.set(service, child);
    for (const stream of ['stdout', 'stderr'] as const) {
      createInterface({ input: child[stream]! }).on('line', (line) => options.onLine?.(service, line, stream));
    }
    child.once('exit', (code, signal) => {
      exited.add(service);
      if (!stopping) options.onExit?.(service, code, signal);
    });
  }

  const stop = async () => {
    stopping = true;
    await Promise.all(
      [...children.entries()].map(
        ([service, child]) =>
          new Promise<void>((resolve) => {
            if (exited.has(service)) return resolve();
            const kill = setTimeout(() => child.kill('SIGKILL'), 12_000);
            child.once('exit', () => {
              clearTimeout(kill);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      ),
    );
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  try {
    await Promise.all(
      services.map((s) =>
        ready(`http://127.0.0.1:${ports[s]}/readyz`, deadline, () => !exited.has(s)).catch((err: Error) => {
          throw new Error(`${s}: ${err.message}`);
        }),
      ),
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    ports,
    pids: Object.fromEntries([...children.entries()].map(([s, c]) => [s, c.pid])),
    readyAfterMs: Date.now() - started,
    stop,
  };
}
