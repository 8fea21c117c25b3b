import { toRound } from '../data/round-repository';
import { QUIET_MS } from '../domain/round';
import { findGame } from '../domain/slots';
import { advanceRound, type SpinDeps } from './advance-round';

const BATCH = 100;

/**
 * Finishes what interrupted requests left: rounds that took the stake but never settled are played
 * on to the end (the reels drawn, the win paid: the player was charged, so the round is owed), and
 * stakes wager never counted are sent again. Rounds that never took a stake are left to the
 * player's retry: taking a stake nobody is waiting for would be worse than not.
 */
export async function recoverRounds(deps: SpinDeps): Promise<{ finished: number; wagersSent: number; failed: number }> {
  const before = new Date(deps.now().getTime() - QUIET_MS);
  const result = { finished: 0, wagersSent: 0, failed: 0 };
  for (const round of await deps.rounds.unfinished(before, BATCH)) {
    const game = findGame(round.gameId);
    try {
      if (!game) throw new Error(`round ${round._id} is of unknown game ${round.gameId}`);
      await advanceRound(deps, game, toRound(round));
      result.finished++;
    } catch (err) {
      result.failed++;
      deps.logger.warn(
        { err: { message: (err as Error).message }, roundId: round._id },
        'could not finish an interrupted round; will retry',
      );
    }
  }
  for (const round of await deps.rounds.wagersNotRecorded(before, BATCH)) {
    try {
      await deps.peers.recordWager(round.playerId, round._id, round.stake);
      await deps.rounds.markWagerRecorded(round._id);
      result.wagersSent++;
    } catch (err) {
      result.failed++;
      deps.logger.warn(
        { err: { message: (err as Error).message }, roundId: round._id },
        "could not send a round's stake to wager; will retry",
      );
    }
  }
  return result;
}
