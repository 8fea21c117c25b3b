import { createHmac } from 'node:crypto';
import { AppError, type Cache, sendProblem } from '@casino/shared';
import { type ClientRateLimitInfo, MemoryStore, type Options, rateLimit, type Store } from 'express-rate-limit';

/** A client address or an account as it may be stored in Redis: an HMAC under the gateways' shared secret. */
export const hashedSubject = (secret: string, subject: string): string =>
  createHmac('sha256', secret).update(subject).digest('base64url').slice(0, 22);

/**
 * Counts in Redis, shared by every gateway instance; while Redis is unreachable it counts in this
 * process instead, so the limit holds (per instance) rather than vanishing or failing requests.
 * Redis keys name a client by an HMAC of its address under the gateways' shared secret, so no
 * address is stored in Redis or shows in the spans of its commands.
 */
class CacheStore implements Store {
  private readonly memory = new MemoryStore();
  private windowMs = 60_000;
  localKeys = false;
  prefix = 'ratelimit:';

  constructor(
    private readonly cache: Cache,
    private readonly secret: string,
  ) {}

  private cacheKey(key: string): string {
    return this.prefix + hashedSubject(this.secret, key);
  }

  init(options: Options): void {
    this.windowMs = options.windowMs;
    this.memory.init(options);
  }

  async increment(key: string): Promise<ClientRateLimitInfo> {
    const hit = await this.cache.hit(this.cacheKey(key), this.windowMs);
    if (hit) return { totalHits: hit.count, resetTime: new Date(Date.now() + hit.resetInMs) };
    return this.memory.increment(key);
  }

  async decrement(key: string): Promise<void> {
    await this.memory.decrement(key);
  }

  async resetKey(key: string): Promise<void> {
    await this.cache.del(this.cacheKey(key));
    await this.memory.resetKey(key);
  }
}

/** Limits register and login per client address: slows password guessing and account spam. */
export function authRateLimit(cache: Cache, perMinute: number, secret: string) {
  return rateLimit({
    windowMs: 60_000,
    limit: perMinute,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    store: new CacheStore(cache, secret),
    // The limiter has already set Retry-After to the seconds left in this client's window.
    handler: (_req, res) => {
      sendProblem(
        res,
        new AppError(429, {
          slug: 'rate-limited',
          title: 'Too many requests',
          detail: `At most ${perMinute} sign-up or login attempts a minute; wait and retry.`,
        }),
      );
    },
  });
}
