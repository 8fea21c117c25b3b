import { createServiceApp, type ServiceDeps } from '@casino/shared';
import type { Express } from 'express';
import { gameRoutes } from './api/routes';
import { RoundRepository } from './data/round-repository';
import type { GamePeers } from './data/peers';
import { cryptoRng, type Rng } from './domain/slots';

/** The game service: the slot catalogue, spins and round history. */
export function createApp(deps: ServiceDeps & { peers: GamePeers; rng?: Rng; now?: () => Date }): Express {
  const rounds = new RoundRepository(deps.store);
  const routes = gameRoutes({ ...deps, rounds, rng: deps.rng ?? cryptoRng, now: deps.now ?? (() => new Date()) });
  return createServiceApp({ ...deps, routes });
}
