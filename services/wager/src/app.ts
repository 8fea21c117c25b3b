import { createServiceApp, type ServiceDeps } from '@casino/shared';
import { type Express, Router } from 'express';
import { unawaitedAudit } from './api/error-burst';
import { wagerRoutes } from './api/routes';
import { BonusRepository } from './data/bonus-repository';
import type { WagerPeers } from './data/peers';
import { reconcileBonuses } from './data/reconciliation';

/** The wager service: bonus offers, active bonuses and wagering progress. */
export function createApp(deps: ServiceDeps & { peers: WagerPeers; now?: () => Date }): Express {
  const bonuses = new BonusRepository(deps.store);
  const reconcile = () => reconcileBonuses(deps.store, (deps.now ?? (() => new Date()))());
  return createServiceApp({ ...deps, routes: Router().use(unawaitedAudit(deps.scenarios), wagerRoutes({ ...deps, bonuses, reconcile })) });
}
