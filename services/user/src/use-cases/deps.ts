import type { Config, Metrics } from '@casino/shared';
import type { PlayerRepository } from '../data/player-repository';
import type { StatusCache } from '../data/status-cache';
import type { UserFaults } from '../scenarios';

/** What the user service's use cases work with. */
export interface UserDeps {
  players: PlayerRepository;
  statuses: StatusCache;
  config: Config;
  metrics: Metrics;
  faults: UserFaults;
  now: () => Date;
}
