import { createServiceApp, repeatInBackground, type ServiceDeps } from '@casino/shared';
import { type Express, Router } from 'express';
import { spinCrash } from './api/error-burst';
import { gameRoutes } from './api/routes';
import { RoundRepository } from './data/round-repository';
import type { GamePeers } from './data/peers';
import { SpinHistoryCache } from './domain/memory-leak';
import type { PlayDeps } from './domain/play';
import { recoverRounds } from './domain/recovery';
import { cryptoRng, type Rng } from './domain/slots';
import { reportRegressedRelease } from './regressed-release';

/** The game service: the slot catalogue, spins and round history. */
export function createApp(deps: ServiceDeps & { peers: GamePeers; rng?: Rng; now?: () => Date; recoverEveryMs?: number }): Express {
  const rounds = new RoundRepository(deps.store);
  const spinHistory = new SpinHistoryCache(deps.logger).watch(deps.scenarios);
  const play: PlayDeps = { ...deps, rounds, rng: deps.rng ?? cryptoRng, now: deps.now ?? (() => new Date()), spinHistory };
  reportRegressedRelease(deps.scenarios, deps.config.sentry.release);
  // Finishes rounds interrupted requests left; a pass is logged only when it did something.
  if (deps.recoverEveryMs) {
    repeatInBackground(deps.recoverEveryMs, deps.logger, 'round recovery pass', async () => {
      const done = await recoverRounds(play);
      if (done.finished || done.wagersSent || done.failed) deps.logger.warn(done, 'recovery pass over interrupted rounds');
    });
  }
  return createServiceApp({ ...deps, routes: Router().use(spinCrash(deps.scenarios), gameRoutes(play)) });
}
