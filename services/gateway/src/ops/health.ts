import * as Sentry from '@sentry/node';
import {
  AppError,
  type Cache,
  type Config,
  type HealthLevel,
  healthReport,
  networkCode,
  type ServiceClient,
  type Store,
} from '@casino/shared';
import type { Upstreams } from '../data/upstreams';

type Peer = keyof Upstreams;
const PEERS: readonly Peer[] = ['user', 'game', 'payment', 'wager'];

/** A peer's /health gets this long, once: the grid is polled every few seconds anyway. */
const HEALTH_TIMEOUT_MS = 2_000;

export interface HealthItem {
  service: 'gateway' | Peer;
  /** The service's own verdict; `unreachable` when it did not answer in time, or at all. */
  status: HealthLevel | 'unreachable';
  latencyMs: number;
  /** The service's /health body, as it sent it. */
  health?: Record<string, unknown>;
  error?: string;
}

const LEVELS: readonly string[] = ['ok', 'warn', 'down'] satisfies HealthLevel[];
const since = (t0: number) => Math.round((performance.now() - t0) * 10) / 10;

/** One peer's /health: a 503 still carries its checks, so it is kept like a 200. */
async function peerHealth(service: Peer, client: ServiceClient): Promise<HealthItem> {
  const t0 = performance.now();
  try {
    const { status, body } = await client.exchange<{ status?: unknown } | undefined>('GET', '/health', undefined, {
      timeoutMs: HEALTH_TIMEOUT_MS,
      retries: 0,
      acceptStatuses: [503],
    });
    const level = body?.status;
    if (typeof level === 'string' && LEVELS.includes(level))
      return { service, status: level as HealthLevel, latencyMs: since(t0), health: body };
    return {
      service,
      status: status === 503 ? 'down' : 'warn',
      latencyMs: since(t0),
      health: body,
      error: `The ${service} service's /health answer has no status.`,
    };
  } catch (err) {
    const latencyMs = since(t0);
    // 503 and 504 here mean no answer (refused, reset, timed out); anything else is an answer that was wrong.
    const answered = !(err instanceof AppError) || (err.status !== 503 && err.status !== 504);
    const code = networkCode(err);
    const error = `${(err as Error).message}${code ? ` (${code})` : ''}`;
    return { service, status: answered ? 'down' : 'unreachable', latencyMs, error };
  }
}

/** The gateway's own /health body, built in process as /health builds it. */
async function ownHealth(deps: { config: Config; store: Store; cache: Cache }): Promise<HealthItem> {
  const t0 = performance.now();
  try {
    const report = await healthReport(deps);
    return { service: 'gateway', status: report.status, latencyMs: since(t0), health: report };
  } catch (err) {
    return { service: 'gateway', status: 'down', latencyMs: since(t0), error: (err as Error).message };
  }
}

/**
 * The ops console's health grid: the gateway's own report and each peer's /health, all at once, so
 * a dead peer costs its timeout and no more; untraced, as polling is not traffic.
 */
export async function healthGrid(deps: {
  config: Config;
  store: Store;
  cache: Cache;
  upstreams: Upstreams;
}): Promise<{ checkedAt: string; items: HealthItem[] }> {
  const checkedAt = new Date().toISOString();
  const items = await Sentry.suppressTracing(() =>
    Promise.all([ownHealth(deps), ...PEERS.map((peer) => peerHealth(peer, deps.upstreams[peer]))]),
  );
  return { checkedAt, items };
}
