import type { NextFunction, Request, Response } from 'express';
import * as Sentry from '@sentry/node';
import { collectDefaultMetrics, Counter, Histogram, type MetricObjectWithValues, type MetricValue, Registry } from 'prom-client';
import { OPS_PATH } from './sentry';
import { sentryMetrics } from './telemetry';

/**
 * The business metrics, named once. Each service registers the ones it owns at start, so they are
 * exported (at zero) before the first event. Money is counted in cents.
 */
export const BUSINESS_METRICS = {
  registrations: { name: 'casino_registrations_total', help: 'Players registered', labelNames: [] },
  logins: { name: 'casino_logins_total', help: 'Login attempts by result', labelNames: ['result'] },
  bets: { name: 'casino_bets_total', help: 'Spins settled, by game and outcome', labelNames: ['game_id', 'outcome'] },
  stakes: { name: 'casino_stakes_cents_total', help: 'Stakes wagered, in cents', labelNames: ['game_id'] },
  wins: { name: 'casino_wins_cents_total', help: 'Winnings paid, in cents', labelNames: ['game_id'] },
  deposits: { name: 'casino_deposits_total', help: 'Deposit requests by status', labelNames: ['status'] },
  depositCents: { name: 'casino_deposits_cents_total', help: 'Money deposited, in cents', labelNames: [] },
  withdrawals: { name: 'casino_withdrawals_total', help: 'Withdrawal requests by status', labelNames: ['status'] },
  withdrawalCents: { name: 'casino_withdrawals_cents_total', help: 'Money withdrawn, in cents', labelNames: [] },
  bonusClaims: { name: 'casino_bonus_claims_total', help: 'Bonus claims by offer and status', labelNames: ['offer_id', 'status'] },
  bonusCreditedCents: { name: 'casino_bonus_credited_cents_total', help: 'Bonus money credited, in cents', labelNames: ['offer_id'] },
  bonusConversions: { name: 'casino_bonus_conversions_total', help: 'Bonuses whose wagering completed', labelNames: ['offer_id'] },
  bonusConvertedCents: { name: 'casino_bonus_converted_cents_total', help: 'Bonus money converted to cash, in cents', labelNames: [] },
  bonusForfeits: { name: 'casino_bonus_forfeits_total', help: 'Bonuses forfeited, by reason', labelNames: ['reason'] },
  paymentFailures: {
    name: 'casino_payment_failures_total',
    help: 'Stake debits the payment provider failed, by reason; each bet counted once, however often it is retried',
    labelNames: ['reason'],
    // Exported at zero from the start, so a ratio over it is defined before the first failure.
    initial: [{ reason: 'decline' }, { reason: 'timeout' }],
  },
} as const;

interface MetricDefinition {
  name: string;
  help: string;
  labelNames: readonly string[];
  initial?: readonly Record<string, string>[];
}

export type BusinessMetric = keyof typeof BUSINESS_METRICS;

/** The Sentry metric of a business counter: `casino_bets_total` is `casino.bets`. */
export const sentryMetricName = (metric: BusinessMetric): string =>
  BUSINESS_METRICS[metric].name.replace(/^casino_/, 'casino.').replace(/_total$/, '');

export interface Metrics {
  registry: Registry;
  httpDuration: Histogram<'method' | 'route' | 'status_code'>;
  /** Adds `value` (default 1) to a business counter. */
  count(metric: BusinessMetric, labels?: Record<string, string>, value?: number): void;
  /** A value for a Sentry distribution (a figure Prometheus derives from its counters instead). */
  distribution(name: string, value: number, attributes: Record<string, string>): void;
}

export function createMetrics(service: string, owned: readonly BusinessMetric[]): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'http_server_request_duration_seconds',
    help: 'Duration of HTTP requests served, by route template',
    labelNames: ['method', 'route', 'status_code'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const counters = new Map<BusinessMetric, Counter>();
  for (const key of owned) {
    const def: MetricDefinition = BUSINESS_METRICS[key];
    const counter = new Counter({ name: def.name, help: def.help, labelNames: [...def.labelNames], registers: [registry] });
    for (const labels of def.initial ?? []) counter.inc(labels, 0);
    counters.set(key, counter);
  }
  return {
    registry,
    httpDuration,
    count(metric, labels = {}, value = 1) {
      const counter = counters.get(metric);
      if (!counter) throw new Error(`metric ${metric} is not registered by this service`);
      counter.inc(labels, value);
      // The same figure as a Sentry metric, with the same few labels, so Sentry can chart it next to
      // the traces; a no-op while the SDK is off.
      if (sentryMetrics.on) Sentry.metrics.count(sentryMetricName(metric), value, { attributes: labels });
    },
    distribution(name, value, attributes) {
      if (sentryMetrics.on) Sentry.metrics.distribution(name, value, { attributes });
    },
  };
}

/** The route template (`/players/:id`), never the raw path, so label cardinality stays bounded. */
function routeOf(req: Request): string {
  const path = req.route?.path;
  if (typeof path === 'string') return `${req.baseUrl}${path}`;
  return req.baseUrl ? `${req.baseUrl}/*` : 'unmatched';
}

export function metricsMiddleware(metrics: Metrics) {
  return (req: Request, res: Response, next: NextFunction) => {
    if (OPS_PATH.test(req.path)) return next();
    const end = metrics.httpDuration.startTimer();
    // The template is taken when Express matches the route: an error leaving a mounted router
    // restores req.baseUrl before the problem is sent, which would drop the mount path.
    let route: string | undefined;
    let matched: Request['route'];
    Object.defineProperty(req, 'route', {
      configurable: true,
      enumerable: true,
      get: () => matched,
      set(value: Request['route']) {
        matched = value;
        if (typeof value?.path === 'string') route = `${req.baseUrl}${value.path}`;
      },
    });
    res.once('finish', () => end({ method: req.method, route: route ?? routeOf(req), status_code: String(res.statusCode) }));
    next();
  };
}

interface JsonHistogram {
  labels: Record<string, string | number>;
  count: number;
  sum: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/**
 * Quantile from cumulative histogram buckets by linear interpolation inside the bucket, as
 * Prometheus' histogram_quantile does. Null when there are no observations.
 */
export function bucketQuantile(q: number, buckets: { le: number; count: number }[]): number | null {
  const total = buckets.at(-1)?.count ?? 0;
  if (total === 0) return null;
  const rank = q * total;
  let prevLe = 0;
  let prevCount = 0;
  for (const { le, count } of buckets) {
    if (count >= rank) {
      if (!Number.isFinite(le)) return prevLe;
      const inBucket = count - prevCount;
      return inBucket === 0 ? le : prevLe + ((le - prevLe) * (rank - prevCount)) / inBucket;
    }
    prevLe = le;
    prevCount = count;
  }
  return prevLe;
}

function histogramSeries(metric: MetricObjectWithValues<MetricValue<string>>): JsonHistogram[] {
  const series = new Map<
    string,
    { labels: Record<string, string | number>; buckets: { le: number; count: number }[]; count: number; sum: number }
  >();
  for (const v of metric.values as (MetricValue<string> & { metricName?: string })[]) {
    const { le, ...labels } = v.labels as Record<string, string | number>;
    const key = JSON.stringify(labels);
    const entry = series.get(key) ?? { labels, buckets: [], count: 0, sum: 0 };
    series.set(key, entry);
    if (v.metricName?.endsWith('_bucket')) entry.buckets.push({ le: le === '+Inf' ? Infinity : Number(le), count: v.value });
    else if (v.metricName?.endsWith('_count')) entry.count = v.value;
    else if (v.metricName?.endsWith('_sum')) entry.sum = v.value;
  }
  return [...series.values()].map(({ labels, buckets, count, sum }) => {
    buckets.sort((a, b) => a.le - b.le);
    return {
      labels,
      count,
      sum,
      p50: bucketQuantile(0.5, buckets),
      p95: bucketQuantile(0.95, buckets),
      p99: bucketQuantile(0.99, buckets),
    };
  });
}

/** The same figures as /metrics, as JSON, with p50/p95/p99 for every histogram series. */
export async function metricsJson(registry: Registry) {
  const metrics = await registry.getMetricsAsJSON();
  return {
    metrics: metrics.map((m) =>
      String(m.type) === 'histogram'
        ? { name: m.name, help: m.help, type: m.type, series: histogramSeries(m) }
        : { name: m.name, help: m.help, type: m.type, values: m.values.map((v) => ({ labels: v.labels, value: v.value })) },
    ),
  };
}
