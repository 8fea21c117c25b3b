/**
 * What a soak run's memory readings say: for each process, where it started, its peak, where it
 * ended, and how fast it still grew over the second half of the run, when the heaps have settled.
 */

/** One reading: minutes since the load began, and resident memory by process in MB. */
export interface Sample {
  minute: number;
  rssMb: Record<string, number>;
}

export interface MemoryTrend {
  process: string;
  firstMb: number;
  peakMb: number;
  lastMb: number;
  /** The least-squares slope over the second half of the readings, in MB an hour. */
  secondHalfMbPerHour: number;
}

/** Least-squares slope of y over x. */
function slope(points: readonly (readonly [number, number])[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  const sxy = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  return sxx === 0 ? 0 : sxy / sxx;
}

/** Trends by process, plus one named `total` for the sum of all of them. */
export function memoryTrends(samples: readonly Sample[]): MemoryTrend[] {
  if (samples.length === 0) return [];
  const withTotal: Sample[] = samples.map((s) => ({
    minute: s.minute,
    rssMb: { ...s.rssMb, total: Object.values(s.rssMb).reduce((a, b) => a + b, 0) },
  }));
  const half = withTotal.filter((s) => s.minute >= withTotal.at(-1)!.minute / 2);
  return Object.keys(withTotal[0]!.rssMb).map((process) => {
    const series = withTotal.map((s) => s.rssMb[process]!);
    return {
      process,
      firstMb: series[0]!,
      peakMb: Math.max(...series),
      lastMb: series.at(-1)!,
      secondHalfMbPerHour: slope(half.map((s) => [s.minute, s.rssMb[process]!] as const)) * 60,
    };
  });
}
