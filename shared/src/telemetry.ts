import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { SentryNonRecordingSpan, type StartSpanOptions } from '@sentry/core';
import * as Sentry from '@sentry/node';
import { currentRequest } from './request-context';

/**
 * Every custom span attribute and event tag the platform sets, in one place. All are namespaced
 * `casino.*`; amounts are integer cents. Player ids are opaque UUIDs, never emails or names.
 */
export const Attr = {
  /** Opaque player id (UUID). */
  playerId: 'casino.player_id',
  /** Game from the catalogue, e.g. `lucky-sevens`. */
  gameId: 'casino.game_id',
  /** One spin: a bet, a draw and a settlement. */
  roundId: 'casino.round_id',
  /** Stake of a spin, in cents. */
  stake: 'casino.stake_cents',
  /** Win of a spin, in cents (0 for a loss). */
  win: 'casino.win_cents',
  /** Amount of a money movement, in cents. */
  amount: 'casino.amount_cents',
  /** Ledger entry type: deposit, withdrawal, bet, win, bonus_credit, bonus_conversion, bonus_forfeit. */
  transactionType: 'casino.transaction_type',
  /** Bonus instance id. */
  bonusId: 'casino.bonus_id',
  /** Bonus offer id, e.g. `welcome-100`. */
  offerId: 'casino.offer_id',
  /** True when a request replayed an idempotency key and moved no money. */
  idempotentReplay: 'casino.idempotent_replay',
  /** Reel symbols drawn, e.g. `7|7|BAR`. */
  reels: 'casino.reels',
  /** Name of the demo scenario that affected this request. */
  scenario: 'casino.scenario',
  /** True on requests from the traffic generator (`baggage: synthetic=true`). */
  synthetic: 'casino.synthetic',
  /** The service an event came from (a tag on every event). */
  service: 'casino.service',
  /** The release an event was sent under: the running one, or bad-release's regressed one. */
  release: 'casino.release',
  /** A failure kind the platform declares (a scenario's or a provider's), also the event's fingerprint. */
  failure: 'casino.failure',
  /** A scheduled job (its Sentry cron monitor's slug), on the job's span and its events. */
  job: 'casino.job',
} as const;

export type Attributes = Record<string, string | number | boolean | undefined>;

function defined(attributes: Attributes): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [k, v] of Object.entries(attributes)) if (v !== undefined) out[k] = v;
  return out;
}

/**
 * Runs `fn` in a child span. A throw marks the span as errored and is rethrown; the span ends
 * when `fn` settles, whatever happens.
 */
export function withSpan<T>(name: string, op: string, attributes: Attributes, fn: (span: Sentry.Span) => T): T {
  return traced(() => ({ name, op, attributes: defined(attributes) }), fn);
}

const UNRECORDED = new SentryNonRecordingSpan();

/**
 * Sentry.startSpan while the SDK runs. With it off, `fn` alone, given a span that records nothing:
 * no scope is forked and no attributes are built (hence `options` is a function) for a span no one
 * would read, which cost every database call and step of a request.
 */
export function traced<T>(options: () => StartSpanOptions, fn: (span: Sentry.Span) => T): T {
  return Sentry.isInitialized() ? Sentry.startSpan(options(), fn) : fn(UNRECORDED);
}

/** Adds attributes to the active span, if there is one. */
export function annotate(attributes: Attributes): void {
  Sentry.getActiveSpan()?.setAttributes(defined(attributes));
  // The game is also a tag on the request's events, so an issue says which game without its trace.
  const game = attributes[Attr.gameId];
  if (game !== undefined && Sentry.isInitialized()) Sentry.getIsolationScope().setTag(Attr.gameId, game);
}

/** Whether figures also go to Sentry as metrics: initSentry turns it off with SENTRY_METRICS=false. */
export const sentryMetrics = { on: true };

/**
 * The span a request runs in, only while the SDK runs: with it off, the spans the code still starts
 * are kept on a stack that does not follow async work, so the "active" one may be another
 * request's, all of them in the one trace of the process's start-up.
 */
const activeSpan = () => (Sentry.isInitialized() ? Sentry.getActiveSpan() : undefined);
const INCOMING = /^([0-9a-f]{32})-|^00-([0-9a-f]{32})-/;

/** The trace id a request arrived with (sentry-trace or traceparent), or a new one. */
function incomingTraceId(headers: IncomingHttpHeaders): string {
  for (const value of [headers['sentry-trace'], headers.traceparent]) {
    const match = typeof value === 'string' ? INCOMING.exec(value) : null;
    const id = match?.[1] ?? match?.[2];
    // An all-zero id is invalid (W3C trace context): start a new trace instead.
    if (id && !/^0+$/.test(id)) return id;
  }
  return randomBytes(16).toString('hex');
}

/**
 * The trace id a request keeps for itself while the SDK is off (SENTRY_ENABLED=false), so logs and
 * problems still tell requests apart; undefined while it runs, when its active span has one.
 */
export function requestTraceId(headers: IncomingHttpHeaders): string | undefined {
  return activeSpan() ? undefined : incomingTraceId(headers);
}

/** Trace and span ids of the active span; with the SDK off, the request's own trace id. */
export function traceIds(): { traceId: string; spanId?: string } {
  const span = activeSpan();
  if (span) {
    const { traceId, spanId } = span.spanContext();
    return { traceId, spanId };
  }
  return { traceId: currentRequest()?.traceId ?? Sentry.getCurrentScope().getPropagationContext().traceId };
}
