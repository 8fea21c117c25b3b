/**
 * Every intentional fault the wager service performs, each behind a hook named for where it acts.
 * The use cases call the hooks; only this folder reads the scenario state.
 */
import type { Scenarios } from '@casino/shared';
import { burstHook } from '@casino/shared/scenarios/error-burst';
import { unawaitedAudit } from './error-burst';

export interface WagerFaults {
  /** A round's stake is to be counted. error-burst: on its turn, an audit write is fired and never awaited. */
  wagerRecording(): void;
  /** A player's bonus history is read. n-plus-one: one query for the ids, then one per bonus. */
  readsOneByOne(): boolean;
}

export function wagerFaults(scenarios: Scenarios): WagerFaults {
  const onBurstTurn = burstHook(scenarios);
  return {
    wagerRecording() {
      onBurstTurn(unawaitedAudit);
    },
    readsOneByOne: () => scenarios.active('n-plus-one') !== undefined,
  };
}
