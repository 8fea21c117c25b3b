import { randomUUID } from 'node:crypto';
import * as Sentry from '@sentry/node';
import {
  AppError,
  annotate,
  Attr,
  euros,
  type Logger,
  type Metrics,
  scenarioApplied,
  type Scenarios,
  type SpinResult,
  withSpan,
} from '@casino/shared';
import { type Round, type RoundRepository, startedRound } from '../data/round-repository';
import type { GamePeers } from '../data/peers';
import { failIfRegressed } from './bad-release';
import { burnCpu } from './cpu-spike';
import type { SpinHistoryCache } from './memory-leak';
import { type Rng, type SlotGame, spin } from './slots';

export interface PlayDeps {
  rounds: RoundRepository;
  peers: GamePeers;
  rng: Rng;
  metrics: Metrics;
  logger: Logger;
  now: () => Date;
  scenarios: Scenarios;
  /** What the memory-leak scenario holds on to. */
  spinHistory?: SpinHistoryCache;
}

export interface SpinRequest {
  playerId: string;
  game: SlotGame;
  stake: number;
  idempotencyKey: string;
}

export function checkStake(game: SlotGame, stake: number): void {
  if (stake < game.minStake || stake > game.maxStake) {
    throw AppError.unprocessable(
      'stake-out-of-range',
      'Stake out of range',
      `${game.name} takes stakes from ${euros(game.minStake)} to ${euros(game.maxStake)}.`,
    );
  }
  if (stake % game.stakeStep !== 0) {
    throw AppError.unprocessable('invalid-stake', 'Invalid stake', `${game.name} takes stakes in steps of ${euros(game.stakeStep)}.`);
  }
}

function toResult(round: Round): SpinResult {
  return {
    roundId: round._id,
    gameId: round.gameId,
    stake: round.stake,
    win: round.win ?? 0,
    reels: round.reels ?? [],
    lines: round.lines,
    wallet: round.wallet!,
  };
}

/**
 * One spin, as a state machine a round walks through: started -> debited -> drawn -> settled (or
 * failed when the stake is refused). Each step is written with a condition on the step before, and
 * each money call has a key derived from the round, so a replay, a retry or a concurrent duplicate
 * resumes where the round stopped: the stake is taken once, the reels are drawn once, the win is
 * paid once.
 */
export async function play(deps: PlayDeps, request: SpinRequest): Promise<{ result: SpinResult; replayed: boolean }> {
  const { rounds, peers, now } = deps;
  const { playerId, game, stake, idempotencyKey } = request;

  let round = await rounds.byKey(playerId, idempotencyKey);
  let replayed = round !== null;
  if (!round) {
    checkStake(game, stake);
    const status = await peers.playerStatus(playerId);
    if (status.status === 'self_excluded') throw AppError.forbidden('self-excluded', 'Play is closed while you are self-excluded.');
    failIfRegressed(deps.scenarios, game);
    const id = randomUUID();
    round = await rounds.start(startedRound({ _id: id, playerId, gameId: game.id, stake, idempotencyKey }, now()));
    // A concurrent duplicate started the round first: this request answers as its replay.
    replayed = round._id !== id;
  }
  if (round.gameId !== game.id || round.stake !== stake) {
    throw AppError.unprocessable(
      'idempotency-key-reused',
      'Idempotency key reused',
      'This Idempotency-Key was already used for a different spin.',
    );
  }
  annotate({ [Attr.roundId]: round._id, [Attr.gameId]: game.id, [Attr.stake]: stake, [Attr.idempotentReplay]: replayed });

  for (;;) {
    const id: string = round._id;
    switch (round.status) {
      case 'started': {
        let wallet;
        try {
          wallet = (await peers.debit(playerId, id, game.id, stake)).wallet;
        } catch (err) {
          // A refusal (insufficient funds) ends the round; an outage leaves it to be resumed.
          if (err instanceof AppError && err.status < 500) {
            const failure = { status: err.status, slug: err.slug, title: err.title, detail: err.message };
            round = (await rounds.advance(id, 'started', { status: 'failed', failure }, now())) ?? (await rounds.byId(id));
            continue;
          }
          throw err;
        }
        round = (await rounds.advance(id, 'started', { status: 'debited', wallet }, now())) ?? (await rounds.byId(id));
        continue;
      }
      case 'debited': {
        const outcome = withSpan('draw reels', 'game.rng', { [Attr.gameId]: game.id, [Attr.stake]: stake }, (span) => {
          const spike = deps.scenarios.active('cpu-spike');
          if (spike) {
            scenarioApplied('cpu-spike');
            burnCpu(spike.ms);
          }
          const drawn = spin(game, stake, deps.rng);
          span.setAttributes({ [Attr.win]: drawn.win, [Attr.reels]: drawn.reels.map((r) => r[1]).join('|') });
          return drawn;
        });
        const leak = deps.scenarios.active('memory-leak');
        if (leak && deps.spinHistory) {
          scenarioApplied('memory-leak');
          deps.spinHistory.remember(leak.kbPerSpin);
        }
        round =
          (await rounds.advance(id, 'debited', { status: 'drawn', reels: outcome.reels, lines: outcome.lines, win: outcome.win }, now())) ??
          (await rounds.byId(id));
        continue;
      }
      case 'drawn': {
        let wallet = round.wallet;
        if (round.win! > 0) wallet = (await peers.credit(playerId, id, game.id, round.win!)).wallet;
        let wagerRecorded = true;
        try {
          // The spin is settled whatever wager says: a wagering update must never cost a player a win.
          const wager = await peers.recordWager(playerId, id, stake);
          if (wager.wallet) wallet = wager.wallet;
        } catch (err) {
          // The recovery pass sends it again later (wager counts a round once).
          wagerRecorded = false;
          Sentry.captureException(err, { tags: { [Attr.roundId]: id }, level: 'warning' });
          deps.logger.warn(
            { err: { message: (err as Error).message }, roundId: id },
            'wagering progress not recorded for round; it will be retried',
          );
        }
        const settled = await rounds.advance(id, 'drawn', { status: 'settled', wallet, wagerRecorded }, now());
        if (settled) {
          deps.metrics.count('bets', { game_id: game.id, outcome: settled.win! > 0 ? 'win' : 'loss' });
          deps.metrics.count('stakes', { game_id: game.id }, stake);
          if (settled.win! > 0) deps.metrics.count('wins', { game_id: game.id }, settled.win!);
          // Gross gaming revenue per round (stake minus win, negative when the player won): its sum
          // is the house's take. Prometheus derives it from the two counters instead.
          Sentry.metrics.distribution('casino.ggr_cents', stake - settled.win!, { attributes: { game_id: game.id } });
        }
        round = settled ?? (await rounds.byId(id));
        continue;
      }
      case 'settled':
        annotate({ [Attr.win]: round.win ?? 0 });
        return { result: toResult(round), replayed };
      case 'failed': {
        const f = round.failure!;
        throw new AppError(f.status, { slug: f.slug, title: f.title, detail: f.detail });
      }
    }
  }
}
