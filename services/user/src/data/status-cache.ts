import type { Cache } from '@casino/shared';

// Status is read on every spin and deposit; a short TTL keeps Redis useful without going stale.
const STATUS_TTL_SECONDS = 30;
const key = (id: string) => `player-status:${id}`;

interface CachedStatus {
  selfExcludedUntil: string | null;
  dailyDepositLimit: number;
}

/** What a player's status is made of, cached for a short while. */
export class StatusCache {
  constructor(private readonly cache: Cache) {}

  async get(id: string): Promise<{ selfExcludedUntil: Date | null; dailyDepositLimit: number } | null> {
    const cached = await this.cache.getJson<CachedStatus>(key(id));
    if (!cached) return null;
    return {
      selfExcludedUntil: cached.selfExcludedUntil ? new Date(cached.selfExcludedUntil) : null,
      dailyDepositLimit: cached.dailyDepositLimit,
    };
  }

  set(id: string, status: { selfExcludedUntil: Date | null; dailyDepositLimit: number }): Promise<void> {
    return this.cache.setJson(
      key(id),
      { selfExcludedUntil: status.selfExcludedUntil, dailyDepositLimit: status.dailyDepositLimit },
      STATUS_TTL_SECONDS,
    );
  }

  forget(id: string): Promise<void> {
    return this.cache.del(key(id));
  }
}
