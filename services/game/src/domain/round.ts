import type { PlayerStatus, SpinResult, WalletView } from '@casino/shared/contracts';
import { euros } from '@casino/shared/validation';
import { GameRuleError } from './errors';
import type { LineWin, SlotGame } from './slots';

/**
 * A round as the spin walks it: started → debited → drawn → settled, or failed when the stake is
 * refused. Each status carries what the round has by then, and nothing it does not have yet.
 */
interface RoundBase {
  id: string;
  playerId: string;
  gameId: string;
  stake: number;
  idempotencyKey: string;
  createdAt: Date;
  updatedAt: Date;
}

/** The problem a refused stake answered with, kept so that a replay answers the same. */
export interface RoundFailure {
  status: number;
  slug: string;
  title: string;
  detail: string;
}

export type StartedRound = RoundBase & { status: 'started' };
export type DebitedRound = RoundBase & { status: 'debited'; wallet: WalletView };
export type DrawnRound = RoundBase & { status: 'drawn'; wallet: WalletView; reels: string[][]; lines: LineWin[]; win: number };
/** `wagerRecorded` is false while wager has still to count the stake. */
export type SettledRound = Omit<DrawnRound, 'status'> & { status: 'settled'; wagerRecorded: boolean };
export type FailedRound = RoundBase & { status: 'failed'; failure: RoundFailure };
export type Round = StartedRound | DebitedRound | DrawnRound | SettledRound | FailedRound;
export type RoundStatus = Round['status'];

/** A round untouched this long is no longer in a request's hands: recovery may take it over. */
export const QUIET_MS = 60_000;

/** What a player sees of a settled round. */
export const spinResult = (round: SettledRound): SpinResult => ({
  roundId: round.id,
  gameId: round.gameId,
  stake: round.stake,
  win: round.win,
  reels: round.reels,
  lines: round.lines,
  wallet: round.wallet,
});

/** A stake the game takes: within its range and on its step. */
export function checkStake(game: SlotGame, stake: number): void {
  if (stake < game.minStake || stake > game.maxStake) {
    throw new GameRuleError('stake-out-of-range', `${game.name} takes stakes from ${euros(game.minStake)} to ${euros(game.maxStake)}.`);
  }
  if (stake % game.stakeStep !== 0)
    throw new GameRuleError('invalid-stake', `${game.name} takes stakes in steps of ${euros(game.stakeStep)}.`);
}

/** Play is closed while the player is self-excluded. */
export function checkMayPlay(status: PlayerStatus): void {
  if (status.status === 'self_excluded') throw new GameRuleError('self-excluded', 'Play is closed while you are self-excluded.');
}

/** An idempotency key names one spin: the same key for another game or stake is a mistake. */
export function checkSameSpin(round: Round, game: SlotGame, stake: number): void {
  if (round.gameId !== game.id || round.stake !== stake) {
    throw new GameRuleError('idempotency-key-reused', 'This Idempotency-Key was already used for a different spin.');
  }
}
