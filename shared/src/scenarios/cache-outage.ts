/**
 * The cache-outage scenario, for every service at once: while it is on, the service's cache acts
 * as the no-op cache a real Redis outage leaves (every read misses, every write is skipped, the
 * rate limit counts in process) and reports itself degraded, so /readyz and /health say so.
 */
import type { Cache, CacheStatus } from '../cache';
import type { Logger } from '../logger';
import { scenarioApplied } from './marking';
import type { Scenarios } from './state';

/** Invalidations held back during an outage, at most this many; beyond it the oldest expire by TTL. */
const MAX_MISSED_INVALIDATIONS = 10_000;

class OutageAwareCache implements Cache {
  /** Keys deleted while "down": deleted for real before the cache answers again, so none is stale. */
  private readonly missed = new Set<string>();
  private catchingUp: Promise<void> | undefined;

  constructor(
    private readonly cache: Cache,
    private readonly scenarios: Scenarios,
  ) {}

  /** Whether the outage is on; if it is, the current request would have used the cache: mark it. */
  private down(): boolean {
    if (!this.scenarios.active('cache-outage')) return false;
    scenarioApplied('cache-outage');
    return true;
  }

  /**
   * After an outage, a status changed during it (a self-exclusion, say) must not be answered from
   * what Redis still holds: the deletes it missed go first, and every command waits for them.
   */
  private async caughtUp(): Promise<void> {
    if (this.missed.size) {
      const keys = [...this.missed];
      this.missed.clear();
      const done: Promise<void> = Promise.all(keys.map((key) => this.cache.del(key))).then(() => {
        if (this.catchingUp === done) this.catchingUp = undefined;
      });
      this.catchingUp = done;
    }
    await this.catchingUp;
  }

  status(): CacheStatus {
    return this.scenarios.active('cache-outage') ? 'degraded' : this.cache.status();
  }

  async getJson<T>(key: string): Promise<T | undefined> {
    if (this.down()) return undefined;
    await this.caughtUp();
    return this.cache.getJson<T>(key);
  }

  /** A write the outage keeps from Redis: what Redis holds for the key is stale, so it goes first when back. */
  private miss(key: string): void {
    this.missed.delete(key);
    this.missed.add(key);
    if (this.missed.size > MAX_MISSED_INVALIDATIONS) this.missed.delete(this.missed.values().next().value!);
  }

  async setJson(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    if (this.down()) return this.miss(key);
    await this.caughtUp();
    await this.cache.setJson(key, value, ttlSeconds);
  }

  async setJsonIfAbsent(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    if (this.down()) return;
    await this.caughtUp();
    await this.cache.setJsonIfAbsent(key, value, ttlSeconds);
  }

  async del(key: string): Promise<void> {
    if (this.down()) return this.miss(key);
    await this.caughtUp();
    await this.cache.del(key);
  }

  async hit(key: string, windowMs: number): Promise<{ count: number; resetInMs: number } | undefined> {
    if (this.down()) return undefined;
    await this.caughtUp();
    return this.cache.hit(key, windowMs);
  }

  close(): Promise<void> {
    return this.cache.close();
  }
}

/** Wraps a service's cache so that the cache-outage scenario can take it away, and logs each switch. */
export function outageAwareCache(cache: Cache, scenarios: Scenarios, logger: Logger): Cache {
  let on = scenarios.active('cache-outage') !== undefined;
  scenarios.onChange((name, setting) => {
    if (name !== 'cache-outage' || Boolean(setting?.enabled) === on) return;
    on = !on;
    if (on) logger.warn('cache-outage scenario on: working as if Redis were unreachable');
    else logger.info('cache-outage scenario off: cache back in use');
  });
  return new OutageAwareCache(cache, scenarios);
}
