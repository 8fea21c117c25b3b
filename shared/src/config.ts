import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { z } from 'zod';
import type { FrontendRuntimeConfig } from './frontend-runtime-config';
import { isScenarioName, SCENARIO_NAMES, type ScenarioName } from './scenarios/catalogue';
import {
  CALLERS,
  type IdentityConfig,
  isCaller,
  parsePublicKey,
  parseSigningKey,
  publicKeyVariable,
  signingKeyVariable,
} from './service-identity';
import { DEFAULT_PORTS, SERVICES, type ServiceName } from './services';

export { DEFAULT_PORTS, SERVICES, type ServiceName };

const VERSION: string = (() => {
  try {
    return (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
})();

/** A number from the environment in [min, max]; every way of missing says the same `must be <what>`. */
const numberIn = (what: string, min: number, max: number, whole: boolean) => {
  const message = `must be ${what}`;
  const bounded = whole ? z.int(message) : z.number(message);
  return z.coerce.number({ error: message }).refine(Number.isFinite, message).pipe(bounded.min(min, message).max(max, message));
};
const port = numberIn('a port number from 1 to 65535', 1, 65535, true);
const rate = numberIn('a number from 0 to 1', 0, 1, false);
const whole = (min: number, max: number) => numberIn(`a whole number from ${min} to ${max}`, min, max, true);
const flag = z.stringbool({ truthy: ['true', '1', 'yes', 'on'], falsy: ['false', '0', 'no', 'off'], error: 'must be true or false' });
const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const keyOf = (parse: (text: string) => unknown, what: string) =>
  z.string().refine(
    (text) => {
      try {
        parse(text);
        return true;
      } catch {
        return false;
      }
    },
    { error: `must be a base64 ${what} (npm run service-keys makes a set)` },
  );
const signingKey = keyOf(parseSigningKey, 'PKCS#8 P-256 private key');
const publicKey = keyOf(parsePublicKey, 'SPKI P-256 public key');

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test'], 'must be development, production or test').default('development'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'must be fatal, error, warn, info, debug, trace or silent')
    .default('info'),
  HOST: z.string().min(1).default('127.0.0.1'),
  INTERNAL_HOST: z.string().min(1).default('127.0.0.1'),
  GATEWAY_PORT: port.default(DEFAULT_PORTS.gateway),
  USER_PORT: port.default(DEFAULT_PORTS.user),
  GAME_PORT: port.default(DEFAULT_PORTS.game),
  PAYMENT_PORT: port.default(DEFAULT_PORTS.payment),
  WAGER_PORT: port.default(DEFAULT_PORTS.wager),
  USER_URL: httpUrl.optional(),
  GAME_URL: httpUrl.optional(),
  PAYMENT_URL: httpUrl.optional(),
  WAGER_URL: httpUrl.optional(),
  GATEWAY_URL: httpUrl.optional(),
  FRONTEND_PORT: port.default(3000),
  FRONTEND_API_URL: httpUrl.optional(),
  MONGO_URL: z.url({ protocol: /^mongodb(\+srv)?$/, error: 'must be a mongodb:// or mongodb+srv:// URL' }).optional(),
  MONGO_CONNECT_TIMEOUT_MS: whole(0, 600_000).default(30_000),
  RETAIN_RECORDS: whole(0, 10_000_000).optional(),
  EMBEDDED_DATA_DIR: z.string().min(1).optional(),
  REDIS_URL: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional(),
  SENTRY_ENABLED: flag.default(true),
  SENTRY_DSN: httpUrl.optional(),
  SENTRY_DSN_GATEWAY: httpUrl.optional(),
  SENTRY_DSN_USER: httpUrl.optional(),
  SENTRY_DSN_GAME: httpUrl.optional(),
  SENTRY_DSN_PAYMENT: httpUrl.optional(),
  SENTRY_DSN_WAGER: httpUrl.optional(),
  SENTRY_DSN_FRONTEND: httpUrl.optional(),
  SENTRY_ENVIRONMENT: z.string().min(1).max(64).optional(),
  SENTRY_RELEASE: z.string().min(1).max(200).optional(),
  SENTRY_TRACES_SAMPLE_RATE: rate.default(1),
  SENTRY_PROFILE_SESSION_SAMPLE_RATE: rate.optional(),
  SENTRY_LOGS: flag.default(true),
  SENTRY_METRICS: flag.default(true),
  SENTRY_REPLAYS_SESSION_SAMPLE_RATE: rate.default(0.1),
  SENTRY_REPLAYS_ON_ERROR_SAMPLE_RATE: rate.default(1),
  SENTRY_SPOTLIGHT: z.union([flag, httpUrl], 'must be true, false or the sidecar URL').optional(),
  SPOTLIGHT_PORT: port.default(8969),
  SENTRY_TRACE_LIFECYCLE: z.enum(['stream', 'static'], 'must be stream or static').optional(),
  SENTRY_DEBUG: flag.default(false),
  // Read only by `npm run sentry:alerts` (tools/src/cli/sentry-alerts.ts); declared here so that
  // .env.example stays the one list of every setting.
  SENTRY_AUTH_TOKEN: z.string().min(1).optional(),
  SENTRY_ORG: z.string().min(1).optional(),
  SENTRY_PROJECT: z.string().min(1).optional(),
  SENTRY_URL: httpUrl.optional(),
  SENTRY_UPTIME_BASE_URL: httpUrl.optional(),
  SENTRY_UPTIME_GATEWAY_URL: httpUrl.optional(),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  JWT_EXPIRES_IN: whole(60, 86_400 * 30).default(3600),
  ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  GATEWAY_SIGNING_KEY: signingKey.optional(),
  GAME_SIGNING_KEY: signingKey.optional(),
  PAYMENT_SIGNING_KEY: signingKey.optional(),
  WAGER_SIGNING_KEY: signingKey.optional(),
  GATEWAY_PUBLIC_KEY: publicKey.optional(),
  GAME_PUBLIC_KEY: publicKey.optional(),
  PAYMENT_PUBLIC_KEY: publicKey.optional(),
  WAGER_PUBLIC_KEY: publicKey.optional(),
  SCENARIOS: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .refine((names) => names.every(isScenarioName), { error: `must list scenario names from: ${SCENARIO_NAMES.join(', ')}` }),
  DOWNSTREAM_TIMEOUT_MS: whole(50, 120_000).default(5000),
  RATE_LIMIT_AUTH_PER_MINUTE: whole(1, 100_000).default(20),
  DEPOSIT_LIMIT_COOLING_OFF_HOURS: whole(0, 720).default(24),
  SPINS_IN_FLIGHT_PER_PLAYER: whole(1, 1_000).default(4),
  SPINS_IN_FLIGHT: whole(1, 100_000).default(64),
  CORS_ORIGINS: z.string().default('*'),
  TRUST_PROXY: z
    .string()
    .default('loopback')
    .refine((v) => /^(true|false|\d{1,2}|[\w.:/]+(\s*,\s*[\w.:/]+)*)$/.test(v.trim()), {
      error: 'must be true, false, a number of hops, or a comma-separated list of loopback, linklocal, uniquelocal, addresses and subnets',
    }),
  SHUTDOWN_TIMEOUT_MS: whole(100, 120_000).default(10_000),
});

type Env = z.infer<typeof envSchema>;

/** Settings a service cannot start without, beyond what every service needs. */
const PUBLIC_KEYS = CALLERS.map(publicKeyVariable) as (keyof Env)[];
const REQUIRED_BY: Record<ServiceName, (keyof Env)[]> = {
  gateway: ['JWT_SECRET', 'ADMIN_TOKEN', 'GATEWAY_SIGNING_KEY'],
  user: ['JWT_SECRET', ...PUBLIC_KEYS],
  game: ['GAME_SIGNING_KEY', ...PUBLIC_KEYS],
  payment: ['PAYMENT_SIGNING_KEY', ...PUBLIC_KEYS],
  wager: ['WAGER_SIGNING_KEY', ...PUBLIC_KEYS],
};

export interface SentryConfig {
  enabled: boolean;
  dsn: string | undefined;
  environment: string;
  release: string;
  tracesSampleRate: number;
  profileSessionSampleRate: number;
  /** Log lines sent to Sentry as logs (they go to stdout either way). */
  logs: boolean;
  /** Business counters sent to Sentry as metrics (Prometheus has them either way). */
  metrics: boolean;
  spotlight: boolean | string;
  traceLifecycle: 'stream' | 'static';
  debug: boolean;
}

export interface Config {
  service: ServiceName;
  version: string;
  nodeEnv: Env['NODE_ENV'];
  logLevel: Env['LOG_LEVEL'];
  /**
   * Address to listen on: HOST for the gateway (and the frontend), INTERNAL_HOST for the four services
   * behind it, each loopback by default, so sharing the lobby on a network (HOST=0.0.0.0) does not
   * share the internal services; containers set both to 0.0.0.0.
   */
  host: string;
  port: number;
  urls: Record<Exclude<ServiceName, 'gateway'>, string>;
  mongoUrl: string | undefined;
  /** How long start-up waits for MongoDB before giving up and exiting non-zero. */
  mongoConnectTimeoutMs: number;
  redisUrl: string | undefined;
  /**
   * Finished rounds, ledger entries and wagers each service keeps before folding the oldest into
   * carried totals (never any younger than 10 minutes); 0 keeps everything.
   */
  retainRecords: number;
  /** Where the embedded store journals its documents, so a restarted service keeps them; unset: memory only. */
  embeddedDataDir: string | undefined;
  sentry: SentryConfig;
  jwt: { secret: string; expiresInSeconds: number };
  /** This service's key and its callers' public keys (see service-identity.ts). */
  identity: IdentityConfig;
  adminToken: string;
  /** Scenarios switched on at start, from SCENARIOS. */
  scenarios: ScenarioName[];
  downstreamTimeoutMs: number;
  rateLimitAuthPerMinute: number;
  /** How long a raised daily deposit limit waits before it is in force; lower ones apply at once. */
  depositLimitCoolingOffMs: number;
  /** Spins the gateway lets in at once for one player (429 beyond) and for all (503 beyond). */
  spinsInFlightPerPlayer: number;
  spinsInFlight: number;
  corsOrigins: string[] | '*';
  /**
   * Which proxies' X-Forwarded-For the services believe (Express's `trust proxy`), so a client's own
   * address is the one rate limits and logs see: loopback for the demo's frontend server, the
   * private ranges behind nginx in Compose or an Ingress in Kubernetes.
   */
  trustProxy: boolean | number | string;
  shutdownTimeoutMs: number;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

const SECRET_NAME = /SECRET|TOKEN|PASSWORD|DSN|KEY/;
/** `user:password@` in a URL is a secret whatever the variable is called. */
const HAS_CREDENTIALS = /@/;

/**
 * Reads `.env` from the working directory when present. Variables already set in the environment win,
 * so `FOO=1 npm run demo` overrides the file.
 */
export function readDotEnv(dir = process.cwd()): Record<string, string> {
  const file = join(dir, '.env');
  if (!existsSync(file)) return {};
  return parseEnv(readFileSync(file, 'utf8')) as Record<string, string>;
}

/** Validates the whole environment; throws ConfigError naming the first bad variable. */
function parseEnvironment(source: NodeJS.ProcessEnv): Env {
  // An empty variable (`FOO=` in .env) means unset, so defaults apply.
  const present = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    const value = source[name];
    const shown = value === undefined || SECRET_NAME.test(name) || HAS_CREDENTIALS.test(value) ? '' : ` (got ${JSON.stringify(value)})`;
    throw new ConfigError(`${name} ${issue.message}${shown}`);
  }
  return parsed.data;
}

/** Where the gateway answers: GATEWAY_URL, else this machine on GATEWAY_PORT. No trailing slash. */
export function gatewayUrl(source: NodeJS.ProcessEnv): string {
  return (source.GATEWAY_URL || `http://127.0.0.1:${source.GATEWAY_PORT || DEFAULT_PORTS.gateway}`).replace(/\/+$/, '');
}

export type { FrontendRuntimeConfig };

export interface FrontendConfig {
  host: string;
  port: number;
  /** Where the server passes /api on to. */
  gatewayUrl: string;
  runtime: FrontendRuntimeConfig;
}

/** Where `SENTRY_SPOTLIGHT=true` sends: Spotlight's sidecar on its default port. */
const SPOTLIGHT_SIDECAR = 'http://localhost:8969/stream';

/** The sidecar a SENTRY_SPOTLIGHT setting sends to (true: the default one), or null when it is off. */
export const spotlightSidecar = (setting: boolean | string | undefined): string | null =>
  setting === true ? SPOTLIGHT_SIDECAR : setting || null;

/** Spotlight's UI builds traces from transactions, which only the static lifecycle sends. */
const traceLifecycle = (env: Env): 'stream' | 'static' => env.SENTRY_TRACE_LIFECYCLE ?? (env.SENTRY_SPOTLIGHT ? 'static' : 'stream');

/**
 * The port `npm run demo` starts its own Spotlight on, or undefined when it starts none: with the
 * SDK off, with SENTRY_SPOTLIGHT=false, or when SENTRY_SPOTLIGHT names a sidecar already running.
 */
export function demoSpotlightPort(source: NodeJS.ProcessEnv): number | undefined {
  const env = parseEnvironment(source);
  return env.SENTRY_ENABLED && (env.SENTRY_SPOTLIGHT === undefined || env.SENTRY_SPOTLIGHT === true) ? env.SPOTLIGHT_PORT : undefined;
}

/** Settings for the server of the web frontend, from the same environment the services read. */
export function parseFrontendConfig(source: NodeJS.ProcessEnv): FrontendConfig {
  const env = parseEnvironment(source);
  const sentryOn = env.SENTRY_ENABLED;
  const spotlight = sentryOn ? spotlightSidecar(env.SENTRY_SPOTLIGHT) : null;
  // Trace links: Sentry's trace view when the organisation is known (SENTRY_ORG, with SENTRY_URL
  // for a self-hosted Sentry), or SENTRY_URL alone as the organisation's own address
  // (https://acme.sentry.io); otherwise Spotlight's trace view, beside its sidecar; otherwise none,
  // rather than a link nothing answers.
  const sentryBase = (env.SENTRY_URL ?? 'https://sentry.io').replace(/\/+$/, '');
  const traceUrlTemplate = env.SENTRY_ORG
    ? `${sentryBase}/organizations/${encodeURIComponent(env.SENTRY_ORG)}/explore/traces/trace/{traceId}/`
    : env.SENTRY_URL
      ? `${sentryBase}/explore/traces/trace/{traceId}/`
      : spotlight
        ? `${new URL(spotlight).origin}/telemetry/traces/{traceId}`
        : null;
  return {
    host: env.HOST,
    port: env.FRONTEND_PORT,
    gatewayUrl: gatewayUrl(source),
    runtime: {
      apiBaseUrl: env.FRONTEND_API_URL?.replace(/\/+$/, '') ?? '',
      sentryDsn: sentryOn ? (env.SENTRY_DSN_FRONTEND ?? env.SENTRY_DSN ?? null) : null,
      tracesSampleRate: env.SENTRY_TRACES_SAMPLE_RATE,
      replaysSessionSampleRate: env.SENTRY_REPLAYS_SESSION_SAMPLE_RATE,
      replaysOnErrorSampleRate: env.SENTRY_REPLAYS_ON_ERROR_SAMPLE_RATE,
      spotlightUrl: spotlight,
      traceLifecycle: traceLifecycle(env),
      traceUrlTemplate,
      traceViewer: env.SENTRY_ORG || env.SENTRY_URL ? 'Sentry' : spotlight ? 'Spotlight' : null,
    },
  };
}

/** Validates the environment for one service; throws ConfigError naming the first bad variable. */
export function parseConfig(service: ServiceName, source: NodeJS.ProcessEnv): Config {
  const env = parseEnvironment(source);
  for (const name of REQUIRED_BY[service]) {
    if (env[name] === undefined) throw new ConfigError(`${name} is required by the ${service} service`);
  }
  const spotlight = env.SENTRY_SPOTLIGHT ?? false;
  const dsnKey = `SENTRY_DSN_${service.toUpperCase()}` as keyof Env;
  const dsn = (env[dsnKey] as string | undefined) ?? env.SENTRY_DSN;
  return {
    service,
    version: VERSION,
    nodeEnv: env.NODE_ENV,
    logLevel: env.LOG_LEVEL,
    host: service === 'gateway' ? env.HOST : env.INTERNAL_HOST,
    port: env[`${service.toUpperCase()}_PORT` as 'GATEWAY_PORT'],
    urls: urlsOf(env),
    mongoUrl: env.MONGO_URL,
    mongoConnectTimeoutMs: env.MONGO_CONNECT_TIMEOUT_MS,
    redisUrl: env.REDIS_URL,
    // In memory, history would grow without bound; MongoDB keeps it on disk.
    retainRecords: env.RETAIN_RECORDS ?? (env.MONGO_URL ? 0 : 10_000),
    embeddedDataDir: env.EMBEDDED_DATA_DIR,
    sentry: {
      enabled: env.SENTRY_ENABLED,
      dsn,
      environment: env.SENTRY_ENVIRONMENT ?? env.NODE_ENV,
      release: env.SENTRY_RELEASE ?? `casino@${VERSION}`,
      tracesSampleRate: env.SENTRY_TRACES_SAMPLE_RATE,
      // Profiles only help where someone can look at them: default on with a DSN or Spotlight, off otherwise.
      profileSessionSampleRate: env.SENTRY_PROFILE_SESSION_SAMPLE_RATE ?? (dsn || spotlight ? 1 : 0),
      logs: env.SENTRY_LOGS,
      metrics: env.SENTRY_METRICS,
      spotlight,
      traceLifecycle: traceLifecycle(env),
      debug: env.SENTRY_DEBUG,
    },
    jwt: { secret: env.JWT_SECRET ?? '', expiresInSeconds: env.JWT_EXPIRES_IN },
    identity: identityOf(service, env),
    adminToken: env.ADMIN_TOKEN ?? '',
    scenarios: env.SCENARIOS as ScenarioName[],
    downstreamTimeoutMs: env.DOWNSTREAM_TIMEOUT_MS,
    rateLimitAuthPerMinute: env.RATE_LIMIT_AUTH_PER_MINUTE,
    depositLimitCoolingOffMs: env.DEPOSIT_LIMIT_COOLING_OFF_HOURS * 3_600_000,
    spinsInFlightPerPlayer: env.SPINS_IN_FLIGHT_PER_PLAYER,
    spinsInFlight: env.SPINS_IN_FLIGHT,
    corsOrigins:
      env.CORS_ORIGINS.trim() === '*'
        ? '*'
        : env.CORS_ORIGINS.split(',')
            .map((s) => s.trim())
            .filter(Boolean),
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    trustProxy: trustProxyValue(env.TRUST_PROXY),
  };
}

function urlsOf(env: Env): Config['urls'] {
  const local = (p: number) => `http://127.0.0.1:${p}`;
  return {
    user: env.USER_URL ?? local(env.USER_PORT),
    game: env.GAME_URL ?? local(env.GAME_PORT),
    payment: env.PAYMENT_URL ?? local(env.PAYMENT_PORT),
    wager: env.WAGER_URL ?? local(env.WAGER_PORT),
  };
}

/** Where the four services behind the gateway answer: their *_URL, else this machine on their ports. */
export function serviceUrls(source: NodeJS.ProcessEnv): Config['urls'] {
  return urlsOf(parseEnvironment(source));
}

function identityOf(service: ServiceName, env: Env): IdentityConfig {
  const own = isCaller(service) ? (env[signingKeyVariable(service) as keyof Env] as string | undefined) : undefined;
  const publicKeys: IdentityConfig['publicKeys'] = {};
  for (const caller of CALLERS) {
    const text = env[publicKeyVariable(caller) as keyof Env] as string | undefined;
    if (text) publicKeys[caller] = parsePublicKey(text);
  }
  return { signingKey: own ? parseSigningKey(own) : undefined, publicKeys };
}

function trustProxyValue(setting: string): boolean | number | string {
  const v = setting.trim();
  if (v === 'true' || v === 'false') return v === 'true';
  return /^\d+$/.test(v) ? Number(v) : v;
}

const loaded = new Map<ServiceName, Config>();

/**
 * The service's configuration from `.env` plus the environment, validated once per process.
 * A bad value stops the process with one line naming the variable.
 */
export function loadConfig(service: ServiceName): Config {
  const cached = loaded.get(service);
  if (cached) return cached;
  try {
    const config = parseConfig(service, { ...readDotEnv(), ...process.env });
    loaded.set(service, config);
    return config;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(`[${service}] configuration error: ${err.message}`);
    process.exit(78); // EX_CONFIG
  }
}
