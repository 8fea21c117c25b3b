/**
 * The platform's scheduled work: each job, the service that runs it, how often, and what Sentry's
 * cron monitor for it expects. Pure, so the scenario catalogue can name the jobs. Each job's name is
 * its monitor's slug in Sentry.
 */
import type { ServiceName } from '../services';

export interface JobSpec {
  service: ServiceName;
  description: string;
  /** How often it runs. */
  everyMs: number;
  /** How long after the service starts it first runs, so a presenter sees a check-in at once. */
  firstAfterMs: number;
  /** Sentry's schedule: at least one check-in every this many minutes. */
  scheduleMinutes: number;
  /** Minutes past the expected time before Sentry counts a check-in missed. */
  marginMinutes: number;
  /** Minutes a run may take before Sentry counts it timed out. */
  maxRuntimeMinutes: number;
}

export const JOBS = {
  'round-recovery': {
    service: 'game',
    description: 'Finishes rounds an interrupted request left half-way, and sends wager the stakes it missed.',
    everyMs: 30_000,
    firstAfterMs: 5_000,
    scheduleMinutes: 1,
    marginMinutes: 1,
    maxRuntimeMinutes: 1,
  },
  'ledger-recovery': {
    service: 'payment',
    description: 'Marks applied the ledger entries a crash left pending after their wallet moved.',
    everyMs: 30_000,
    firstAfterMs: 5_000,
    scheduleMinutes: 1,
    marginMinutes: 1,
    maxRuntimeMinutes: 1,
  },
  'bonus-expiry': {
    service: 'wager',
    description: 'Ends the active bonuses whose time is up and forfeits their bonus money.',
    everyMs: 60_000,
    firstAfterMs: 10_000,
    scheduleMinutes: 1,
    marginMinutes: 1,
    maxRuntimeMinutes: 1,
  },
  reconciliation: {
    service: 'gateway',
    description: 'Checks the ledger, the bonuses and the rounds against each other, as `npm run reconcile` does.',
    everyMs: 60_000,
    firstAfterMs: 20_000,
    scheduleMinutes: 1,
    marginMinutes: 1,
    maxRuntimeMinutes: 2,
  },
} as const satisfies Record<string, JobSpec>;

export type JobName = keyof typeof JOBS;
export const JOB_NAMES = Object.keys(JOBS) as [JobName, ...JobName[]];
