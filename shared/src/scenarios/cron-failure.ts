/**
 * The cron-failure scenario, in the kit's job runner, for whichever job it names: `fail` makes the
 * run throw before its work, so Sentry gets an error check-in and an error; `hang` holds the run
 * until the scenario changes, so no check-in closes it (Sentry counts it timed out after its
 * maximum runtime) and the runner skips the runs due meanwhile (Sentry counts them missed).
 */
import type { JobName } from '../jobs/catalogue';
import { scenarioApplied } from './marking';
import type { Scenarios } from './state';

export class CronJobFailed extends Error {
  override name = 'CronJobFailed';
  readonly failureKind: string;
  constructor(job: JobName, why: string) {
    super(`${job}: ${why}`);
    this.failureKind = `cron-failure:${job}`;
  }
}

/** Whether cron-failure is on for this job in this mode. */
const targets = (scenarios: Scenarios, job: JobName, mode: 'fail' | 'hang') => {
  const on = scenarios.active('cron-failure');
  return on?.job === job && on.mode === mode;
};

/** The fault, where a job's run starts: nothing unless cron-failure names this job. */
export async function cronFault(scenarios: Scenarios, job: JobName): Promise<void> {
  if (targets(scenarios, job, 'fail')) {
    scenarioApplied('cron-failure');
    throw new CronJobFailed(job, 'failed before its work, as the cron-failure scenario makes it.');
  }
  if (!targets(scenarios, job, 'hang')) return;
  scenarioApplied('cron-failure');
  const startedAt = Date.now();
  await new Promise<void>((resolve) => {
    const stop = scenarios.onChange(() => {
      if (targets(scenarios, job, 'hang')) return;
      stop();
      resolve();
    });
  });
  throw new CronJobFailed(job, `hung for ${Math.round((Date.now() - startedAt) / 1000)} s, as the cron-failure scenario makes it.`);
}
