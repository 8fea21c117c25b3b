/**
 * Where each scenario acts, read from the code: the catalogue's list of services for each scenario
 * is what the admin API and the console show a presenter, so it must be true. A backend scenario
 * acts in a service through a hook in that service's scenarios/ folder, or, for the kit-wide ones,
 * through the kit's scenario runtime, which every service is built on.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCENARIO_CATALOGUE, SCENARIO_NAMES, SERVICES } from '@casino/shared';

const ROOT = join(__dirname, '..');
/** Faults the kit performs for every service at once (shared/src/service.ts wires them in). */
const KIT_WIDE = ['cache-outage'];
/** Faults the kit's job runner performs, in the services that schedule a job (shared/src/jobs). */
const IN_JOBS = ['cron-failure'];

function scenariosNamedIn(dir: string): Set<string> {
  const named = new Set<string>();
  for (const file of readdirSync(dir)) {
    const text = readFileSync(join(dir, file), 'utf8');
    for (const name of SCENARIO_NAMES) if (text.includes(`'${name}'`)) named.add(name);
    // The kit's hook for error-burst's turns reads the scenario for the service that calls it.
    if (text.includes('burstHook(')) named.add('error-burst');
  }
  return named;
}

describe('where the scenarios act', () => {
  test.each(SERVICES)(
    "when the catalogue says a scenario acts in %s, then that service's scenarios/ folder reads it, and reads no other",
    (service) => {
      const claimed = SCENARIO_NAMES.filter(
        (name) =>
          !KIT_WIDE.includes(name) && !IN_JOBS.includes(name) && (SCENARIO_CATALOGUE[name].services as readonly string[]).includes(service),
      );
      expect([...scenariosNamedIn(join(ROOT, 'services', service, 'src', 'scenarios'))].sort()).toEqual(claimed.sort());
    },
  );

  test('when a scenario is kit-wide, then the catalogue names every service and the kit wires it into each', () => {
    const service = readFileSync(join(ROOT, 'shared/src/service.ts'), 'utf8');
    for (const name of KIT_WIDE) {
      expect([...SCENARIO_CATALOGUE[name as 'cache-outage'].services].sort()).toEqual([...SERVICES].sort());
      expect(scenariosNamedIn(join(ROOT, 'shared/src/scenarios')).has(name)).toBe(true);
    }
    expect(service).toContain('outageAwareCache(');
  });

  test('when a scenario acts in scheduled jobs, then the catalogue names exactly the services whose app schedules one, and the runner reads it', () => {
    const scheduling = SERVICES.filter((service) =>
      readFileSync(join(ROOT, 'services', service, 'src', 'app.ts'), 'utf8').includes('scheduleJob(deps, '),
    );
    for (const name of IN_JOBS) {
      expect([...SCENARIO_CATALOGUE[name as 'cron-failure'].services].sort()).toEqual([...scheduling].sort());
      expect(scenariosNamedIn(join(ROOT, 'shared/src/scenarios')).has(name)).toBe(true);
    }
    expect(readFileSync(join(ROOT, 'shared/src/jobs/runner.ts'), 'utf8')).toContain('cronFault(');
  });
});
