import { Writable } from 'node:stream';
import { type Cache, NoCache } from '../cache';
import { parseConfig, type ServiceName } from '../config';
import { createLogger } from '../logger';
import { type BusinessMetric, BUSINESS_METRICS, createMetrics } from '../metrics';
import type { ServiceDeps } from '../service';
import { Scenarios, startState } from '../scenarios';
import { EmbeddedStore, type Store } from '../store';

/** Test settings: fixed, obviously fake secrets that satisfy validation. */
export const TEST_ENV = {
  NODE_ENV: 'test',
  JWT_SECRET: 'test-jwt-secret-test-jwt-secret-0123456789',
  ADMIN_TOKEN: 'test-admin-token-0123456789',
  SENTRY_ENABLED: 'false',
} as const;

/**
 * Dependencies for a service's createApp in a component test: embedded store (or the one given,
 * e.g. from describeEachStore), no cache, every log line captured in `logs` so tests can assert on them.
 */
export function testDeps(
  service: ServiceName,
  overrides: { env?: Record<string, string>; cache?: Cache; store?: Store } = {},
): ServiceDeps & { logs: string[] } {
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const config = parseConfig(service, { ...TEST_ENV, ...overrides.env });
  return {
    config,
    logger: createLogger({ service, version: config.version, level: 'info', destination }),
    metrics: createMetrics(service, Object.keys(BUSINESS_METRICS) as BusinessMetric[]),
    store: overrides.store ?? new EmbeddedStore(`casino_${service}`),
    cache: overrides.cache ?? new NoCache(),
    scenarios: new Scenarios(startState(config.scenarios)),
    draining: () => false,
    logs,
  };
}
