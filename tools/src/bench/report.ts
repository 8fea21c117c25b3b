/** The bench's figures: medians over the rounds, the table, and the answers to its targets. */
import { SERVICES } from '@casino/shared/config';
import { HOPS } from './chain';
import type { Measurement } from './measure';
import { total } from './proc';
import { isBare, PRODUCTION_ROW, ROWS } from './rows';

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

export interface RowSummary {
  id: string;
  label: string;
  spinsPerSecond: { median: number; min: number; max: number };
  p50: number;
  p99: number;
  failures: number;
  cpuMsPerSpin: Record<string, number>;
  rssIdleMb: Record<string, number>;
  rssAfterMb: Record<string, number>;
  readyMs: number;
  envelopesPerSpin: number;
}

const medianOf = (ms: Measurement[], key: 'cpuMsPerSpin' | 'rssIdleMb' | 'rssAfterMb') =>
  Object.fromEntries(Object.keys(ms[0]![key]).map((name) => [name, median(ms.map((m) => m[key][name]!))]));

export function summarise(measurements: Measurement[]): RowSummary[] {
  return ROWS.flatMap((row) => {
    const ms = measurements.filter((m) => m.row === row.id);
    if (!ms.length) return [];
    const rates = ms.map((m) => m.spinsPerSecond);
    return [
      {
        id: row.id,
        label: row.label,
        spinsPerSecond: { median: median(rates), min: Math.min(...rates), max: Math.max(...rates) },
        p50: median(ms.map((m) => m.p50)),
        p99: median(ms.map((m) => m.p99)),
        failures: ms.reduce((a, m) => a + m.failures, 0),
        cpuMsPerSpin: medianOf(ms, 'cpuMsPerSpin'),
        rssIdleMb: medianOf(ms, 'rssIdleMb'),
        rssAfterMb: medianOf(ms, 'rssAfterMb'),
        readyMs: median(ms.map((m) => m.readyMs)),
        envelopesPerSpin: median(ms.map((m) => m.envelopes / Math.max(m.spins, 1))),
      },
    ];
  });
}

export interface Answers {
  /** SDK off ÷ everything on: throughput, p50 and p99 (target ≤ 1.5). */
  observabilityCost: { throughput: number; p50: number; p99: number } | null;
  /** SDK off ÷ bare chain, in throughput (target ≥ 0.6). */
  nearTheLimit: number | null;
  memory: { allOnAfterMb: number; allOnIdleMb: number } | null;
  slowestReadyMs: number;
  sentryCost: { setting: string; throughput: number; p50: number } | null;
  /**
   * The SDK's own floor: the bare chain ÷ the bare chain with the SDK tracing every request, and the
   * CPU it adds per request served, beside the platform's tracing 1.0 ÷ SDK off.
   */
  sdkFloor: { throughput: number; cpuMsPerRequest: number; platformThroughput: number | null } | null;
}

export function answers(rows: RowSummary[]): Answers {
  const get = (id: string) => rows.find((r) => r.id === id);
  const [bare, off, all, production] = [get('bare'), get('off'), get('all'), get(PRODUCTION_ROW.id)];
  const [bareSdk, tracing] = [get('bare-sdk'), get('tracing-1')];
  return {
    observabilityCost:
      off && all
        ? { throughput: off.spinsPerSecond.median / all.spinsPerSecond.median, p50: all.p50 / off.p50, p99: all.p99 / off.p99 }
        : null,
    nearTheLimit: off && bare ? off.spinsPerSecond.median / bare.spinsPerSecond.median : null,
    memory: all ? { allOnAfterMb: total(all.rssAfterMb), allOnIdleMb: total(all.rssIdleMb) } : null,
    slowestReadyMs: Math.max(...rows.filter((r) => !isBare(r.id)).map((r) => r.readyMs)),
    sdkFloor:
      bare && bareSdk
        ? {
            throughput: bare.spinsPerSecond.median / bareSdk.spinsPerSecond.median,
            cpuMsPerRequest: (bareSdk.cpuMsPerSpin.total! - bare.cpuMsPerSpin.total!) / HOPS.length,
            platformThroughput: off && tracing ? off.spinsPerSecond.median / tracing.spinsPerSecond.median : null,
          }
        : null,
    sentryCost:
      off && production
        ? {
            setting: PRODUCTION_ROW.setting,
            throughput: off.spinsPerSecond.median / production.spinsPerSecond.median,
            p50: production.p50 / off.p50,
          }
        : null,
  };
}

const f = (n: number, digits = 1) => n.toFixed(digits);
const pad = (s: string, n: number) => s.padStart(n);

export function table(rows: RowSummary[], connections: number): string {
  const off = rows.find((r) => r.id === 'off');
  const procs = (r: RowSummary) => (isBare(r.id) ? HOPS : SERVICES) as readonly string[];
  const head = [
    'row'.padEnd(32),
    pad(`spins/s @${connections}`, 14),
    pad('range', 12),
    pad('p50 ms', 8),
    pad('p99 ms', 8),
    pad('÷ off', 7),
    pad('CPU ms/spin: each process', 33),
    pad('all', 6),
    pad('RSS MB idle→load', 18),
    pad('ready s', 8),
  ].join('');
  const lines = rows.map((r) =>
    [
      r.label.padEnd(32),
      pad(f(r.spinsPerSecond.median), 14),
      pad(`${f(r.spinsPerSecond.min, 0)}–${f(r.spinsPerSecond.max, 0)}`, 12),
      pad(f(r.p50, 0), 8),
      pad(f(r.p99, 0), 8),
      pad(off ? `${f(off.spinsPerSecond.median / r.spinsPerSecond.median, 2)}×` : '', 7),
      pad(
        procs(r)
          .map((p) => f(r.cpuMsPerSpin[p] ?? NaN))
          .join(' '),
        33,
      ),
      pad(f(r.cpuMsPerSpin.total ?? NaN), 6),
      pad(`${f(total(r.rssIdleMb), 0)}→${f(total(r.rssAfterMb), 0)}`, 18),
      pad(f(r.readyMs / 1000, 2), 8),
      r.failures ? `  ${r.failures} failed` : '',
    ].join(''),
  );
  return [head, ...lines].join('\n');
}

export function answerLines(a: Answers): string[] {
  const lines: string[] = [];
  if (a.sentryCost)
    lines.push(
      `What Sentry costs at ${a.sentryCost.setting}: ${f(a.sentryCost.throughput, 2)}× the SDK-off spins/s, p50 ${f(a.sentryCost.p50, 2)}×.`,
    );
  if (a.observabilityCost)
    lines.push(
      `Observability, everything on ÷ SDK off: ${f(a.observabilityCost.throughput, 2)}× throughput, p50 ${f(a.observabilityCost.p50, 2)}×, p99 ${f(a.observabilityCost.p99, 2)}× (target ≤ 1.5×).`,
    );
  if (a.sdkFloor) {
    const platform =
      a.sdkFloor.platformThroughput === null ? '' : `; the platform's tracing 1.0 ÷ SDK off: ${f(a.sdkFloor.platformThroughput, 2)}×`;
    lines.push(
      `The SDK alone, tracing every request of the bare chain: ${f(a.sdkFloor.throughput, 2)}× fewer spins/s, ${f(a.sdkFloor.cpuMsPerRequest, 2)} CPU ms more per request${platform}.`,
    );
  }
  if (a.nearTheLimit !== null) lines.push(`Platform with the SDK off ÷ the bare chain: ${f(a.nearTheLimit, 2)}× (target ≥ 0.6×).`);
  if (a.memory)
    lines.push(
      `Memory, five services, everything on: ${f(a.memory.allOnIdleMb, 0)} MB idle (target ≤ 400), ${f(a.memory.allOnAfterMb, 0)} MB after the load (target ≤ 600).`,
    );
  lines.push(`Start-up: every /readyz answered within ${f(a.slowestReadyMs / 1000, 2)} s (slowest row's median; target ≤ 2.5 s).`);
  return lines;
}
