/**
 * The cpu-spike scenario's work: real computation on the event loop, so a profile shows it under
 * its own name and the event-loop delay shows the block. Never a sleep: a sleep is invisible to a
 * profiler and lets other requests run.
 */

/** Trial division, naive on purpose. */
function isPrime(n: number): boolean {
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false;
  return n > 1;
}

/** A few milliseconds a call, so the deadline below is kept to within a few milliseconds. */
function countPrimes(below: number): number {
  let count = 0;
  for (let n = 2; n < below; n++) if (isPrime(n)) count++;
  return count;
}

/** Keeps the CPU busy for `ms` of wall-clock time; returns the work's result so it cannot be optimised away. */
export function burnCpu(ms: number): number {
  const until = performance.now() + ms;
  let primes: number;
  do primes = countPrimes(30_000);
  while (performance.now() < until);
  return primes;
}
