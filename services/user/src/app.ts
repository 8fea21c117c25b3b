import { createServiceApp, type ServiceDeps } from '@casino/shared';
import { type Express, Router } from 'express';
import { riskScoreOutage } from './api/error-burst';
import { playerRoutes } from './api/routes';
import { PlayerRepository } from './data/player-repository';

/** The user service: players, credentials, access tokens, status and deposit limits. */
export function createApp(deps: ServiceDeps & { now?: () => Date }): Express {
  const players = new PlayerRepository(deps.store);
  return createServiceApp({ ...deps, routes: Router().use(riskScoreOutage(deps.scenarios), playerRoutes({ ...deps, players })) });
}
