/**
 * `npm run demo` as a user starts it: the built CLI in a process of its own, on free ports, with
 * helpers to wait for its banner and to find the processes it started.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVICES, type ServiceName } from '@casino/shared';
import { repoRoot } from '@casino/tools/launcher';
import { freePorts, TEST_SECRETS } from './platform';

const DEMO = join(repoRoot(), 'tools', 'dist', 'cli', 'demo.js');

export interface Demo {
  /** The demo's own process (the launcher), whether or not a wrapper started it. */
  pid(): number;
  process: ChildProcess;
  output: string[];
  exited: Promise<number | null>;
  gateway: number;
  /** Each service's port. */
  ports: Record<ServiceName, number>;
  frontend: number;
  spotlight: number;
  /** Milliseconds from the spawn until Spotlight's /health answered 200, once `untilReady` has seen it. */
  spotlightReadyMs?: number;
}

export interface DemoOptions {
  env?: NodeJS.ProcessEnv;
  args?: string[];
  /** A command the demo runs under, such as a recorder: `[command, ...its arguments]`. */
  wrap?: string[];
}

export async function startDemo({ env: extra = {}, args = [], wrap = [] }: DemoOptions = {}): Promise<Demo> {
  const ports = await freePorts(SERVICES.length + 2);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...TEST_SECRETS,
    ...Object.fromEntries(SERVICES.map((s, i) => [`${s.toUpperCase()}_PORT`, String(ports[i])])),
    FRONTEND_PORT: String(ports[SERVICES.length]),
    SPOTLIGHT_PORT: String(ports[SERVICES.length + 1]),
    ...extra,
  };
  const [command, ...prefix] = wrap.length ? wrap : [process.execPath];
  const child = spawn(command!, [...prefix, ...(wrap.length ? [process.execPath] : []), DEMO, ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout!.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const pid = () => (wrap.length ? childrenOf(child.pid!)[0]! : child.pid!);
  return {
    pid,
    process: child,
    output,
    exited,
    gateway: ports[0]!,
    ports: Object.fromEntries(SERVICES.map((s, i) => [s, ports[i]!])) as Record<ServiceName, number>,
    frontend: Number(env.FRONTEND_PORT),
    spotlight: Number(env.SPOTLIGHT_PORT),
  };
}

/** Waits for the ready banner, noting when Spotlight first answered. */
export async function untilReady(demo: Demo, timeoutMs = 30_000): Promise<void> {
  const started = Date.now();
  const deadline = started + timeoutMs;
  while (!demo.output.join('').includes('Casino platform ready')) {
    if (Date.now() > deadline || demo.process.exitCode !== null) throw new Error(`demo did not start:\n${demo.output.join('')}`);
    if (demo.spotlightReadyMs === undefined) {
      const res = await fetch(`http://127.0.0.1:${demo.spotlight}/health`).catch(() => undefined);
      if (res?.status === 200) demo.spotlightReadyMs = Date.now() - started;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Stops the demo as Ctrl-C does and waits for it to end. */
export async function stopDemo(demo: Demo): Promise<void> {
  if (demo.process.exitCode !== null) return;
  process.kill(demo.pid(), 'SIGINT');
  await demo.exited;
}

export const childrenOf = (pid: number): number[] => {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
};

/** A process's command line, as /proc shows it. */
export const commandOf = (pid: number): string => {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
};

/** Resident memory in bytes, from /proc. */
export const rssOf = (pid: number): number =>
  Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;

/** Running, that is: a process that has exited but not yet been reaped (a zombie) counts as gone. */
export const alive = (pid: number): boolean => {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
};

export async function allGone(pids: number[], timeoutMs = 15_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (pids.some(alive)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}
