import type { RoundView } from '@casino/shared';
import { type RoundRepository, toRound } from '../data/round-repository';
import type { Round, SettledRound } from '../domain/round';

const settled = (round: Round): round is SettledRound => round.status === 'settled';

/** A player's latest settled rounds, newest first. */
export async function listRounds(rounds: RoundRepository, playerId: string, limit: number): Promise<RoundView[]> {
  return (await rounds.recent(playerId, limit))
    .map(toRound)
    .filter(settled)
    .map((r) => ({ roundId: r.id, gameId: r.gameId, stake: r.stake, win: r.win, reels: r.reels, createdAt: r.createdAt.toISOString() }));
}
