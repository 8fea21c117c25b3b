import { euros } from '@casino/shared/validation';
import type { MoveResult } from '../data/ledger-repository';
import { PaymentRuleError } from '../domain/errors';
import { InsufficientFundsError, type Movement } from '../domain/ledger';
import { type MoveRequest, type PaymentDeps, refusals } from './deps';

/**
 * A withdrawal of cash: a replay answers as the first time; a new one needs the cash, and while a
 * bonus is open the player's consent to forfeit it, which wager is asked for first.
 */
export async function withdraw(
  deps: PaymentDeps,
  { playerId, idempotencyKey }: MoveRequest,
  { amount, forfeitBonus }: { amount: number; forfeitBonus?: boolean },
): Promise<MoveResult> {
  const { ledger, peers, metrics } = deps;
  const refused = refusals(metrics, 'withdrawals');
  const movement: Movement = { type: 'withdrawal', amount };
  const replay = await ledger.replay(playerId, idempotencyKey, movement);
  if (replay) return replay;

  const { cash } = await ledger.balances(playerId);
  if (amount > cash) throw refused(new InsufficientFundsError('withdrawal', amount, cash));
  const bonus = await peers.activeBonus(playerId);
  if (bonus) {
    if (!forfeitBonus) {
      throw refused(
        new PaymentRuleError(
          'wagering-open',
          `Wagering is open on your bonus (${euros(bonus.wagered)} of ${euros(bonus.wageringRequired)} wagered). ` +
            'A withdrawal now forfeits the bonus: send forfeitBonus: true to go ahead.',
        ),
      );
    }
    await peers.forfeitBonus(playerId, `${idempotencyKey}:forfeit`);
  }
  let result: MoveResult;
  try {
    result = await ledger.move(playerId, idempotencyKey, movement, null);
  } catch (err) {
    throw refused(err);
  }
  if (!result.replayed) {
    metrics.count('withdrawals', { status: 'succeeded' });
    metrics.count('withdrawalCents', {}, amount);
  }
  return result;
}
