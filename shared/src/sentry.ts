/**
 * Sentry set-up, loaded with `node --import ./dist/instrument.js` before anything else, so the SDK's
 * load-time hooks see express, http and mongoose. Imports nothing heavier than config.
 */
import type { Envelope, Integration, Transport, TransactionEvent } from '@sentry/core';
import * as Sentry from '@sentry/node';
import type * as Profiling from '@sentry/profiling-node';
import { type Config, loadConfig, type ServiceName, spotlightSidecar } from './config';
import { contextIntegration } from './sentry-context';
import { profileWhileServing } from './profile-lifecycle';
import { failureKindOf } from './failure-kind';
import { CLIENT_ADDRESS_HEADERS, FILTERED, SENSITIVE_KEY, scrub } from './redact';
import { appliedScenarios } from './scenarios/marking';
import { Attr, sentryMetrics } from './telemetry';

export type SentryMode = 'off' | 'local' | 'spotlight' | 'remote';

/** Requests that say nothing about the product; they get no spans so they cost nothing. */
/** Probes, scrapes and polls: no spans, no RED metrics, logged at debug. The console polls admin/health. */
export const OPS_PATH = /^\/(healthz|readyz|health|metrics|internal\/scenarios|api\/v1\/admin\/health)(\/json)?\/?(\?.*)?$/;

// With no DSN the SDK still runs (trace ids in logs and problems, propagation between services) and
// hands every envelope to this transport, which keeps nothing. Set SENTRY_ENABLED=false to drop the SDK.
const LOCAL_DSN = 'http://local@127.0.0.1/0';
const discardTransport = (): Transport => ({
  send: async () => ({}),
  flush: async () => true,
});

/**
 * Profiles while serving: a chunk at least every 10 s while spans keep starting (the demo's console
 * and background jobs never let a service fall quiet for long), so a trace's profile shows within
 * seconds; the last one 2 s after the work stops.
 */
const PROFILE_LIFECYCLE = { idleMs: 2_000, chunkMs: 10_000 };

type MakeTransport = (options: Parameters<typeof Sentry.makeNodeTransport>[0]) => Transport;
const isProfileChunk = (envelope: Envelope) => envelope[1].some(([item]) => item.type === 'profile_chunk');

/**
 * The Spotlight integration copies every envelope the client sends, but @sentry/profiling-node
 * hands its profile chunks to the transport directly, so without this no profile reaches the
 * sidecar. Chunks go to both; everything else goes on as before.
 */
export function withProfilesToSpotlight(make: MakeTransport, sidecarUrl: string): MakeTransport {
  return (options) => {
    const transport = make(options);
    // The sidecar reads the content type to know an envelope; Sentry's ingest does not need it.
    const sidecar = Sentry.makeNodeTransport({
      ...options,
      url: sidecarUrl,
      headers: { ...options.headers, 'content-type': 'application/x-sentry-envelope' },
    });
    return {
      send: (envelope) => {
        if (isProfileChunk(envelope)) sidecar.send(envelope).then(undefined, () => undefined);
        return transport.send(envelope);
      },
      flush: async (timeout) => (await Promise.all([transport.flush(timeout), sidecar.flush(timeout)])).every(Boolean),
    };
  };
}

/** How this process reports, read from the SDK's global client (the same whichever copy asks). */
export function sentryMode(): SentryMode {
  const options = Sentry.getClient()?.getOptions() as Sentry.NodeOptions | undefined;
  if (!options) return 'off';
  if (options.dsn !== LOCAL_DSN) return 'remote';
  return options.spotlight ? 'spotlight' : 'local';
}

function scrubAttributes(attributes: Record<string, unknown> | undefined): void {
  if (!attributes) return;
  for (const key of Object.keys(attributes)) {
    if (key.startsWith('http.request.body') || key.startsWith('http.response.body')) delete attributes[key];
    else if (key.startsWith('http.request.header.') || key.startsWith('http.response.header.')) {
      if (SENSITIVE_KEY.test(key)) attributes[key] = FILTERED;
    } else if (key === 'user.ip_address' || key === 'client.address') delete attributes[key];
  }
}

function scrubEvent<E extends Sentry.Event>(event: E): E {
  if (event.request) {
    delete event.request.data;
    delete event.request.cookies;
    if (event.request.headers) event.request.headers = scrub(event.request.headers);
  }
  if (event.extra) event.extra = scrub(event.extra);
  if (event.contexts) event.contexts = scrub(event.contexts);
  if (event.user) event.user = { id: event.user.id };
  for (const span of (event as Sentry.Event & { spans?: { data?: Record<string, unknown> }[] }).spans ?? []) {
    scrubAttributes(span.data);
  }
  return event;
}

/**
 * What lets an issue be read without its trace: the service, the release it came from (the one the
 * event is sent under, a regressed one included) beside the game and scenario tags the request
 * set, and for a failure kind the platform declares, its fingerprint, so each kind is one issue.
 */
export function tagEvent<E extends Sentry.Event>(event: E, hint: Sentry.EventHint, service: ServiceName): E {
  const kind = failureKindOf(hint.originalException);
  event.tags = { ...event.tags, [Attr.service]: service, ...(event.release ? { [Attr.release]: event.release } : {}) };
  if (kind) {
    event.tags[Attr.failure] = kind;
    event.fingerprint ??= [kind];
  }
  return event;
}

export function sentryOptions(config: Config): Sentry.NodeOptions {
  const { sentry, service } = config;
  const profiling = sentry.profileSessionSampleRate > 0 && (sentry.dsn !== undefined || sentry.spotlight !== false);
  const integrations: Integration[] = [
    contextIntegration(),
    // The scenarios on for a request or a job are its feature flags (scenarios/flags.ts).
    Sentry.featureFlagsIntegration(),
    Sentry.httpIntegration({ ignoreIncomingRequests: (path) => OPS_PATH.test(path) }),
    // A span per middleware would double the span count of every request for no insight: keep the
    // route handler spans, drop the middleware and router ones.
    Sentry.expressIntegration({ ignoreLayersType: ['middleware', 'router'], shouldHandleError: false }),
  ];
  // Log lines go to Sentry as logs, each with its trace: pino has already redacted them.
  if (sentry.logs) integrations.push(Sentry.pinoIntegration({ log: { levels: ['info', 'warn', 'error', 'fatal'] } }));
  if (profiling) {
    // Loaded only when used: the native profiler costs start-up time and memory.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { nodeProfilingIntegration } = require('@sentry/profiling-node') as typeof Profiling;
    integrations.push(nodeProfilingIntegration());
  }
  const transport: MakeTransport = sentry.dsn ? Sentry.makeNodeTransport : discardTransport;
  const sidecar = spotlightSidecar(sentry.spotlight);
  return {
    dsn: sentry.dsn ?? LOCAL_DSN,
    transport: profiling && sidecar ? withProfilesToSpotlight(transport, sidecar) : transport,
    environment: sentry.environment,
    release: sentry.release,
    serverName: service,
    initialScope: { tags: { service } },
    tracesSampleRate: sentry.tracesSampleRate,
    traceLifecycle: sentry.traceLifecycle,
    propagateTraceparent: true,
    spotlight: sentry.spotlight,
    debug: sentry.debug,
    // Spotlight grafts a profile chunk onto a trace only if the chunk has arrived by the time the
    // trace's transaction does: it needs the SDK's trace lifecycle, a chunk as each request ends.
    // Sentry matches chunks to spans by time, so elsewhere the profiler runs while serving.
    ...(profiling
      ? { profileSessionSampleRate: sentry.profileSessionSampleRate, profileLifecycle: sidecar ? ('trace' as const) : ('manual' as const) }
      : {}),
    integrations,
    dataCollection: {
      userInfo: false,
      cookies: false,
      httpBodies: [],
      httpHeaders: {
        request: { deny: ['authorization', 'cookie', 'idempotency-key', 'x-admin-token', ...CLIENT_ADDRESS_HEADERS] },
        response: { deny: ['set-cookie'] },
      },
      urlQueryParams: { deny: ['token', 'access_token', 'password', 'secret'] },
      databaseQueryData: false,
      stackFrameVariables: false,
    },
    beforeSend: (event, hint) => tagEvent(scrubEvent(event), hint, service),
    beforeSendLog: (log) => (log.attributes ? { ...log, attributes: scrub(log.attributes) } : log),
    ...(sentry.metrics ? {} : { beforeSendMetric: () => null }),
    // Transactions exist only in the static lifecycle; the SDK warns if this is set otherwise.
    ...(sentry.traceLifecycle === 'static' ? { beforeSendTransaction: (event: TransactionEvent) => scrubEvent(event) } : {}),
    beforeSendSpan:
      sentry.traceLifecycle === 'static'
        ? Sentry.withStaticSpan((span) => {
            scrubAttributes(span.data);
            return span;
          })
        : (span) => {
            scrubAttributes(span.attributes);
            return span;
          },
  };
}

/** Starts the SDK for one service. Called from each service's instrument file. */
export function initSentry(service: ServiceName): SentryMode {
  const config = loadConfig(service);
  if (!config.sentry.enabled) return 'off';
  sentryMetrics.on = config.sentry.metrics;
  const options = sentryOptions(config);
  const client = Sentry.init(options);
  if (client && options.profileLifecycle === 'manual') profileWhileServing(client, PROFILE_LIFECYCLE);
  // Streamed spans carry no scope tags: name the service on every span so any view can filter by it.
  client?.on('spanStart', (span) => {
    span.setAttribute('service.name', service);
    // Once a scenario has affected a request, every span the request starts after says so too,
    // the database's own spans included.
    const scenario = appliedScenarios();
    if (scenario) span.setAttribute(Attr.scenario, scenario);
  });
  return sentryMode();
}
