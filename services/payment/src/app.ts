import { createServiceApp, type ServiceDeps } from '@casino/shared';
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
  if (deps.recoverEveryMs) scheduleRecovery(ledger, deps.logger, deps.recoverEveryMs);
  const reconcile = () => reconcileLedger(deps.store);
  return createServiceApp({ ...deps, routes: paymentRoutes({ ...deps, ledger, limits, reconcile }) });
}

/** Marks entries a crash left half-written, on a timer, so the ledger reads right without a replay. */
function scheduleRecovery(ledger: LedgerRepository, logger: ServiceDeps['logger'], everyMs: number): void {
  setInterval(() => {
    ledger.recover().then(
      (marked) => marked && logger.warn({ marked }, 'marked ledger entries left pending by an interrupted request'),
      (err: Error) => logger.warn({ err: { message: err.message } }, 'ledger recovery pass failed; retrying later'),
    );
  }, everyMs).unref();
}
