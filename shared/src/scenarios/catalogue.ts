/**
 * The scenario catalogue: every intentional problem a presenter can switch on, what it does, where
 * it acts and the parameters it takes. Part of the public contract (the admin API lists it), and
 * pure: no I/O, so a service's domain may read it.
 */
import { z } from 'zod';
import { JOB_NAMES, JOBS } from '../jobs/catalogue';
import type { ServiceName } from '../services';

const ms = (min: number, max: number, fallback: number) => z.number().int().min(min).max(max).default(fallback);
const none = z.strictObject({});

export const SCENARIO_CATALOGUE = {
  'slow-query': {
    services: ['user'],
    description:
      'The player lookup on the spin path becomes a slow query: an unindexed scan on MongoDB, latency inside the DB span in the embedded store.',
    params: z.strictObject({ ms: ms(50, 5_000, 500) }),
  },
  'cpu-spike': {
    services: ['game'],
    description: 'The RNG does wasteful CPU work on every spin, visible in profiles and event-loop delay.',
    params: z.strictObject({ ms: ms(20, 2_000, 300) }),
  },
  'payment-failures': {
    services: ['payment'],
    description: 'A fraction of stake debits fail as a provider decline or timeout; the spin answers a clear problem and moves no money.',
    params: z.strictObject({ rate: z.number().min(0).max(1).default(0.1) }),
  },
  'n-plus-one': {
    services: ['wager', 'payment'],
    description: 'The bonus history and transaction lists load each item with its own query.',
    params: none,
  },
  'error-burst': {
    services: ['gateway', 'user', 'game', 'wager'],
    description:
      'The error suite: an unhandled exception in a route, an unhandled promise rejection, a handled error with context, an upstream 5xx through the gateway, and a validation failure.',
    params: none,
  },
  'memory-leak': {
    services: ['game'],
    description: 'A cache in the game service grows without bound while on, and is released when switched off.',
    params: z.strictObject({ kbPerSpin: z.number().int().min(1).max(10_000).default(256) }),
  },
  latency: {
    services: ['gateway'],
    description: 'The gateway delays its calls to one downstream service.',
    params: z.strictObject({ ms: ms(1, 10_000, 300), service: z.enum(['user', 'game', 'payment', 'wager']).default('game') }),
  },
  'cache-outage': {
    services: ['gateway', 'user', 'game', 'payment', 'wager'],
    description:
      'Services behave as if Redis were unreachable: the no-op cache answers, /readyz reports the cache degraded, players see no error.',
    params: none,
  },
  'bad-release': {
    services: ['game'],
    description: 'A regressed release: the game reports under another release, and a new error type appears on some spins.',
    params: z.strictObject({ release: z.string().min(1).max(200).optional(), rate: z.number().min(0).max(1).default(0.2) }),
  },
  'cron-failure': {
    services: [...new Set(Object.values(JOBS).map((job) => job.service))],
    description:
      'A scheduled job fails (mode fail: an error check-in and an error) or overruns (mode hang: no check-in until switched off, so Sentry counts the run timed out and the next ones missed).',
    params: z.strictObject({ job: z.enum(JOB_NAMES).default('ledger-recovery'), mode: z.enum(['fail', 'hang']).default('fail') }),
  },
  'frontend-memory-leak': {
    services: ['frontend'],
    description: 'The ops console leaks listeners and intervals in the browser while on.',
    params: none,
  },
} as const satisfies Record<string, { services: readonly (ServiceName | 'frontend')[]; description: string; params: z.ZodType }>;

export type ScenarioName = keyof typeof SCENARIO_CATALOGUE;
export const SCENARIO_NAMES = Object.keys(SCENARIO_CATALOGUE) as ScenarioName[];
export type ScenarioParams<N extends ScenarioName> = z.output<(typeof SCENARIO_CATALOGUE)[N]['params']>;

export interface ScenarioSetting {
  enabled: boolean;
  params: Record<string, unknown>;
}

/** What the gateway sends every service: the whole state, so a late or restarted service catches up. */
export type ScenarioSnapshot = Partial<Record<ScenarioName, ScenarioSetting>>;

export const isScenarioName = (name: string): name is ScenarioName => Object.hasOwn(SCENARIO_CATALOGUE, name);

/** Checks and completes a scenario's parameters with their defaults; a ZodError when they are wrong. */
export function scenarioParams<N extends ScenarioName>(name: N, params: unknown): ScenarioParams<N> {
  return SCENARIO_CATALOGUE[name].params.parse(params ?? {}) as ScenarioParams<N>;
}

/** `SCENARIOS=slow-query,payment-failures`: those on with their defaults; unknown names are an error. */
export function startState(names: readonly string[]): ScenarioSnapshot {
  const snapshot: ScenarioSnapshot = {};
  for (const name of names) {
    if (!isScenarioName(name)) throw new Error(`SCENARIOS names an unknown scenario "${name}"; known: ${SCENARIO_NAMES.join(', ')}`);
    snapshot[name] = { enabled: true, params: scenarioParams(name, {}) as Record<string, unknown> };
  }
  return snapshot;
}
