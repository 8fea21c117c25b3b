import type { Metrics } from '@casino/shared';
import type { DepositLimitRepository } from '../data/deposit-limit-repository';
import type { LedgerRepository } from '../data/ledger-repository';
import type { PaymentPeers } from '../data/peers';
import type { PaymentFaults } from '../scenarios';

/** What payment's use cases work with. */
export interface PaymentDeps {
  ledger: LedgerRepository;
  limits: DepositLimitRepository;
  peers: PaymentPeers;
  metrics: Metrics;
  faults: PaymentFaults;
  now: () => Date;
}

/** Counts a refused move under `metric` and gives the refusal back, to be thrown. */
export const refusals =
  (metrics: Metrics, metric: 'deposits' | 'withdrawals') =>
  <E>(refusal: E): E => {
    metrics.count(metric, { status: 'rejected' });
    return refusal;
  };

/** One money move of a player's wallet, under the key that makes it happen once. */
export interface MoveRequest {
  playerId: string;
  idempotencyKey: string;
}
