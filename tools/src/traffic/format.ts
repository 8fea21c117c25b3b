/** The traffic run as a person reads it: the live line while it runs, a table at the end. */
import { euros } from '@casino/shared/validation';
import type { TrafficSummary } from '@casino/traffic/runner';
import type { LiveFigures } from '@casino/traffic/stats';

const n = (value: number) => value.toLocaleString('en-US');
const ms = (value: number) => `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;

/** 75 s as `1m15s`. */
export function clock(seconds: number): string {
  const s = Math.floor(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = `${String(s % 60).padStart(2, '0')}s`;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m${rest}`;
  return m > 0 ? `${m}m${rest}` : `${s % 60}s`;
}

/** `503 x2, network x1`; `-` for none. */
const byStatus = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([status, count]) => `${status} x${count}`)
    .join(', ') || '-';

/** The figures the progress line shows, as strings for its template. */
export function liveFields(live: LiveFigures) {
  return {
    elapsed: clock(live.elapsedSeconds),
    requests: n(live.requests),
    errors: n(live.errors),
    rps: live.requestsPerSecond.toFixed(1),
    p50: ms(live.p50),
    p95: ms(live.p95),
    waits: n(live.rateLimited),
  };
}

const ENDED = { deadline: 'ran its full', stopped: 'stopped early, after', 'players-done': 'every player stopped, after' } as const;

export function formatTrafficSummary(s: TrafficSummary): string {
  const { options: o, totals: t } = s;
  const claims = Object.entries(t.claims)
    .map(([offer, count]) => `${n(count)} ${offer}`)
    .join(', ');
  const head = [
    `Traffic, seed ${o.seed}: ${n(o.players)} players against ${o.url}, ${ENDED[s.endedBy]} ${clock(s.endedBy === 'deadline' ? o.durationSeconds : s.elapsedSeconds)}`,
    `  requests  ${n(s.requests)} in ${s.elapsedSeconds.toFixed(1)} s: ${s.requestsPerSecond.toFixed(1)} req/s; ${n(s.errors)} errors, ${n(s.refused)} refused, ` +
      `${n(s.rateLimited)} rate-limited (waited ${s.rateLimitWaitSeconds.toFixed(1)} s)`,
    `  latency   p50 ${ms(s.latencyMs.p50)}, p95 ${ms(s.latencyMs.p95)}, p99 ${ms(s.latencyMs.p99)}`,
    `  players   ${n(t.players)} (${n(t.registered)} registered, ${n(t.logins)} logins, ${n(t.retired)} ran dry)`,
    `  money     ${n(t.deposits)} deposits (${euros(t.depositedCents)}), ${claims || 'no bonuses claimed'}, ${n(t.spins)} spins ` +
      `(staked ${euros(t.stakedCents)}, won ${euros(t.wonCents)}), ${n(t.withdrawals)} withdrawals (${euros(t.withdrawnCents)}, ${n(t.forfeits)} forfeiting a bonus)`,
    '',
  ];
  const rows = [
    ['operation', 'count', 'errors', 'refused', '429s', 'p50', 'p95', 'p99'],
    ...s.operations.map((op) => [
      op.operation,
      n(op.count),
      byStatus(op.errors),
      byStatus(op.refused),
      n(op.rateLimited),
      ms(op.p50),
      ms(op.p95),
      ms(op.p99),
    ]),
  ];
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  // Names and statuses read left to right; numbers line up on the right.
  const table = rows.map((row) =>
    `  ${row.map((cell, col) => (col === 0 || col === 2 || col === 3 ? cell.padEnd(widths[col]!) : cell.padStart(widths[col]!))).join('  ')}`.trimEnd(),
  );
  return [...head, ...table].join('\n');
}
