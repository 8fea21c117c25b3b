/**
 * Exponential backoff with full jitter: a uniform wait in [0, base * 2^attempt], capped, so callers
 * retrying the same dependency spread out instead of arriving together.
 */
export function backoffDelay(attempt: number, baseMs: number, capMs = 1000): number {
  return Math.random() * Math.min(capMs, baseMs * 2 ** attempt);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
