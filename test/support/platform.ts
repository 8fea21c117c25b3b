import { SERVICES, type ServiceName } from '@casino/shared';
import type { Caller } from '@casino/shared/service-identity';
import { callerAuthorization, TEST_SERVICE_KEYS } from '@casino/shared/testing';
import { freePorts, launch, type LaunchOptions, type Platform, type ProcessName } from '@casino/tools/launcher';

export { freePorts };

export const TEST_SECRETS = {
  JWT_SECRET: 'platform-test-jwt-secret-0123456789abcdef',
  ADMIN_TOKEN: 'platform-test-admin-token-0123456789',
  ...TEST_SERVICE_KEYS,
};

/** The environment without anything from the developer's shell that could change the platform. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(SENTRY_|MONGO_|REDIS_|SCENARIOS|JWT_|ADMIN_|LOG_LEVEL|.*_PORT$|.*_URL$|.*_SIGNING_KEY$|.*_PUBLIC_KEY$|.*_HOST$)/.test(k))
      continue;
    env[k] = v;
  }
  return env;
}

export interface RunningPlatform extends Platform {
  logs: { service: ProcessName; line: string }[];
  api: string;
  /** Unexpected exits while running. */
  exits: { service: ProcessName; code: number | null }[];
}

/** Starts the five services (or those named) as real processes on free ports. */
export async function startPlatform(
  extra: NodeJS.ProcessEnv = {},
  services: readonly ServiceName[] = SERVICES,
  options: Pick<LaunchOptions, 'restart'> = {},
): Promise<RunningPlatform> {
  const ports = await freePorts(SERVICES.length);
  const env: NodeJS.ProcessEnv = {
    ...cleanEnv(),
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    ...TEST_SECRETS,
    RATE_LIMIT_AUTH_PER_MINUTE: '1000',
    ...Object.fromEntries(SERVICES.map((s, i) => [`${s.toUpperCase()}_PORT`, String(ports[i])])),
    ...extra,
  };
  const logs: RunningPlatform['logs'] = [];
  const exits: RunningPlatform['exits'] = [];
  const platform = await launch({
    env,
    services,
    onLine: (service, line) => logs.push({ service, line }),
    onExit: (service, code) => exits.push({ service, code }),
    ...options,
  });
  return { ...platform, logs, exits, api: `http://127.0.0.1:${platform.ports.gateway}/api/v1` };
}

export interface Answer<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Headers;
  traceId: string;
}

/** A JSON call through the gateway, as a client would make it (or to a service, `as` one of the others). */
export async function call<T = Record<string, unknown>>(
  api: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; key?: string; headers?: Record<string, string>; as?: [Caller, ServiceName] } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  // Straight to a service behind the gateway, as one of the platform's services calls it.
  if (options.as) headers.authorization = callerAuthorization(...options.as);
  if (options.key) headers['idempotency-key'] = options.key;
  const res = await fetch(`${api}${path}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await res.text();
  return {
    status: res.status,
    body: (text ? JSON.parse(text) : undefined) as T,
    headers: res.headers,
    traceId: res.headers.get('x-trace-id') ?? '',
  };
}
