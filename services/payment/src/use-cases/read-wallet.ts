import type { WalletView } from '@casino/shared';
import { walletView } from '../domain/ledger';
import type { PaymentDeps } from './deps';

/** A wallet's balances. */
export async function readWallet(deps: PaymentDeps, playerId: string): Promise<WalletView> {
  return walletView(await deps.ledger.balances(playerId));
}
