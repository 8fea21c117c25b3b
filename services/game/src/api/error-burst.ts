import type { Scenarios } from '@casino/shared';
import { burstOn } from '@casino/shared/error-burst';
import type { RequestHandler } from 'express';

interface Feature {
  trigger: string;
}

/** A feature the catalogue never got: every lookup misses, which is the bug the burst shows. */
const FEATURES: Partial<Record<string, Feature>> = {};

function freeSpinsTrigger(gameId: string): string {
  return FEATURES[gameId]!.trigger;
}

/**
 * error-burst in the game: on its turn, the spin route hits a bug (a TypeError, not an AppError)
 * before the round starts, so no money moves. The central handler answers a 500 problem and
 * reports it; the gateway then reports the upstream 5xx in the same trace.
 */
export const spinCrash = (scenarios: Scenarios): RequestHandler =>
  burstOn(scenarios, 'POST', /^\/players\/[^/]+\/games\/([^/]+)\/spins$/, (spin) => freeSpinsTrigger(spin[1]!));
