/**
 * Runs the platform's scheduled jobs as Sentry cron monitors. Each run checks in (in progress, then
 * ok or error with its duration) with its monitor's configuration, so Sentry creates and updates the
 * monitor from the code; each run is its own trace, with the scenarios on as its feature flags and
 * any error linked to it. Runs never overlap: one still going when the next is due is logged and
 * that one skipped, which Sentry sees as a missed check-in.
 */
import * as Sentry from '@sentry/node';
import type { Logger } from '../logger';
import { runRequest } from '../request-context';
import { repeatInBackground } from '../service';
import { cronFault } from '../scenarios/cron-failure';
import { flagScenarios } from '../scenarios/flags';
import type { ScenarioName } from '../scenarios/catalogue';
import type { Scenarios } from '../scenarios/state';
import { failureKindOf } from '../failure-kind';
import { Attr } from '../telemetry';
import { type JobName, JOBS } from './catalogue';

export interface JobDeps {
  logger: Logger;
  scenarios: Scenarios;
  /** True once shutdown has begun: no new run starts. */
  draining: () => boolean;
}

/** What a run did, counts by name: logged and set on its span as `casino.job.<name>`. */
export type JobOutcome = Record<string, number>;

/** A run that finds something wrong and says what, as the error's context (reconciliation's differences). */
export class JobFinding extends Error {
  override name = 'JobFinding';
  constructor(
    message: string,
    readonly failureKind: string,
    readonly findings: Record<string, unknown>,
  ) {
    super(message);
  }
}

const monitorConfig = (name: JobName) => {
  const job = JOBS[name];
  return {
    schedule: { type: 'interval' as const, value: job.scheduleMinutes, unit: 'minute' as const },
    checkinMargin: job.marginMinutes,
    maxRuntime: job.maxRuntimeMinutes,
    // Each run is a trace of its own, not part of whatever trace the timer was set up in.
    isolateTrace: true,
  };
};

/**
 * One run of a job, checked in to its monitor. Its log line, one per check-in, is written in the
 * run's trace, so a viewer with no crons view (Spotlight's Logs) still shows each run and leads to
 * it. A failure is reported and logged in there; the error check-in is the monitor's answer to it.
 */
async function runJob(deps: JobDeps, name: JobName, run: () => Promise<JobOutcome>): Promise<void> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const inTrace = () =>
    runRequest({ scenarios: new Set<ScenarioName>() }, () =>
      Sentry.startSpan({ name, op: 'function.cron', forceTransaction: true, attributes: { [Attr.job]: name } }, async (span) => {
        Sentry.getIsolationScope().setTag(Attr.job, name);
        flagScenarios(deps.scenarios);
        try {
          await cronFault(deps.scenarios, name);
          const done = await run();
          span.setAttributes(Object.fromEntries(Object.entries(done).map(([key, value]) => [`casino.job.${key}`, value])));
          deps.logger.info({ job: name, ms: elapsed(), ...done }, `${name}: checked in ok`);
        } catch (err) {
          Sentry.captureException(err, {
            level: 'error',
            tags: { [Attr.job]: name },
            contexts: { job: { name, ...JOBS[name] }, ...(err instanceof JobFinding ? { findings: err.findings } : {}) },
          });
          const message = err instanceof Error ? err.message : String(err);
          deps.logger.warn(
            { job: name, ms: elapsed(), err: { message }, failure: failureKindOf(err) },
            `${name}: checked in as failed; it runs again on schedule`,
          );
          throw err;
        }
      }),
    );
  await Sentry.withMonitor(name, inTrace, monitorConfig(name)).catch(() => undefined);
}

/**
 * Runs a job on its schedule while the service serves: first `firstAfterMs` after this call, then
 * every `everyMs` (the kit's repeatInBackground, which stops once the service drains).
 */
export function scheduleJob(deps: JobDeps, name: JobName, run: () => Promise<JobOutcome>): void {
  const job = JOBS[name];
  let running = false;
  const tick = async () => {
    if (running) {
      deps.logger.warn({ job: name }, `${name}: the previous run is still going; this one is skipped`);
      return;
    }
    running = true;
    try {
      await runJob(deps, name, run);
    } finally {
      running = false;
    }
  };
  setTimeout(() => {
    if (deps.draining()) return;
    void tick();
    repeatInBackground(job.everyMs, deps.logger, name, tick, deps.draining);
  }, job.firstAfterMs).unref();
}
