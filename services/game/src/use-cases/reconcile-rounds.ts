import type { RoundDifference, RoundReconciliation } from '@casino/shared';
import { QUIET_MS } from '../domain/round';
import type { SpinDeps } from './advance-round';

/** The game's part of reconciliation: rounds by status, and any left half-way past the quiet time. */
export async function reconcileRounds(deps: Pick<SpinDeps, 'rounds' | 'now'>): Promise<RoundReconciliation> {
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
