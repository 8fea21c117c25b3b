import type { Bonus } from '../domain/bonuses';
import type { WagerDeps } from './deps';

/** The player's bonuses, newest first. */
export function listBonuses(deps: WagerDeps, playerId: string, limit: number): Promise<Bonus[]> {
  return deps.bonuses.history(playerId, limit, { oneByOne: deps.faults.readsOneByOne() });
}
