import * as Sentry from '@sentry/node';
import {
  AppError,
  type BonusReconciliation,
  type Cache,
  type Config,
  type HealthLevel,
  healthReport,
  isScenarioName,
  type LedgerReconciliation,
  parseInput,
  type RoundReconciliation,
  SCENARIO_NAMES,
  type ServiceClient,
  slug,
  type Store,
  zodFieldErrors,
} from '@casino/shared';
import type { RequestHandler, Router } from 'express';
import { z, ZodError } from 'zod';
import type { ChaosRunner } from '../data/chaos-runner';
import type { ScenarioControl } from '../data/scenario-control';
import { chaosConfig } from '../domain/chaos';
import { combineReconciliation } from '../domain/reconciliation';
import type { Upstreams } from '../data/upstreams';

export interface AdminDeps {
  upstreams: Upstreams;
  control: ScenarioControl;
  chaos: ChaosRunner;
  /** The gateway's own, for its entry in the health grid. */
  config: Config;
  store: Store;
  cache: Cache;
}

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
  health?: unknown;
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
    const code = (err as { cause?: { cause?: { code?: unknown } } }).cause?.cause?.code;
    const error = `${(err as Error).message}${typeof code === 'string' ? ` (${code})` : ''}`;
    return { service, status: answered ? 'down' : 'unreachable', latencyMs, error };
  }
}

/** The gateway's own /health body, built in process as /health builds it. */
async function ownHealth(deps: Pick<AdminDeps, 'config' | 'store' | 'cache'>): Promise<HealthItem> {
  const t0 = performance.now();
  try {
    const report = await healthReport(deps);
    return { service: 'gateway', status: report.status, latencyMs: since(t0), health: report };
  } catch (err) {
    return { service: 'gateway', status: 'down', latencyMs: since(t0), error: (err as Error).message };
  }
}

const scenarioBody = z.strictObject({ enabled: z.boolean(), params: z.record(z.string(), z.unknown()).optional() });

/** The presenters' and operators' routes, all behind the admin token. */
export function adminRoutes(api: Router, admin: RequestHandler, { upstreams, control, chaos, config, store, cache }: AdminDeps): void {
  // ---- demo scenarios
  api.get('/admin/scenarios', admin, async (_req, res) => {
    res.json({ items: await control.list() });
  });
  api.put('/admin/scenarios/:name', admin, async (req, res) => {
    const name = parseInput(slug, req.params.name, 'scenario name');
    const body = parseInput(scenarioBody, req.body);
    if (!isScenarioName(name)) {
      throw AppError.notFound('scenario-not-found', `There is no scenario ${name}. Known scenarios: ${SCENARIO_NAMES.join(', ')}.`);
    }
    try {
      const { scenario, reached } = await control.set(name, body.enabled, body.params);
      res.json({ ...scenario, reached });
    } catch (err) {
      if (!(err instanceof ZodError)) throw err;
      const errors = zodFieldErrors(err).map((e) => ({ ...e, path: e.path === '(body)' ? 'params' : `params.${e.path}` }));
      throw AppError.badRequest(`Invalid parameters for ${name}: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, errors);
    }
  });

  // ---- chaos mode
  api.get('/admin/chaos', admin, (_req, res) => {
    res.json(chaos.status());
  });
  api.post('/admin/chaos', admin, (req, res) => {
    const config = parseInput(chaosConfig, req.body ?? {}, 'chaos settings');
    if (chaos.running)
      throw AppError.conflict('chaos-running', 'Chaos mode is already running; stop it first (DELETE /api/v1/admin/chaos).');
    chaos.start(config);
    res.status(201).json(chaos.status());
  });
  api.delete('/admin/chaos', admin, async (_req, res) => {
    await chaos.stop();
    res.json(chaos.status());
  });

  // ---- the health grid of the ops console, polled every few seconds
  api.get('/admin/health', admin, async (_req, res) => {
    const checkedAt = new Date().toISOString();
    // All at once, so a dead peer costs its timeout and no more; untraced, as polling is not traffic.
    const items = await Sentry.suppressTracing(() =>
      Promise.all([ownHealth({ config, store, cache }), ...PEERS.map((peer) => peerHealth(peer, upstreams[peer]))]),
    );
    res.json({ checkedAt, items });
  });

  // ---- reconciliation
  api.get('/admin/reconciliation', admin, async (_req, res) => {
    // A full pass reads every wallet and bonus: give it longer than a player's request gets.
    const slow = { timeoutMs: 60_000 };
    const [ledger, bonuses, rounds] = await Promise.all([
      upstreams.payment.get<LedgerReconciliation>('/reconciliation', slow),
      upstreams.wager.get<BonusReconciliation>('/reconciliation', slow),
      upstreams.game.get<RoundReconciliation>('/reconciliation', slow),
    ]);
    res.json(combineReconciliation(ledger, bonuses, rounds, new Date()));
  });
}
