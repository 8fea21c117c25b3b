import type { ReconciliationReport } from './contracts';

/**
 * Each difference a reconciliation report names, as one line, by kind: what `npm run reconcile`
 * prints and what the scheduled reconciliation reports to Sentry.
 */
export function differenceLines(report: ReconciliationReport): { wallets: string[]; bonuses: string[]; rounds: string[] } {
  return {
    wallets: report.ledger.differences.map(
      (d) => `wallet ${d.walletId}: ${d.problem}; wallet ${JSON.stringify(d.wallet)}, ledger ${JSON.stringify(d.ledger)}`,
    ),
    bonuses: report.bonuses.differences.map((d) => `bonus ${d.bonusId} (player ${d.playerId}): ${d.problem}; ${d.detail}`),
    rounds: report.rounds.differences.map((d) => `round ${d.roundId} (player ${d.playerId}): ${d.problem}; ${d.detail}`),
  };
}
