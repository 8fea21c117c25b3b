import { annotate, Attr, type WalletView } from '@casino/shared';
import { type Bonus, isWageringComplete } from '../domain/bonuses';
import { activeBonus } from './active-bonus';
import type { WagerDeps } from './deps';
import { endBonus } from './end-bonus';

/**
 * A round's stake counted toward the active bonus (once per round); when that completes the
 * wagering, the bonus is converted to cash and the wallet comes back with it.
 */
export async function recordWager(
  deps: WagerDeps,
  { playerId, roundId, stake }: { playerId: string; roundId: string; stake: number },
): Promise<{ bonus: Bonus | null; wallet?: WalletView }> {
  deps.faults.wagerRecording();
  const bonus = await activeBonus(deps, playerId);
  if (!bonus) return { bonus: null };
  annotate({ [Attr.bonusId]: bonus.id });
  const after = (await deps.bonuses.addWager(bonus, roundId, stake, deps.now())) ?? (await deps.bonuses.active(playerId)) ?? bonus;
  if (after.status !== 'active' || !isWageringComplete(after)) return { bonus: after };
  return endBonus(deps, after, 'completed');
}
