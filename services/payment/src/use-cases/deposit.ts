import type { MoveResult } from '../data/ledger-repository';
import { depositLimitExceeded, selfExclusionRefusal } from '../domain/deposits';
import { type Movement, utcDay } from '../domain/ledger';
import { type MoveRequest, type PaymentDeps, refusals } from './deps';

/**
 * A deposit: a replay answers as the first time; a new one needs the player not self-excluded and
 * room under the daily limit, which it reserves before the ledger moves the money (and gives back
 * if the move fails, or if a concurrent duplicate moved it first).
 */
export async function deposit(deps: PaymentDeps, { playerId, idempotencyKey }: MoveRequest, amount: number): Promise<MoveResult> {
  const { ledger, limits, peers, metrics, now } = deps;
  const movement: Movement = { type: 'deposit', amount };
  const replay = await ledger.replay(playerId, idempotencyKey, movement);
  if (replay) return replay;

  const refused = refusals(metrics, 'deposits');
  const status = await peers.playerStatus(playerId);
  const excluded = selfExclusionRefusal(status);
  if (excluded) throw refused(excluded);
  const day = utcDay(now());
  if (!(await limits.reserve(playerId, day, amount, status.dailyDepositLimit, now()))) {
    throw refused(depositLimitExceeded(status.dailyDepositLimit, await limits.used(playerId, day)));
  }
  let result: MoveResult;
  try {
    result = await ledger.move(playerId, idempotencyKey, movement, null);
  } catch (err) {
    await limits.release(playerId, day, amount, now());
    throw err;
  }
  if (result.replayed) {
    // A concurrent request with the same key got there first and already counts toward the limit.
    await limits.release(playerId, day, amount, now());
  } else {
    metrics.count('deposits', { status: 'succeeded' });
    metrics.count('depositCents', {}, amount);
  }
  return result;
}
