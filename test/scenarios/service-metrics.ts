import type { ServiceName } from '@casino/shared';
import type { RunningPlatform } from '../support/platform';

/**
 * A service's Prometheus metrics, one value a name: the first series of each, which is the only
 * one for the process-wide figures (heap, event-loop lag). A scrape also starts prom-client's next
 * event-loop window, so two scrapes bracket what happened between them.
 */
export async function scrapeMetrics(platform: RunningPlatform, service: ServiceName): Promise<Record<string, number>> {
  const res = await fetch(`http://127.0.0.1:${platform.ports[service]}/metrics`);
  expect(res.status).toBe(200);
  const values: Record<string, number> = {};
  for (const line of (await res.text()).split('\n')) {
    const sample = /^([a-zA-Z_:][\w:]*)(?:\{[^}]*\})?\s+(\S+)$/.exec(line);
    if (sample && !(sample[1]! in values)) values[sample[1]!] = Number(sample[2]);
  }
  return values;
}
