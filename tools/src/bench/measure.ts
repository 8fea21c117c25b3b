/**
 * One measurement: a row's processes started afresh, warmed up, then loaded by autocannon at N
 * connections for a while; spins a second, latency, CPU per spin and memory of every process.
 */
import { randomBytes } from 'node:crypto';
import { newServiceKeys } from '@casino/shared/service-identity';
import autocannon from 'autocannon';
import { SERVICES } from '@casino/shared/config';
import { freePorts, launch } from '../launcher';
import { prepareBurst, startBurst } from '../traffic/burst';
import { startBareChain } from './chain';
import type { NullIngest } from './ingest';
import { cpuMs, rssMb, total } from './proc';
import { isBare, type Row } from './rows';

export interface LoadOptions {
  connections: number;
  durationSeconds: number;
  warmupSeconds: number;
}

export interface Measurement {
  row: string;
  spins: number;
  spinsPerSecond: number;
  p50: number;
  p99: number;
  /** Answers other than 201, and connection errors. */
  failures: number;
  /** CPU milliseconds per spin, by process, and in all. */
  cpuMsPerSpin: Record<string, number>;
  rssIdleMb: Record<string, number>;
  rssAfterMb: Record<string, number>;
  readyMs: number;
  /** Envelopes the SDK sent to the local ingest during the load. */
  envelopes: number;
}

const byName = <T>(pids: Record<string, number>, f: (pid: number) => T) =>
  Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, f(pid)])) as Record<string, T>;

function run(options: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) =>
    autocannon(options, (err: unknown, result: autocannon.Result) =>
      err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(result),
    ),
  );
}

async function loaded(
  pids: Record<string, number>,
  load: (seconds: number) => Promise<autocannon.Result>,
  options: LoadOptions,
  ingest: NullIngest | undefined,
): Promise<Omit<Measurement, 'row' | 'rssIdleMb' | 'readyMs'>> {
  await load(options.warmupSeconds);
  const cpuBefore = byName(pids, cpuMs);
  const envelopesBefore = ingest?.envelopes() ?? 0;
  const result = await load(options.durationSeconds);
  const cpuAfter = byName(pids, cpuMs);
  const spins = result['2xx'];
  const cpuMsPerSpin = Object.fromEntries(
    Object.keys(pids).map((name) => [name, (cpuAfter[name]! - cpuBefore[name]!) / Math.max(spins, 1)]),
  );
  cpuMsPerSpin.total = total(cpuMsPerSpin);
  return {
    spins,
    spinsPerSecond: spins / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: result.non2xx + result.errors,
    cpuMsPerSpin,
    rssAfterMb: byName(pids, rssMb),
    envelopes: (ingest?.envelopes() ?? 0) - envelopesBefore,
  };
}

export interface LoadedPlatform {
  pids: Record<string, number>;
  readyAfterMs: number;
  /** Resident memory once every service is ready, before the players are set up. */
  rssIdleMb: Record<string, number>;
  /** Spins through the gateway at the options' connections for `seconds`, by players set up once. */
  load(seconds: number): Promise<autocannon.Result>;
  stop(): Promise<void>;
}

/** The environment a row's platform runs with: fresh secrets and ports, sending to the ingest. */
export async function rowEnv(row: Row, ingest: NullIngest, extraEnv: NodeJS.ProcessEnv = {}): Promise<NodeJS.ProcessEnv> {
  const ports = await freePorts(SERVICES.length);
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'production',
    JWT_SECRET: randomBytes(48).toString('base64url'),
    ADMIN_TOKEN: randomBytes(24).toString('base64url'),
    ...newServiceKeys(),
    RATE_LIMIT_AUTH_PER_MINUTE: '100000',
    SENTRY_SPOTLIGHT: 'false',
    ...Object.fromEntries(SERVICES.map((s, i) => [`${s.toUpperCase()}_PORT`, String(ports[i])])),
    ...(row.sends ? { SENTRY_DSN: ingest.dsn } : {}),
    ...row.env,
    ...extraEnv,
  };
}

export interface PlatformOptions {
  connections?: number;
  /** Added to the row's environment. */
  env?: NodeJS.ProcessEnv;
  /** The checkout whose built services run: this one by default. */
  root?: string;
}

/** A row's platform started afresh, its players registered and funded, ready to be loaded. */
export async function startLoadedPlatform(row: Row, ingest: NullIngest, options: PlatformOptions = {}): Promise<LoadedPlatform> {
  const { connections = 20, root } = options;
  const env = await rowEnv(row, ingest, options.env);
  const platform = await launch({ env, root, onLine: () => undefined });
  try {
    const pids = Object.fromEntries(SERVICES.map((s) => [s, platform.pids[s]!]));
    const rssIdleMb = byName(pids, rssMb);
    const url = `http://127.0.0.1:${platform.ports.gateway}`;
    const burst = { url, connections, durationSeconds: 1, seed: 1 };
    const { setup, tokens } = await prepareBurst(burst);
    const load = (seconds: number) => startBurst({ ...burst, durationSeconds: seconds }, setup, tokens).result;
    return { pids, readyAfterMs: platform.readyAfterMs, rssIdleMb, load, stop: () => platform.stop() };
  } catch (err) {
    await platform.stop();
    throw err;
  }
}

export async function measure(row: Row, options: LoadOptions, ingest: NullIngest): Promise<Measurement> {
  if (isBare(row.id)) {
    const chain = await startBareChain(row.bareWithSdk ? { sentryDsn: ingest.dsn } : {});
    try {
      const rssIdleMb = byName(chain.pids, rssMb);
      const load = (seconds: number) =>
        run({
          url: chain.url,
          method: 'POST',
          connections: options.connections,
          duration: seconds,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ stake: 10 }),
        });
      const counted = row.bareWithSdk ? ingest : undefined;
      return { row: row.id, rssIdleMb, readyMs: chain.readyAfterMs, ...(await loaded(chain.pids, load, options, counted)) };
    } finally {
      await chain.stop();
    }
  }

  const platform = await startLoadedPlatform(row, ingest, { connections: options.connections });
  try {
    const { rssIdleMb } = platform;
    return { row: row.id, rssIdleMb, readyMs: platform.readyAfterMs, ...(await loaded(platform.pids, platform.load, options, ingest)) };
  } finally {
    await platform.stop();
  }
}
