import type { TransactionType, TransactionView } from '@casino/shared';
import type { PaymentDeps } from './deps';

/** A wallet's applied entries, newest first unless asked. */
export function listTransactions(
  deps: PaymentDeps,
  playerId: string,
  query: { limit: number; type?: TransactionType; oldestFirst: boolean },
): Promise<TransactionView[]> {
  return deps.ledger.transactions(playerId, { ...query, oneByOne: deps.faults.readsOneByOne() });
}
