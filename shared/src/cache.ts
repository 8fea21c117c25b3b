import type * as IORedis from 'ioredis';
import type { Redis } from 'ioredis';
import { backoffDelay } from './backoff';
import type { Logger } from './logger';

/** ready: Redis answers. degraded: configured but unreachable, working without it. disabled: no REDIS_URL. */
export type CacheStatus = 'ready' | 'degraded' | 'disabled';

/**
 * A cache the services can always call: while Redis is unreachable every read misses and every
 * write is skipped at once, so a Redis outage costs latency on cache misses, never a failed request.
 */
export interface Cache {
  status(): CacheStatus;
  getJson<T>(key: string): Promise<T | undefined>;
  setJson(key: string, value: unknown, ttlSeconds: number): Promise<void>;
  /** Sets the value only where the key holds none (Redis SET NX). */
  setJsonIfAbsent(key: string, value: unknown, ttlSeconds: number): Promise<void>;
  del(key: string): Promise<void>;
  /** Counts a hit in a fixed window; undefined when Redis cannot answer, so callers fall back. */
  hit(key: string, windowMs: number): Promise<{ count: number; resetInMs: number } | undefined>;
  close(): Promise<void>;
}

export class NoCache implements Cache {
  status(): CacheStatus {
    return 'disabled';
  }
  async getJson<T>(): Promise<T | undefined> {
    return undefined;
  }
  async setJson(): Promise<void> {}
  async setJsonIfAbsent(): Promise<void> {}
  async del(): Promise<void> {}
  async hit(): Promise<undefined> {
    return undefined;
  }
  async close(): Promise<void> {}
}

export class RedisCache implements Cache {
  private readonly redis: Redis;
  private readonly prefix: string;
  private down = false;

  constructor(
    url: string,
    namespace: string,
    private readonly logger: Logger,
  ) {
    this.prefix = `casino:${namespace}:`;
    // Loaded only with a REDIS_URL: a service without Redis starts without it (80 ms of loading).
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Redis } = require('ioredis') as typeof IORedis;
    this.redis = new Redis(url, {
      // Fail fast while disconnected rather than queue commands: the caller falls back at once.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 2000,
      commandTimeout: 500,
      // Reconnect forever, backing off to 5 s with jitter, so a fleet does not stampede Redis.
      retryStrategy: (times) => 100 + backoffDelay(times, 100, 5000),
    });
    this.redis.on('ready', () => {
      if (this.down) this.logger.info('redis reachable again; cache back in use');
      this.down = false;
    });
    this.redis.on('error', (err: Error) => {
      if (!this.down) this.logger.warn({ err: { message: err.message } }, 'redis unreachable; working without the cache');
      this.down = true;
    });
  }

  status(): CacheStatus {
    return this.redis.status === 'ready' ? 'ready' : 'degraded';
  }

  private async attempt<R>(work: () => Promise<R>): Promise<R | undefined> {
    if (this.redis.status !== 'ready') return undefined;
    try {
      return await work();
    } catch (err) {
      this.logger.debug({ err: { message: (err as Error).message } }, 'cache command failed');
      return undefined;
    }
  }

  async getJson<T>(key: string): Promise<T | undefined> {
    const raw = await this.attempt(() => this.redis.get(this.prefix + key));
    if (raw == null) return undefined;
    try {
      return JSON.parse(raw) as T;
    } catch {
      return undefined;
    }
  }

  async setJson(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    await this.attempt(() => this.redis.set(this.prefix + key, JSON.stringify(value), 'EX', ttlSeconds));
  }

  async setJsonIfAbsent(key: string, value: unknown, ttlSeconds: number): Promise<void> {
    await this.attempt(() => this.redis.set(this.prefix + key, JSON.stringify(value), 'EX', ttlSeconds, 'NX'));
  }

  async del(key: string): Promise<void> {
    await this.attempt(() => this.redis.del(this.prefix + key));
  }

  async hit(key: string, windowMs: number): Promise<{ count: number; resetInMs: number } | undefined> {
    const result = await this.attempt(async () => {
      const k = this.prefix + key;
      const [[, count], , [, ttl]] = (await this.redis.multi().incr(k).pexpire(k, windowMs, 'NX').pttl(k).exec()) as [
        [Error | null, number],
        [Error | null, number],
        [Error | null, number],
      ];
      return { count, ttl };
    });
    return result && { count: result.count, resetInMs: result.ttl > 0 ? result.ttl : windowMs };
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

export function createCache(options: { redisUrl: string | undefined; namespace: string; logger: Logger }): Cache {
  return options.redisUrl ? new RedisCache(options.redisUrl, options.namespace, options.logger) : new NoCache();
}
