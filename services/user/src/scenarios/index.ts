/**
 * Every intentional fault the user service performs, each behind a hook named for where it acts.
 * The use cases call the hooks; only this folder reads the scenario state.
 */
import { scenarioApplied, type Scenarios, type Store } from '@casino/shared';
import { burstHook } from '@casino/shared/scenarios/error-burst';
import type { Player } from '../domain/players';
import { reportRiskScoreOutage } from './error-burst';
import { slowPlayerRead } from './slow-query';

export interface UserFaults {
  /** A player's status is asked for. error-burst: on its turn, the risk score is lost and reported. */
  statusRequested(playerId: string): void;
  /**
   * The read that replaces the status lookup, cache and all (slow-query: an unindexed, slow read
   * that really reaches the store), or null for the usual lookup.
   */
  slowStatusRead(): ((playerId: string) => Promise<Player | null>) | null;
}

export function userFaults(scenarios: Scenarios, store: Store): UserFaults {
  const onBurstTurn = burstHook(scenarios);
  const slowRead = slowPlayerRead(store);
  return {
    statusRequested(playerId) {
      onBurstTurn(() => reportRiskScoreOutage(playerId));
    },
    slowStatusRead() {
      const slow = scenarios.active('slow-query');
      if (!slow) return null;
      scenarioApplied('slow-query');
      return (playerId) => slowRead(playerId, slow.ms);
    },
  };
}
