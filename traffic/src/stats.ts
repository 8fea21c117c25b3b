/**
 * What the traffic generator measured: every request it sent, by operation, with its outcome and
 * latency. The live figures cover the last few seconds, so a presenter who switches a scenario on
 * sees latency move at once; the summary covers the whole run.
 */

/** Every call a simulated player makes, in the order the summary table lists them. */
export const OPERATIONS = [
  'games',
  'register',
  'login',
  'deposit',
  'claim',
  'spin',
  'wallet',
  'transactions',
  'rounds',
  'bonus',
  'withdraw',
] as const;
export type Operation = (typeof OPERATIONS)[number];

/**
 * ok: 2xx. refused: a 4xx the player expects and reacts to (an email already taken, a bonus already
 * claimed). rate-limited: a 429, waited out. error: everything else, network failures included.
 */
export type Outcome = 'ok' | 'refused' | 'rate-limited' | 'error';

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
}

export interface OperationSummary extends Percentiles {
  operation: Operation;
  count: number;
  ok: number;
  /** Expected refusals by status. */
  refused: Record<string, number>;
  /** Failures by status, `network` for a request that got no answer. */
  errors: Record<string, number>;
  rateLimited: number;
}

export interface LiveFigures {
  elapsedSeconds: number;
  requests: number;
  errors: number;
  refused: number;
  rateLimited: number;
  /** Over the last WINDOW_SECONDS. */
  requestsPerSecond: number;
  p50: number;
  p95: number;
}

const WINDOW_SECONDS = 10;

/** Nearest-rank percentile of an ascending list; 0 for an empty one. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1]!;
}

const ascending = (values: readonly number[]) => Float64Array.from(values).sort();
const round1 = (ms: number) => Math.round(ms * 10) / 10;

interface OperationCounts {
  count: number;
  ok: number;
  refused: Map<string, number>;
  errors: Map<string, number>;
  rateLimited: number;
  /** Answered requests only: a 429 or a dropped connection says nothing of how fast the platform serves. */
  latencies: number[];
}

const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

export class TrafficStats {
  private readonly started: number;
  private readonly byOperation = new Map<Operation, OperationCounts>();
  /** One slot per second: how many requests, and the latencies of the answered ones. */
  private readonly window = new Map<number, { count: number; latencies: number[] }>();
  private readonly totals = { requests: 0, errors: 0, refused: 0, rateLimited: 0 };
  /** Time spent waiting out 429s, summed over every player. */
  rateLimitWaitMs = 0;

  constructor(private readonly now: () => number = () => performance.now()) {
    this.started = now();
  }

  /** One request: its status (`network` when nothing came back), how it counts, and how long it took. */
  record(operation: Operation, status: number | 'network', outcome: Outcome, latencyMs?: number): void {
    let counts = this.byOperation.get(operation);
    if (!counts)
      this.byOperation.set(operation, (counts = { count: 0, ok: 0, refused: new Map(), errors: new Map(), rateLimited: 0, latencies: [] }));
    counts.count++;
    this.totals.requests++;
    if (outcome === 'ok') {
      counts.ok++;
    } else if (outcome === 'refused') {
      bump(counts.refused, String(status));
      this.totals.refused++;
    } else if (outcome === 'rate-limited') {
      counts.rateLimited++;
      this.totals.rateLimited++;
    } else {
      bump(counts.errors, String(status));
      this.totals.errors++;
    }

    const answered = latencyMs !== undefined && outcome !== 'rate-limited';
    if (answered) counts.latencies.push(round1(latencyMs));
    const second = Math.floor((this.now() - this.started) / 1000);
    let slot = this.window.get(second);
    if (!slot) {
      this.window.set(second, (slot = { count: 0, latencies: [] }));
      for (const old of this.window.keys()) if (old <= second - WINDOW_SECONDS) this.window.delete(old);
    }
    slot.count++;
    if (answered) slot.latencies.push(latencyMs);
  }

  elapsedSeconds(): number {
    return (this.now() - this.started) / 1000;
  }

  live(): LiveFigures {
    const elapsed = this.elapsedSeconds();
    const since = Math.floor(elapsed) - WINDOW_SECONDS + 1;
    const recent = [...this.window.entries()].filter(([second]) => second >= since).map(([, slot]) => slot);
    const latencies = ascending(recent.flatMap((slot) => slot.latencies));
    // The current second is still filling: divide by the time the slots really cover.
    const span = Math.max(elapsed - Math.max(0, since), 1);
    return {
      elapsedSeconds: round1(elapsed),
      ...this.totals,
      requestsPerSecond: round1(recent.reduce((n, slot) => n + slot.count, 0) / span),
      p50: round1(percentile(latencies, 50)),
      p95: round1(percentile(latencies, 95)),
    };
  }

  totalsNow() {
    return { ...this.totals };
  }

  /** Percentiles of every answered request of the run. */
  overall(): Percentiles {
    return percentilesOf([...this.byOperation.values()].flatMap((c) => c.latencies));
  }

  operations(): OperationSummary[] {
    return OPERATIONS.filter((op) => this.byOperation.has(op)).map((operation) => {
      const c = this.byOperation.get(operation)!;
      return {
        operation,
        count: c.count,
        ok: c.ok,
        refused: Object.fromEntries(c.refused),
        errors: Object.fromEntries(c.errors),
        rateLimited: c.rateLimited,
        ...percentilesOf(c.latencies),
      };
    });
  }
}

function percentilesOf(latencies: readonly number[]): Percentiles {
  const sorted = ascending(latencies);
  return { p50: round1(percentile(sorted, 50)), p95: round1(percentile(sorted, 95)), p99: round1(percentile(sorted, 99)) };
}
