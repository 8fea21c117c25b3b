/**
 * Every intentional fault payment performs, each behind a hook named for where it acts. The use
 * cases call the hooks; only this folder reads the scenario state.
 */
import type { AppError, Metrics, Scenarios } from '@casino/shared';
import { type Stake, stakeProvider } from './payment-failures';

export type { Stake };

export interface PaymentFaults {
  /**
   * The card provider new stakes go through (payment-failures): it answers a stake with the
   * problem to refuse it with, or null. Null when no provider stands in the way.
   */
  stakeProvider(): ((stake: Stake) => AppError | null) | null;
  /** A list of ledger entries is read. n-plus-one: one query for the ids, then one per entry. */
  readsOneByOne(): boolean;
}

export function paymentFaults(scenarios: Scenarios, metrics: Metrics): PaymentFaults {
  const provider = stakeProvider(scenarios, metrics);
  return {
    stakeProvider: () => (scenarios.active('payment-failures') ? provider : null),
    readsOneByOne: () => scenarios.active('n-plus-one') !== undefined,
  };
}
