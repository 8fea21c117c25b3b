import { createServiceApp, retainInBackground, scheduleJob, type ServiceDeps } from '@casino/shared';
import type { Express } from 'express';
import { paymentCallers } from './api/callers';
import { paymentRoutes } from './api/routes';
import { DepositLimitRepository } from './data/deposit-limit-repository';
import { LedgerRepository } from './data/ledger-repository';
import type { PaymentPeers } from './data/peers';
import { paymentFaults } from './scenarios';
import type { PaymentDeps } from './use-cases/deps';
import { reconcileLedger } from './use-cases/reconcile-ledger';
import { recoverLedger } from './use-cases/recover-ledger';

/** The payment service: wallets and the ledger, the only way money moves. */
export function createApp(deps: ServiceDeps & { peers: PaymentPeers; now?: () => Date; jobs?: boolean; retainEveryMs?: number }): Express {
  const now = deps.now ?? (() => new Date());
  const ledger = new LedgerRepository(deps.store, deps.now);
  const payment: PaymentDeps = {
    ledger,
    limits: new DepositLimitRepository(deps.store),
    peers: deps.peers,
    metrics: deps.metrics,
    faults: paymentFaults(deps.scenarios, deps.metrics),
    now,
  };
  // Scheduled work, a Sentry cron monitor each (jobs/catalogue.ts); the service's main turns it on.
  if (deps.jobs) scheduleJob(deps, 'ledger-recovery', () => recoverLedger(ledger));
  // Folds old history into carried totals, so memory stays bounded (RETAIN_RECORDS).
  retainInBackground(deps, 'ledger entries', (policy) => ledger.retire(policy));
  return createServiceApp({
    ...deps,
    callers: paymentCallers,
    routes: paymentRoutes({ ...payment, reconcile: () => reconcileLedger(deps.store) }),
  });
}
