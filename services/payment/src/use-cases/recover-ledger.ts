import type { Logger } from '@casino/shared';
import type { LedgerRepository } from '../data/ledger-repository';

/** Marks entries a crash left half-written, so the ledger reads right without a replay; says so when it did. */
export async function recoverLedger(ledger: LedgerRepository, logger: Logger): Promise<void> {
  const marked = await ledger.recover();
  if (marked) logger.warn({ marked }, 'marked ledger entries left pending by an interrupted request');
}
