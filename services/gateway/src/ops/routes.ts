import {
  AppError,
  type Cache,
  type Config,
  isScenarioName,
  type Logger,
  parseInput,
  type ResponseBody,
  SCENARIO_NAMES,
  type Schema,
  type Scenarios,
  slug,
  type Store,
  zodFieldErrors,
} from '@casino/shared';
import { Router } from 'express';
import { z, ZodError } from 'zod';
import type { Upstreams } from '../data/upstreams';
import { chaosConfig } from './chaos';
import { ChaosRunner } from './chaos-runner';
import { healthGrid } from './health';
import { readReconciliation } from './reconciliation';
import { ScenarioControl } from './scenario-control';
import { trafficRoutes } from './traffic';

export interface OpsDeps {
  upstreams: Upstreams;
  scenarios: Scenarios;
  logger: Logger;
  /** The gateway's own, for its entry in the health grid. */
  config: Config;
  store: Store;
  cache: Cache;
  /** Re-send the scenario state to the services this often (none in tests that drive it by hand). */
  syncScenariosEveryMs?: number;
}

const scenarioBody = z.strictObject({ enabled: z.boolean(), params: z.record(z.string(), z.unknown()).optional() });

/**
 * The control plane, /api/v1/admin: the presenters' and operators' routes. Mount it behind the
 * admin guard; every route here switches, reads or loads the platform.
 */
export function opsRoutes(deps: OpsDeps): Router {
  const { upstreams } = deps;
  const control = new ScenarioControl(deps);
  const chaos = new ChaosRunner(control, deps.scenarios, deps.logger);
  if (deps.syncScenariosEveryMs) control.startSync(deps.syncScenariosEveryMs);
  const ops = Router();

  // ---- demo scenarios
  ops.get('/scenarios', async (_req, res) => {
    res.json({ items: await control.list() } satisfies ResponseBody<'/api/v1/admin/scenarios', 'get'>);
  });
  ops.put('/scenarios/:name', async (req, res) => {
    const name = parseInput(slug, req.params.name, 'scenario name', 'name');
    const body = parseInput(scenarioBody, req.body);
    if (!isScenarioName(name)) {
      throw AppError.notFound('scenario-not-found', `There is no scenario ${name}. Known scenarios: ${SCENARIO_NAMES.join(', ')}.`);
    }
    try {
      const { scenario, reached } = await control.set(name, body.enabled, body.params);
      res.json({ ...scenario, reached } satisfies ResponseBody<'/api/v1/admin/scenarios/{name}', 'put'>);
    } catch (err) {
      if (!(err instanceof ZodError)) throw err;
      const errors = zodFieldErrors(err).map((e) => ({ ...e, path: e.path === '(body)' ? 'params' : `params.${e.path}` }));
      throw AppError.badRequest(`Invalid parameters for ${name}: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`, errors);
    }
  });

  // ---- chaos mode
  ops.get('/chaos', (_req, res) => {
    res.json(chaos.status() satisfies Schema<'ChaosStatus'>);
  });
  ops.post('/chaos', (req, res) => {
    const config = parseInput(chaosConfig, req.body ?? {}, 'chaos settings');
    if (chaos.running)
      throw AppError.conflict('chaos-running', 'Chaos mode is already running; stop it first (DELETE /api/v1/admin/chaos).');
    chaos.start(config);
    res.status(201).json(chaos.status());
  });
  ops.delete('/chaos', async (_req, res) => {
    await chaos.stop();
    res.json(chaos.status());
  });

  // ---- the health grid of the ops console, polled every few seconds
  ops.get('/health', async (_req, res) => {
    res.json((await healthGrid(deps)) satisfies Schema<'HealthGrid'>);
  });

  // ---- reconciliation
  ops.get('/reconciliation', async (_req, res) => {
    res.json((await readReconciliation(upstreams)) satisfies Schema<'ReconciliationReport'>);
  });

  // ---- traffic from the console
  ops.use(trafficRoutes(deps));

  return ops;
}
