import { randomUUID } from 'node:crypto';
import { annotate, Attr, type SpinResult } from '@casino/shared';
import { startedRound, toRound } from '../data/round-repository';
import { checkMayPlay, checkSameSpin, checkStake, spinResult } from '../domain/round';
import type { SlotGame } from '../domain/slots';
import { advanceRound, type SpinDeps } from './advance-round';

export interface SpinRequest {
  playerId: string;
  game: SlotGame;
  stake: number;
  idempotencyKey: string;
}

/**
 * A spin: a new round for a new key (checked against the game's limits and the player's status),
 * or the round the key already started, replayed or resumed; then the round walked to its end.
 */
export async function playSpin(deps: SpinDeps, request: SpinRequest): Promise<{ result: SpinResult; replayed: boolean }> {
  const { rounds, peers, faults, now } = deps;
  const { playerId, game, stake, idempotencyKey } = request;
  annotate({ [Attr.gameId]: game.id });
  faults.spinRequested(game);

  let record = await rounds.byKey(playerId, idempotencyKey);
  let replayed = record !== null;
  if (!record) {
    checkStake(game, stake);
    checkMayPlay(await peers.playerStatus(playerId));
    faults.roundStarting(game);
    const id = randomUUID();
    record = await rounds.start(startedRound({ _id: id, playerId, gameId: game.id, stake, idempotencyKey }, now()));
    // A concurrent duplicate started the round first: this request answers as its replay.
    replayed = record._id !== id;
  }
  const round = toRound(record);
  checkSameSpin(round, game, stake);
  annotate({ [Attr.roundId]: round.id, [Attr.stake]: stake, [Attr.idempotentReplay]: replayed });

  const settled = await advanceRound(deps, game, round);
  annotate({ [Attr.win]: settled.win });
  return { result: spinResult(settled), replayed };
}
