import { Router } from 'express';
import { z } from 'zod';
import { parseInput } from './errors';
import { isScenarioName, SCENARIO_CATALOGUE, type ScenarioName, type Scenarios, type ScenarioSnapshot } from './scenarios';

const setting = z.strictObject({ enabled: z.boolean(), params: z.record(z.string(), z.unknown()) });
const snapshotBody = z.record(z.string(), setting).superRefine((value, ctx) => {
  for (const [name, s] of Object.entries(value)) {
    if (!isScenarioName(name)) {
      ctx.addIssue({ code: 'custom', path: [name], message: 'unknown scenario' });
      continue;
    }
    const parsed = SCENARIO_CATALOGUE[name].params.safeParse(s.params);
    if (!parsed.success) ctx.addIssue({ code: 'custom', path: [name, 'params'], message: parsed.error.issues.map((i) => i.message).join('; ') });
  }
});

/**
 * The gateway's way in: it PUTs the whole scenario state on every change and every few seconds, so
 * a service that restarted or missed a change is current again within one round.
 */
export function scenarioStateRouter(scenarios: Scenarios): Router {
  const router = Router();
  router.get('/internal/scenarios', (_req, res) => {
    res.json(scenarios.snapshot());
  });
  router.put('/internal/scenarios', (req, res) => {
    const body = parseInput(snapshotBody, req.body, 'scenario state');
    const next: ScenarioSnapshot = {};
    for (const [name, s] of Object.entries(body)) next[name as ScenarioName] = { enabled: s.enabled, params: SCENARIO_CATALOGUE[name as ScenarioName].params.parse(s.params) as Record<string, unknown> };
    scenarios.replace(next);
    res.json(scenarios.snapshot());
  });
  return router;
}
