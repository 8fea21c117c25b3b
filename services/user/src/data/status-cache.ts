import type { Cache } from '@casino/shared';
import type { Player } from '../domain/players';

// Status is read on every spin and deposit; a short TTL keeps Redis useful without going stale.
const STATUS_TTL_SECONDS = 30;
const key = (id: string) => `player-status:${id}`;

type Status = Pick<Player, 'selfExcludedUntil' | 'dailyDepositLimit' | 'pendingDepositLimit'>;

interface CachedStatus {
  selfExcludedUntil: string | null;
  dailyDepositLimit: number;
  pendingDepositLimit?: { amount: number; effectiveAt: string } | null;
}

const cached = (status: Status): CachedStatus => ({
  selfExcludedUntil: status.selfExcludedUntil?.toISOString() ?? null,
  dailyDepositLimit: status.dailyDepositLimit,
  pendingDepositLimit: status.pendingDepositLimit && {
    amount: status.pendingDepositLimit.amount,
    effectiveAt: status.pendingDepositLimit.effectiveAt.toISOString(),
  },
});

/**
 * What a player's status is made of, cached for a short while. A change writes the new status over
 * whatever is there; a read that missed the cache only fills it if it is still empty. So a read
 * that fetched the player just before a self-exclusion cannot put "active" back over it.
 */
export class StatusCache {
  constructor(private readonly cache: Cache) {}

  async get(id: string): Promise<Status | null> {
    const found = await this.cache.getJson<CachedStatus>(key(id));
    if (!found) return null;
    const pending = found.pendingDepositLimit;
    return {
      selfExcludedUntil: found.selfExcludedUntil ? new Date(found.selfExcludedUntil) : null,
      dailyDepositLimit: found.dailyDepositLimit,
      pendingDepositLimit: pending ? { amount: pending.amount, effectiveAt: new Date(pending.effectiveAt) } : null,
    };
  }

  /** After a read from the store: only where no status is cached, never over a newer one. */
  fill(id: string, status: Status): Promise<void> {
    return this.cache.setJsonIfAbsent(key(id), cached(status), STATUS_TTL_SECONDS);
  }

  /** After a change: the new status, over whatever is cached. */
  put(id: string, status: Status): Promise<void> {
    return this.cache.setJson(key(id), cached(status), STATUS_TTL_SECONDS);
  }
}
