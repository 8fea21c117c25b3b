import { type Bonus, isExpired } from '../domain/bonuses';
import type { WagerDeps } from './deps';
import { endBonus } from './end-bonus';

/** The player's active bonus, expiring it first if its time is up. */
export async function activeBonus(deps: WagerDeps, playerId: string): Promise<Bonus | null> {
  const bonus = await deps.bonuses.active(playerId);
  if (!bonus) return null;
  if (!isExpired(bonus, deps.now())) return bonus;
  await endBonus(deps, bonus, 'expired');
  return null;
}
