import {
  AppError,
  type BonusReconciliation,
  isScenarioName,
  type LedgerReconciliation,
  parseInput,
  type RoundReconciliation,
  SCENARIO_NAMES,
  slug,
  zodFieldErrors,
} from '@casino/shared';
import type { RequestHandler, Router } from 'express';
import { z, ZodError } from 'zod';
import type { ChaosRunner } from '../data/chaos-runner';
import type { ScenarioControl } from '../data/scenario-control';
import { chaosConfig } from '../domain/chaos';
import { combineReconciliation } from '../domain/reconciliation';
import type { Upstreams } from './routes';

export interface AdminDeps {
  upstreams: Upstreams;
  control: ScenarioControl;
  chaos: ChaosRunner;
}

const scenarioBody = z.strictObject({ enabled: z.boolean(), params: z.record(z.string(), z.unknown()).optional() });

/** The presenters' and operators' routes, all behind the admin token. */
export function adminRoutes(api: Router, admin: RequestHandler, { upstreams, control, chaos }: AdminDeps): void {
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
    if (chaos.running) throw AppError.conflict('chaos-running', 'Chaos mode is already running; stop it first (DELETE /api/v1/admin/chaos).');
    chaos.start(config);
    res.status(201).json(chaos.status());
  });
  api.delete('/admin/chaos', admin, async (_req, res) => {
    await chaos.stop();
    res.json(chaos.status());
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
