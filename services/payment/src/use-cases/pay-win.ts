import type { MoveResult } from '../data/ledger-repository';
import { PaymentRuleError } from '../domain/errors';
import type { MoveRequest, PaymentDeps } from './deps';

/** A round's win, paid as cash and bonus in the proportion its stake was. */
export async function payWin(deps: PaymentDeps, request: MoveRequest, win: { amount: number; roundId: string }): Promise<MoveResult> {
  const { ledger } = deps;
  const stake = await ledger.stakeOf(request.playerId, win.roundId);
  if (!stake) throw new PaymentRuleError('no-bet-for-round', "A win needs the round's bet to be settled first.");
  return ledger.move(request.playerId, request.idempotencyKey, { type: 'win', amount: win.amount, stake }, win.roundId);
}
