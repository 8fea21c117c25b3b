import type { WalletView } from '@casino/shared';
import type { Bonus } from '../domain/bonuses';
import type { WagerDeps } from './deps';

export type Ending = 'completed' | 'forfeited' | 'expired';

/**
 * Ends a bonus. The money moves first (idempotently, one key per bonus), then the bonus changes
 * state: if anything fails in between, the next call finishes the job without moving money twice.
 */
export async function endBonus(deps: WagerDeps, bonus: Bonus, ending: Ending): Promise<{ bonus: Bonus; wallet: WalletView }> {
  const { peers, bonuses, metrics, now } = deps;
  const moved =
    ending === 'completed' ? await peers.convertBonus(bonus.playerId, bonus.id) : await peers.forfeitBonus(bonus.playerId, bonus.id);
  const settled = await bonuses.settle(bonus.id, ending, now());
  if (settled) {
    if (ending === 'completed') {
      metrics.count('bonusConversions', { offer_id: bonus.offerId });
      metrics.count('bonusConvertedCents', {}, moved.transaction.cash);
    } else {
      metrics.count('bonusForfeits', { reason: ending === 'expired' ? 'expired' : 'forfeited' });
    }
  }
  return { bonus: settled ?? { ...bonus, status: ending }, wallet: moved.wallet };
}
