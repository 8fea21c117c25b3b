import { statfs } from 'node:fs/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { Router } from 'express';
import type { Cache } from './cache';
import type { Config } from './config';
import { sentryMode } from './sentry';
import type { Store } from './store';

/** A check's verdict: `down` only when the service cannot do its work (its store is down). */
export type HealthLevel = 'ok' | 'warn' | 'down';
type Level = HealthLevel;

export interface HealthDeps {
  config: Config;
  store: Store;
  cache: Cache;
  /** True once shutdown has begun: readiness fails so load balancers stop sending traffic. */
  draining: () => boolean;
}

/** The body of GET /health. */
/** A type, not an interface, so it is a plain JSON object to the public API's types. */
export type HealthReport = {
  status: HealthLevel;
  service: string;
  version: string;
  release: string;
  environment: string;
  sentry: string;
  uptimeSeconds: number;
  pid: number;
  components: Record<string, { status: HealthLevel } & Record<string, unknown>>;
};

const WINDOW_MS = 60_000;

/**
 * What /health reports about the process rather than a service: when it started and its
 * event-loop delay. One per process, made on first use, so every route that reports health
 * (/health, the gateway's admin health) reads the same figures and the same window.
 */
function processProbe() {
  const started = Date.now();
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  let windowStart = Date.now();

  const eventLoop = () => {
    // Before the first sample (just after start or a reset) the mean is NaN, which JSON turns into null.
    const ms = (ns: number) => (Number.isFinite(ns) ? Math.round((ns / 1e6) * 10) / 10 : 0);
    const figures = {
      delayMeanMs: ms(loop.mean),
      delayP99Ms: ms(loop.percentile(99)),
      delayMaxMs: ms(loop.max),
      windowSeconds: Math.round((Date.now() - windowStart) / 1000),
    };
    if (Date.now() - windowStart > WINDOW_MS) {
      loop.reset();
      windowStart = Date.now();
    }
    const status: Level = figures.delayP99Ms > 500 ? 'down' : figures.delayP99Ms > 100 ? 'warn' : 'ok';
    return { status, ...figures };
  };

  return { started, eventLoop };
}

let probe: ReturnType<typeof processProbe> | undefined;
const theProbe = () => (probe ??= processProbe());

/**
 * The /health body: store, cache, memory, disk and event-loop checks, version and release.
 * /health answers it with 503 when `status` is `down`, else 200.
 */
export async function healthReport({ config, store, cache }: Pick<HealthDeps, 'config' | 'store' | 'cache'>): Promise<HealthReport> {
  const { started, eventLoop } = theProbe();
  const storeCheck = async () => {
    const t0 = performance.now();
    const up = await store.ping();
    return {
      status: (up ? 'ok' : 'down') as Level,
      kind: store.kind,
      database: store.database,
      transactions: store.transactional,
      latencyMs: Math.round((performance.now() - t0) * 10) / 10,
    };
  };

  const memory = process.memoryUsage();
  const heapLimit = getHeapStatistics().heap_size_limit;
  let disk: { status: Level } & Record<string, unknown>;
  try {
    const fs = await statfs(process.cwd());
    const free = fs.bavail * fs.bsize;
    const total = fs.blocks * fs.bsize;
    disk = { status: free / total < 0.05 ? 'warn' : 'ok', path: process.cwd(), freeBytes: free, totalBytes: total };
  } catch (err) {
    disk = { status: 'warn', error: (err as Error).message };
  }
  const components = {
    store: await storeCheck(),
    cache: { status: (cache.status() === 'degraded' ? 'warn' : 'ok') as Level, state: cache.status() },
    memory: {
      status: (memory.heapUsed / heapLimit > 0.9 ? 'warn' : 'ok') as Level,
      rssBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      heapTotalBytes: memory.heapTotal,
      heapLimitBytes: heapLimit,
    },
    disk,
    eventLoop: eventLoop(),
  };
  const levels = Object.values(components).map((c) => c.status);
  const status: Level = components.store.status === 'down' ? 'down' : levels.includes('warn') || levels.includes('down') ? 'warn' : 'ok';
  return {
    status,
    service: config.service,
    version: config.version,
    release: config.sentry.release,
    environment: config.sentry.environment,
    sentry: sentryMode(),
    uptimeSeconds: Math.round((Date.now() - started) / 1000),
    pid: process.pid,
    components,
  };
}

export function healthRouter({ config, store, cache, draining }: HealthDeps): Router {
  const router = Router();
  // Starts the clock and the event-loop monitor with the first app, not with the first /health.
  theProbe();

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/readyz', async (_req, res) => {
    const storeUp = await store.ping();
    const cacheStatus = cache.status();
    const ready = storeUp && !draining();
    res.status(ready ? 200 : 503).json({
      status: !ready ? 'unavailable' : cacheStatus === 'degraded' ? 'degraded' : 'ok',
      ...(draining() ? { reason: 'shutting down' } : {}),
      components: { store: storeUp ? 'up' : 'down', cache: cacheStatus },
    });
  });

  router.get('/health', async (_req, res) => {
    const report = await healthReport({ config, store, cache });
    res.status(report.status === 'down' ? 503 : 200).json(report);
  });

  return router;
}
