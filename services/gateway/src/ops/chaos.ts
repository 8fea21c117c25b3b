import { pick, type Rng, seededRng } from '@casino/shared/random';
import { SCENARIO_CATALOGUE, SCENARIO_NAMES, type ScenarioName } from '@casino/shared/scenarios/catalogue';
import { z } from 'zod';

/** Scenarios chaos may pick by default: every backend one (the browser's leak needs a browser). */
export const CHAOS_CANDIDATES = SCENARIO_NAMES.filter(
  (name) => !(SCENARIO_CATALOGUE[name].services as readonly string[]).includes('frontend'),
);

export const chaosConfig = z
  .strictObject({
    intervalSeconds: z.number().int().min(1).max(3_600).default(60),
    minDurationSeconds: z.number().int().min(1).max(3_600).default(30),
    maxDurationSeconds: z.number().int().min(1).max(3_600).default(120),
    maxConcurrent: z.number().int().min(1).max(CHAOS_CANDIDATES.length).default(1),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(1),
    scenarios: z
      .array(z.enum(CHAOS_CANDIDATES as [ScenarioName, ...ScenarioName[]]))
      .min(1)
      .optional(),
  })
  .refine((c) => c.minDurationSeconds <= c.maxDurationSeconds, {
    error: 'minDurationSeconds must not be above maxDurationSeconds',
    path: ['minDurationSeconds'],
  });

export type ChaosConfig = z.output<typeof chaosConfig>;

export interface ChaosPick {
  name: ScenarioName;
  durationSeconds: number;
}

/**
 * One tick of chaos: with fewer than `maxConcurrent` of its own scenarios on, it picks one that is
 * off (by anyone) and a duration. The same seed and the same ticks give the same picks.
 */
export function pickScenario(config: ChaosConfig, rng: Rng, ownActive: number, on: ReadonlySet<ScenarioName>): ChaosPick | null {
  if (ownActive >= config.maxConcurrent) return null;
  const candidates = (config.scenarios ?? CHAOS_CANDIDATES).filter((name) => !on.has(name));
  if (!candidates.length) return null;
  const name = pick(rng, candidates);
  const durationSeconds = config.minDurationSeconds + rng(config.maxDurationSeconds - config.minDurationSeconds + 1);
  return { name, durationSeconds };
}

export interface ChaosEvent {
  at: string;
  name: ScenarioName;
  action: 'on' | 'off';
}

/**
 * The schedule chaos follows from a seed, tick by tick, as long as nobody else switches scenarios:
 * what a presenter can preview, and what a test can hold the runner to.
 */
export function chaosTimeline(config: ChaosConfig, ticks: number): { second: number; name: ScenarioName; action: 'on' | 'off' }[] {
  const rng = seededRng(config.seed);
  const active = new Map<ScenarioName, number>();
  const events: { second: number; name: ScenarioName; action: 'on' | 'off' }[] = [];
  for (let tick = 1; tick <= ticks; tick++) {
    const second = tick * config.intervalSeconds;
    for (const [name, until] of [...active]) {
      if (until <= second) {
        active.delete(name);
        events.push({ second: until, name, action: 'off' });
      }
    }
    const pick = pickScenario(config, rng, active.size, new Set(active.keys()));
    if (pick) {
      active.set(pick.name, second + pick.durationSeconds);
      events.push({ second, name: pick.name, action: 'on' });
    }
  }
  return events;
}
