import { Router } from 'express';
import { z } from 'zod';
import { parseInput } from '../errors';
import { isScenarioName, SCENARIO_CATALOGUE, type ScenarioSnapshot } from './catalogue';
import type { Scenarios } from './state';

const setting = z.strictObject({ enabled: z.boolean(), params: z.record(z.string(), z.unknown()) });
/** The whole state, each scenario known and its parameters checked and completed with their defaults. */
const snapshotBody = z.record(z.string(), setting).transform((value, ctx) => {
  const next: ScenarioSnapshot = {};
  for (const [name, s] of Object.entries(value)) {
    if (!isScenarioName(name)) {
      ctx.addIssue({ code: 'custom', path: [name], message: 'unknown scenario' });
      continue;
    }
    const parsed = SCENARIO_CATALOGUE[name].params.safeParse(s.params);
    if (parsed.success) next[name] = { enabled: s.enabled, params: parsed.data as Record<string, unknown> };
    else ctx.addIssue({ code: 'custom', path: [name, 'params'], message: parsed.error.issues.map((i) => i.message).join('; ') });
  }
  return next;
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
    scenarios.replace(parseInput(snapshotBody, req.body, 'scenario state'));
    res.json(scenarios.snapshot());
  });
  return router;
}
