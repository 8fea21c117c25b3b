import type { MoveResult } from '../data/ledger-repository';
import type { MoveRequest, PaymentDeps } from './deps';

/** A bonus wager granted, as bonus money. */
export function creditBonus(deps: PaymentDeps, request: MoveRequest, credit: { amount: number; bonusId: string }): Promise<MoveResult> {
  return deps.ledger.move(request.playerId, request.idempotencyKey, { type: 'bonus_credit', amount: credit.amount }, credit.bonusId);
}
