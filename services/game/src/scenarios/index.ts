/**
 * Every intentional fault the game performs, each behind a hook named for the point of the spin
 * where it acts. The spin calls the hooks; only this folder reads the scenario state.
 */
import { type Logger, scenarioApplied, type Scenarios } from '@casino/shared';
import { burstHook } from '@casino/shared/scenarios/error-burst';
import type { RequestHandler } from 'express';
import type { SlotGame } from '../domain/slots';
import { failIfRegressed, regressedSessions, reportRegressedRelease } from './bad-release';
import { burnCpu } from './cpu-spike';
import { freeSpinsTrigger } from './error-burst';
import { SpinHistoryCache } from './memory-leak';

export interface GameFaults {
  /** Every request, first. bad-release: the request's session counts under the regressed release. */
  sessions: RequestHandler;
  /** A spin request arrives. error-burst: on its turn, a bug throws before anything happens. */
  spinRequested(game: SlotGame): void;
  /** A new round is about to be stored. bad-release: a share of spins fail here, taking no money. */
  roundStarting(game: SlotGame): void;
  /** The reels are being drawn. cpu-spike: the draw burns CPU on the event loop. */
  drawing(): void;
  /** The reels were drawn. memory-leak: each draw is kept by a cache nothing evicts. */
  drawn(): void;
}

export interface GameFaultsOptions {
  scenarios: Scenarios;
  logger: Logger;
  /** The release the game reports under, which bad-release renames. */
  release: string;
  /** What memory-leak holds; one of its own by default. */
  spinHistory?: SpinHistoryCache;
}

export function gameFaults({ scenarios, logger, release, spinHistory = new SpinHistoryCache(logger) }: GameFaultsOptions): GameFaults {
  reportRegressedRelease(scenarios, release);
  spinHistory.watch(scenarios);
  const onBurstTurn = burstHook(scenarios);
  return {
    sessions: regressedSessions(scenarios, release),
    spinRequested(game) {
      onBurstTurn(() => freeSpinsTrigger(game.id));
    },
    roundStarting(game) {
      failIfRegressed(scenarios, game);
    },
    drawing() {
      const spike = scenarios.active('cpu-spike');
      if (!spike) return;
      scenarioApplied('cpu-spike');
      burnCpu(spike.ms);
    },
    drawn() {
      const leak = scenarios.active('memory-leak');
      if (!leak) return;
      scenarioApplied('memory-leak');
      spinHistory.remember(leak.kbPerSpin);
    },
  };
}
