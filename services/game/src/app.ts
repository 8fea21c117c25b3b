import { createServiceApp, retainInBackground, scheduleJob, type ServiceDeps } from '@casino/shared';
import type { Express } from 'express';
import { gameCallers } from './api/callers';
import { gameRoutes } from './api/routes';
import type { GamePeers } from './data/peers';
import { RoundRepository } from './data/round-repository';
import { cryptoRng, type Rng } from './domain/slots';
import { gameFaults } from './scenarios';
import type { SpinDeps } from './use-cases/advance-round';
import { recoverRounds } from './use-cases/recover-rounds';

/** The game service: the slot catalogue, spins and round history. */
export function createApp(
  deps: ServiceDeps & { peers: GamePeers; rng?: Rng; now?: () => Date; jobs?: boolean; retainEveryMs?: number },
): Express {
  const faults = gameFaults({ scenarios: deps.scenarios, logger: deps.logger, release: deps.config.sentry.release });
  const spin: SpinDeps = {
    ...deps,
    rounds: new RoundRepository(deps.store),
    rng: deps.rng ?? cryptoRng,
    now: deps.now ?? (() => new Date()),
    faults,
  };
  // Scheduled work, a Sentry cron monitor each (jobs/catalogue.ts); the service's main turns it on.
  if (deps.jobs) scheduleJob(deps, 'round-recovery', () => recoverRounds(spin));
  // Folds old history into carried totals, so memory stays bounded (RETAIN_RECORDS).
  retainInBackground(deps, 'rounds', (policy) => spin.rounds.retire(policy, spin.now()));
  return createServiceApp({ ...deps, callers: gameCallers, routes: gameRoutes(spin), before: [faults.sessions] });
}
