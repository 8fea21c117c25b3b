import { Writable } from 'node:stream';
import express, { type Express } from 'express';
import { type Cache, NoCache } from '../cache';
import { parseConfig, type ServiceName } from '../config';
import { createLogger } from '../logger';
import { type BusinessMetric, BUSINESS_METRICS, createMetrics } from '../metrics';
import type { ServiceDeps } from '../service';
import {
  type Caller,
  type CallerPolicy,
  type ServiceKeyVariable,
  newServiceKeys,
  parseSigningKey,
  policyLookup,
  SCENARIO_CALLERS,
  signingKeyVariable,
  TokenSigner,
} from '../service-identity';
import { Scenarios, startState } from '../scenarios';
import { EmbeddedStore, type Store } from '../store';

/** Key pairs for the services' identities, new for each test process. */
export const TEST_SERVICE_KEYS: Readonly<Record<ServiceKeyVariable, string>> = newServiceKeys();

/** Test settings: fixed, obviously fake secrets that satisfy validation, and this process's service keys. */
export const TEST_ENV = {
  NODE_ENV: 'test',
  JWT_SECRET: 'test-jwt-secret-test-jwt-secret-0123456789',
  ADMIN_TOKEN: 'test-admin-token-0123456789',
  SENTRY_ENABLED: 'false',
  ...TEST_SERVICE_KEYS,
} as const;

const testSigners = new Map<string, TokenSigner>();
/** The Authorization header `caller` sends to `audience`, signed with the key in `keys` (the tests' own by default). */
export function callerAuthorization(
  caller: Caller,
  audience: ServiceName,
  keys: Readonly<Partial<Record<string, string>>> = TEST_SERVICE_KEYS,
): string {
  const text = keys[signingKeyVariable(caller)]!;
  let signer = testSigners.get(text);
  if (!signer) testSigners.set(text, (signer = new TokenSigner(caller, parseSigningKey(text))));
  return signer.authorization(audience);
}

/**
 * `app` of the `service` behind a front that signs each request as the first caller its policy
 * names for the route, for tests about what a route does rather than who may call it. A request
 * that already has an Authorization header keeps it; one to a route no one may call goes unsigned.
 */
export function asItsCallers(app: Express, service: ServiceName, policy: CallerPolicy): Express {
  const allowed = policyLookup({ ...policy, ...SCENARIO_CALLERS });
  const front = express();
  front.use((req, _res, next) => {
    const [caller] = allowed(req.method, req.path);
    if (!req.headers.authorization && caller) req.headers.authorization = callerAuthorization(caller, service);
    next();
  });
  front.use(app);
  return front;
}

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
