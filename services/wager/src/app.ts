import { createServiceApp, type ServiceDeps } from '@casino/shared';
import type { Express } from 'express';
import { wagerRoutes } from './api/routes';
import { BonusRepository } from './data/bonus-repository';
import type { WagerPeers } from './data/peers';
import { wagerFaults } from './scenarios';
import { reconcileBonuses } from './use-cases/reconcile-bonuses';

/** The wager service: bonus offers, active bonuses and wagering progress. */
export function createApp(deps: ServiceDeps & { peers: WagerPeers; now?: () => Date }): Express {
  const now = deps.now ?? (() => new Date());
  const routes = wagerRoutes({
    bonuses: new BonusRepository(deps.store),
    peers: deps.peers,
    metrics: deps.metrics,
    faults: wagerFaults(deps.scenarios),
    now,
    reconcile: () => reconcileBonuses(deps.store, now()),
  });
  return createServiceApp({ ...deps, routes });
}
