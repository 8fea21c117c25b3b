import { sleep } from '@casino/shared';

/**
 * Polls `check` every `everyMs` until it gives a value other than undefined, and returns it; throws
 * `gave up waiting for <what>` once `timeoutMs` has passed.
 */
export async function until<T>(
  what: string,
  check: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 30_000,
  everyMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await sleep(everyMs);
  }
}
