import { createServiceApp, repeatInBackground, type ServiceDeps } from '@casino/shared';
import type { Express } from 'express';
import { paymentRoutes } from './api/routes';
import { DepositLimitRepository } from './data/deposit-limit-repository';
import { LedgerRepository } from './data/ledger-repository';
import type { PaymentPeers } from './data/peers';
import { reconcileLedger } from './data/reconciliation';

/** The payment service: wallets and the ledger, the only way money moves. */
export function createApp(deps: ServiceDeps & { peers: PaymentPeers; now?: () => Date; recoverEveryMs?: number }): Express {
  const ledger = new LedgerRepository(deps.store, deps.now);
  const limits = new DepositLimitRepository(deps.store);
  // Marks entries a crash left half-written, so the ledger reads right without a replay.
  if (deps.recoverEveryMs) {
    repeatInBackground(deps.recoverEveryMs, deps.logger, 'ledger recovery pass', async () => {
      const marked = await ledger.recover();
      if (marked) deps.logger.warn({ marked }, 'marked ledger entries left pending by an interrupted request');
    });
  }
  const reconcile = () => reconcileLedger(deps.store);
  return createServiceApp({ ...deps, routes: paymentRoutes({ ...deps, ledger, limits, reconcile }) });
}
