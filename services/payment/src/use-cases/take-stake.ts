import type { AppError } from '@casino/shared';
import type { MoveResult } from '../data/ledger-repository';
import type { Movement } from '../domain/ledger';
import type { MoveRequest, PaymentDeps } from './deps';

/**
 * A round's stake, taken from cash first, then bonus. When a card provider stands in front of new
 * stakes (the payment-failures scenario), a stake the ledger already took replays as taken and only
 * a new one is put to it: its refusal comes back as the problem to answer with, not thrown, so the
 * central handler does not report every retry of the bet again.
 */
export async function takeStake(
  deps: PaymentDeps,
  request: MoveRequest,
  stake: { amount: number; roundId: string; gameId: string },
): Promise<{ result: MoveResult } | { refusal: AppError }> {
  const { ledger, faults } = deps;
  const { playerId, idempotencyKey } = request;
  const movement: Movement = { type: 'bet', amount: stake.amount };
  const provider = faults.stakeProvider();
  if (provider) {
    const replay = await ledger.replay(playerId, idempotencyKey, movement);
    if (replay) return { result: replay };
    const refusal = provider({ playerId, idempotencyKey, ...stake });
    if (refusal) return { refusal };
  }
  return { result: await ledger.move(playerId, idempotencyKey, movement, stake.roundId) };
}
