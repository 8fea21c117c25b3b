/**
 * Demo scenarios: intentional problems a presenter switches on and off while the platform runs.
 * The catalogue (names, what they do, their parameters) is part of the public contract. The
 * gateway holds the state and pushes it to every service; each service asks `scenarios.active()`
 * where a scenario acts, and marks what it affected with `scenarioApplied()`.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import * as Sentry from '@sentry/node';
import type { NextFunction, Request, Response } from 'express';
import { z } from 'zod';
import type { ServiceName } from './services';
import { Attr } from './telemetry';

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
    services: ['gateway', 'user', 'game', 'payment', 'wager'],
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

type Listener = (name: ScenarioName, setting: ScenarioSetting | undefined) => void;

/** One service's view of which scenarios are on. */
export class Scenarios {
  private state: ScenarioSnapshot;
  private readonly listeners = new Set<Listener>();

  constructor(initial: ScenarioSnapshot = {}) {
    this.state = { ...initial };
  }

  /** The parameters of a scenario that is on, or undefined when it is off. */
  active<N extends ScenarioName>(name: N): ScenarioParams<N> | undefined {
    const setting = this.state[name];
    return setting?.enabled ? (setting.params as ScenarioParams<N>) : undefined;
  }

  snapshot(): ScenarioSnapshot {
    return structuredClone(this.state);
  }

  /** Replaces the whole state, telling listeners about each scenario that changed. */
  replace(next: ScenarioSnapshot): void {
    const before = this.state;
    this.state = structuredClone(next);
    for (const name of SCENARIO_NAMES) {
      if (JSON.stringify(before[name]) !== JSON.stringify(this.state[name]))
        for (const listener of this.listeners) listener(name, this.state[name]);
    }
  }

  /** Called whenever a scenario is switched or its parameters change, e.g. to release what it held. */
  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

const affected = new AsyncLocalStorage<Set<ScenarioName>>();

/** Gives each request a place to record the scenarios that affected it, for its log lines. */
export function scenarioContext(_req: Request, res: Response, next: NextFunction): void {
  const names = new Set<ScenarioName>();
  res.locals.scenarios = names;
  affected.run(names, next);
}

/** The scenarios that affected the current request so far, comma-separated; undefined if none. */
export function appliedScenarios(): string | undefined {
  const names = affected.getStore();
  return names?.size ? [...names].join(',') : undefined;
}

/**
 * Marks the current request as affected by a scenario: an attribute on the active span and on the
 * service's root span, a tag on every event the request reports, and a field on its log lines, so
 * a presenter can filter on `casino.scenario`.
 */
export function scenarioApplied(name: ScenarioName): void {
  const names = affected.getStore();
  names?.add(name);
  const value = names?.size ? [...names].join(',') : name;
  const span = Sentry.getActiveSpan();
  if (span) {
    span.setAttribute(Attr.scenario, value);
    Sentry.getRootSpan(span).setAttribute(Attr.scenario, value);
    // The isolation scope is per request only while the SDK runs.
    Sentry.getIsolationScope().setTag(Attr.scenario, value);
  }
}
