import { AppError, type Cache } from '@casino/shared';
import type { Response } from 'express';
import { hashedSubject } from './rate-limit';

interface Window {
  count: number;
  until: number;
}

/**
 * Refuses a subject (an account, a client address) for the rest of a window once it has failed
 * `limit` times in it: failed logins per account, failed admin tokens per address. Counted in
 * Redis, so every gateway shares them, or in this process while Redis cannot answer. A success
 * clears the count. Keys are an HMAC of the subject, so no e-mail or address is stored in Redis
 * or shows in the spans of its commands.
 *
 * Concurrent attempts are checked before any of them is counted, so a burst may pass the limit by
 * as many attempts as it sends at once; from then on every attempt is refused.
 */
export class FailureThrottle {
  private readonly local = new Map<string, Window>();

  constructor(
    private readonly options: { cache: Cache; secret: string; name: string; limit: number; windowMs: number; now?: () => number },
  ) {}

  private key(subject: string): string {
    return `${this.options.name}:${hashedSubject(this.options.secret, subject)}`;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** Whole seconds until `subject` may try again; 0 when it may now. */
  async retryAfter(subject: string): Promise<number> {
    const key = this.key(subject);
    const until = Math.max((await this.options.cache.getJson<number>(`${key}:until`)) ?? 0, this.localUntil(key));
    return until > this.now() ? Math.ceil((until - this.now()) / 1000) : 0;
  }

  /** Counts a failure of `subject`; the one that reaches the limit starts its refusal. */
  async failed(subject: string): Promise<void> {
    const key = this.key(subject);
    const { limit, windowMs, cache } = this.options;
    const shared = await cache.hit(key, windowMs);
    const { count, until } = shared ? { count: shared.count, until: this.now() + shared.resetInMs } : this.countLocally(key);
    if (count < limit) return;
    if (shared) await cache.setJson(`${key}:until`, until, Math.ceil((until - this.now()) / 1000));
    else this.local.set(key, { count, until });
  }

  /** Clears the failures of `subject`. */
  async succeeded(subject: string): Promise<void> {
    const key = this.key(subject);
    this.local.delete(key);
    await this.options.cache.del(key);
  }

  private countLocally(key: string): Window {
    const now = this.now();
    const current = this.local.get(key);
    const window = current && current.until > now ? current : { count: 0, until: now + this.options.windowMs };
    window.count++;
    this.local.set(key, window);
    if (this.local.size > 10_000) for (const [k, w] of this.local) if (w.until <= now) this.local.delete(k);
    return window;
  }

  private localUntil(key: string): number {
    const window = this.local.get(key);
    return window && window.count >= this.options.limit ? window.until : 0;
  }
}

/** 429 with Retry-After, for a subject the throttle refuses. */
export function throttled(res: Response, seconds: number, detail: string): AppError {
  res.setHeader('retry-after', String(seconds));
  return new AppError(429, { slug: 'too-many-failures', title: 'Too many failed attempts', detail });
}
