import type { RoundDifference, RoundReconciliation } from '@casino/shared';
import { play, type PlayDeps } from './play';
import { findGame } from './slots';

/** A round untouched this long is no longer in a request's hands. */
export const QUIET_MS = 60_000;
const BATCH = 100;

/**
 * Finishes what interrupted requests left: rounds that took the stake but never settled are played
 * on to the end (the reels drawn, the win paid: the player was charged, so the round is owed), and
 * stakes wager never counted are sent again. Rounds that never took a stake are left to the
 * player's retry: taking a stake nobody is waiting for would be worse than not.
 */
export async function recoverRounds(deps: PlayDeps): Promise<{ finished: number; wagersSent: number; failed: number }> {
  const before = new Date(deps.now().getTime() - QUIET_MS);
  const result = { finished: 0, wagersSent: 0, failed: 0 };
  for (const round of await deps.rounds.unfinished(before, BATCH)) {
    const game = findGame(round.gameId);
    try {
      if (!game) throw new Error(`round ${round._id} is of unknown game ${round.gameId}`);
      await play(deps, { playerId: round.playerId, game, stake: round.stake, idempotencyKey: round.idempotencyKey });
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

/** The game's part of reconciliation: rounds by status, and any left half-way past the quiet time. */
export async function reconcileRounds(deps: Pick<PlayDeps, 'rounds' | 'now'>): Promise<RoundReconciliation> {
  const before = new Date(deps.now().getTime() - QUIET_MS);
  const [{ byStatus, wins }, unfinished, unsent] = await Promise.all([
    deps.rounds.tally(),
    deps.rounds.unfinished(before, 1000),
    deps.rounds.wagersNotRecorded(before, 1000),
  ]);
  const differences: RoundDifference[] = [
    ...unfinished.map((r) => ({
      roundId: r._id,
      playerId: r.playerId,
      problem: 'unfinished' as const,
      detail: `stake taken, stopped at ${r.status}`,
    })),
    ...unsent.map((r) => ({
      roundId: r._id,
      playerId: r.playerId,
      problem: 'wager-not-recorded' as const,
      detail: `stake ${r.stake} not yet counted by wager`,
    })),
  ];
  const count = (status: keyof typeof byStatus) => byStatus[status] ?? 0;
  return {
    rounds: Object.values(byStatus).reduce((n, c) => n + (c ?? 0), 0),
    byStatus,
    bets: count('debited') + count('drawn') + count('settled'),
    wins,
    differences,
  };
}
