import { createServiceApp, type ServiceDeps } from '@casino/shared';
import type { Express } from 'express';
import { gameRoutes } from './api/routes';
import { RoundRepository } from './data/round-repository';
import type { GamePeers } from './data/peers';
import type { PlayDeps } from './domain/play';
import { recoverRounds } from './domain/recovery';
import { cryptoRng, type Rng } from './domain/slots';

/** The game service: the slot catalogue, spins and round history. */
export function createApp(deps: ServiceDeps & { peers: GamePeers; rng?: Rng; now?: () => Date; recoverEveryMs?: number }): Express {
  const rounds = new RoundRepository(deps.store);
  const play: PlayDeps = { ...deps, rounds, rng: deps.rng ?? cryptoRng, now: deps.now ?? (() => new Date()) };
  if (deps.recoverEveryMs) scheduleRecovery(play, deps.recoverEveryMs);
  return createServiceApp({ ...deps, routes: gameRoutes(play) });
}

/** Finishes rounds interrupted requests left, on a timer; each pass is logged only when it did something. */
function scheduleRecovery(play: PlayDeps, everyMs: number): void {
  setInterval(() => {
    recoverRounds(play).then(
      (done) => (done.finished || done.wagersSent || done.failed) && play.logger.warn(done, 'recovery pass over interrupted rounds'),
      (err: Error) => play.logger.warn({ err: { message: err.message } }, 'round recovery pass failed; retrying later'),
    );
  }, everyMs).unref();
}
