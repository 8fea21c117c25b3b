interface Feature {
  trigger: string;
}

/** A feature the catalogue never got: every lookup misses, which is the bug the burst shows. */
const FEATURES: Partial<Record<string, Feature>> = {};

/**
 * error-burst in the game: on its turn, the spin hits a bug (a TypeError, not an AppError) before
 * the round starts, so no money moves. The central handler answers a 500 problem and reports it;
 * the gateway then reports the upstream 5xx in the same trace.
 */
export function freeSpinsTrigger(gameId: string): string {
  return FEATURES[gameId]!.trigger;
}
