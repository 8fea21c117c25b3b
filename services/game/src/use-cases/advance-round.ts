import { AppError, Attr, type Logger, type Metrics, withSpan } from '@casino/shared';
import * as Sentry from '@sentry/node';
import type { GamePeers } from '../data/peers';
import { type RoundRecord, type RoundRepository, toRound } from '../data/round-repository';
import type { DebitedRound, DrawnRound, Round, RoundStatus, SettledRound, StartedRound } from '../domain/round';
import { type Rng, type SlotGame, spin } from '../domain/slots';
import type { GameFaults } from '../scenarios';

/** What playing and recovering rounds need. */
export interface SpinDeps {
  rounds: RoundRepository;
  peers: GamePeers;
  rng: Rng;
  metrics: Metrics;
  logger: Logger;
  now: () => Date;
  faults: GameFaults;
}

/**
 * Walks a round to its end, one step at a time: started → debited → drawn → settled (or failed
 * when the stake is refused). Each step is written with a condition on the step before, and each
 * money call has a key derived from the round, so a replay, a retry or a concurrent duplicate
 * resumes where the round stopped: the stake is taken once, the reels are drawn once, the win is
 * paid once.
 */
export async function advanceRound(deps: SpinDeps, game: SlotGame, start: Round): Promise<SettledRound> {
  let round = start;
  for (;;) {
    switch (round.status) {
      case 'started':
        round = await debit(deps, game, round);
        continue;
      case 'debited':
        round = await draw(deps, game, round);
        continue;
      case 'drawn':
        round = await settle(deps, game, round);
        continue;
      case 'settled':
        return round;
      case 'failed': {
        const { status, slug, title, detail } = round.failure;
        throw new AppError(status, { slug, title, detail });
      }
    }
  }
}

/** Moves the round on, if it is still at `from`; else reads what the request that won wrote. */
async function advance(deps: SpinDeps, id: string, from: RoundStatus, changes: Partial<RoundRecord>): Promise<Round> {
  return toRound((await deps.rounds.advance(id, from, changes, deps.now())) ?? (await deps.rounds.byId(id)));
}

async function debit(deps: SpinDeps, game: SlotGame, round: StartedRound): Promise<Round> {
  let wallet;
  try {
    wallet = (await deps.peers.debit(round.playerId, round.id, game.id, round.stake)).wallet;
  } catch (err) {
    // A refusal (insufficient funds) ends the round; an outage leaves it to be resumed.
    if (!(err instanceof AppError) || err.status >= 500) throw err;
    const failure = { status: err.status, slug: err.slug, title: err.title, detail: err.message };
    return advance(deps, round.id, 'started', { status: 'failed', failure });
  }
  return advance(deps, round.id, 'started', { status: 'debited', wallet });
}

async function draw(deps: SpinDeps, game: SlotGame, round: DebitedRound): Promise<Round> {
  const outcome = withSpan('draw reels', 'game.rng', { [Attr.gameId]: game.id, [Attr.stake]: round.stake }, (span) => {
    deps.faults.drawing();
    const drawn = spin(game, round.stake, deps.rng);
    span.setAttributes({ [Attr.win]: drawn.win, [Attr.reels]: drawn.reels.map((r) => r[1]).join('|') });
    return drawn;
  });
  deps.faults.drawn();
  return advance(deps, round.id, 'debited', { status: 'drawn', reels: outcome.reels, lines: outcome.lines, win: outcome.win });
}

async function settle(deps: SpinDeps, game: SlotGame, round: DrawnRound): Promise<Round> {
  const { id, playerId, stake, win } = round;
  let wallet = round.wallet;
  if (win > 0) wallet = (await deps.peers.credit(playerId, id, game.id, win)).wallet;
  let wagerRecorded = true;
  try {
    // The spin is settled whatever wager says: a wagering update must never cost a player a win.
    const wager = await deps.peers.recordWager(playerId, id, stake);
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
  const settled = await deps.rounds.advance(id, 'drawn', { status: 'settled', wallet, wagerRecorded }, deps.now());
  if (settled) {
    deps.metrics.count('bets', { game_id: game.id, outcome: win > 0 ? 'win' : 'loss' });
    deps.metrics.count('stakes', { game_id: game.id }, stake);
    if (win > 0) deps.metrics.count('wins', { game_id: game.id }, win);
    // Gross gaming revenue per round (stake minus win, negative when the player won): its sum
    // is the house's take. Prometheus derives it from the two counters instead.
    deps.metrics.distribution('casino.ggr_cents', stake - win, { game_id: game.id });
  }
  return toRound(settled ?? (await deps.rounds.byId(id)));
}
