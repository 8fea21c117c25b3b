import { createServiceApp, retainInBackground, scheduleJob, type ServiceDeps } from '@casino/shared';
import type { Express } from 'express';
import { wagerCallers } from './api/callers';
import { wagerRoutes } from './api/routes';
import { BonusRepository } from './data/bonus-repository';
import type { WagerPeers } from './data/peers';
import { wagerFaults } from './scenarios';
import { expireBonuses } from './use-cases/expire-bonuses';
import { reconcileBonuses } from './use-cases/reconcile-bonuses';

/** The wager service: bonus offers, active bonuses and wagering progress. */
export function createApp(deps: ServiceDeps & { peers: WagerPeers; now?: () => Date; jobs?: boolean; retainEveryMs?: number }): Express {
  const now = deps.now ?? (() => new Date());
  const bonuses = new BonusRepository(deps.store);
  // Folds old history into carried totals, so memory stays bounded (RETAIN_RECORDS).
  retainInBackground(deps, 'wagers', (policy) => bonuses.retire(policy, now()));
  const wager = { bonuses, peers: deps.peers, metrics: deps.metrics, faults: wagerFaults(deps.scenarios), now };
  // Scheduled work, a Sentry cron monitor each (jobs/catalogue.ts); the service's main turns it on.
  if (deps.jobs) scheduleJob(deps, 'bonus-expiry', () => expireBonuses(wager));
  const routes = wagerRoutes({ ...wager, reconcile: () => reconcileBonuses(deps.store, now()) });
  return createServiceApp({ ...deps, callers: wagerCallers, routes });
}
