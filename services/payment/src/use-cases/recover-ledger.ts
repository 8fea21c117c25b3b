import type { LedgerRepository } from '../data/ledger-repository';

/** Marks entries a crash left half-written, so the ledger reads right without a replay. */
export async function recoverLedger(ledger: LedgerRepository): Promise<{ marked: number }> {
  return { marked: await ledger.recover() };
}
