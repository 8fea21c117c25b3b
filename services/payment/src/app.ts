import { createServiceApp, type ServiceDeps } from '@casino/shared';
import type { Express } from 'express';
import { paymentRoutes } from './api/routes';
import { DepositLimitRepository } from './data/deposit-limit-repository';
import { LedgerRepository } from './data/ledger-repository';
import type { PaymentPeers } from './data/peers';

/** The payment service: wallets and the ledger, the only way money moves. */
export function createApp(deps: ServiceDeps & { peers: PaymentPeers; now?: () => Date }): Express {
  const ledger = new LedgerRepository(deps.store, deps.now);
  const limits = new DepositLimitRepository(deps.store);
  return createServiceApp({ ...deps, routes: paymentRoutes({ ...deps, ledger, limits }) });
}
