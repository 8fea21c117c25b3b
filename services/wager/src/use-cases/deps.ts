import type { Metrics } from '@casino/shared';
import type { BonusRepository } from '../data/bonus-repository';
import type { WagerPeers } from '../data/peers';
import type { WagerFaults } from '../scenarios';

/** What the wager service's use cases work with. */
export interface WagerDeps {
  bonuses: BonusRepository;
  peers: WagerPeers;
  metrics: Metrics;
  faults: WagerFaults;
  now: () => Date;
}
