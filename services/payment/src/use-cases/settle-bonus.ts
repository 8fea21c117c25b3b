import type { MoveResult } from '../data/ledger-repository';
import type { MoveRequest, PaymentDeps } from './deps';

/** The end of a bonus: its whole balance turned into cash (conversion) or removed (forfeit). */
export function settleBonus(
  deps: PaymentDeps,
  request: MoveRequest,
  settlement: { type: 'bonus_conversion' | 'bonus_forfeit'; bonusId: string },
): Promise<MoveResult> {
  return deps.ledger.move(request.playerId, request.idempotencyKey, { type: settlement.type }, settlement.bonusId);
}
