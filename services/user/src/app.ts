import { createServiceApp, type ServiceDeps } from '@casino/shared';
import type { Express } from 'express';
import { userCallers } from './api/callers';
import { playerRoutes } from './api/routes';
import { PlayerRepository } from './data/player-repository';
import { StatusCache } from './data/status-cache';
import { userFaults } from './scenarios';

/** The user service: players, credentials, access tokens, status and deposit limits. */
export function createApp(deps: ServiceDeps & { now?: () => Date }): Express {
  const routes = playerRoutes({
    players: new PlayerRepository(deps.store),
    statuses: new StatusCache(deps.cache),
    config: deps.config,
    metrics: deps.metrics,
    faults: userFaults(deps.scenarios, deps.store),
    now: deps.now ?? (() => new Date()),
  });
  return createServiceApp({ ...deps, callers: userCallers, routes });
}
