import { annotate, Attr, type WalletView } from '@casino/shared';
import { type Bonus, isExpired } from '../domain/bonuses';
import type { WagerDeps } from './deps';
import { endBonus } from './end-bonus';

/** The active bonus given up (a withdrawal, or its time is up); none active is no change. */
export async function forfeitBonus(
  deps: WagerDeps,
  { playerId, reason }: { playerId: string; reason: string },
): Promise<{ bonus: Bonus | null; wallet?: WalletView }> {
  const bonus = await deps.bonuses.active(playerId);
  if (!bonus) return { bonus: null };
  annotate({ [Attr.bonusId]: bonus.id });
  // A bonus whose time is already up ends as expired, whatever the caller's reason.
  return endBonus(deps, bonus, reason === 'expired' || isExpired(bonus, deps.now()) ? 'expired' : 'forfeited');
}
