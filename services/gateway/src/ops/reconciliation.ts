import type { BonusReconciliation, LedgerReconciliation, ReconciliationReport, RoundReconciliation } from '@casino/shared/contracts';

type CrossCheck = ReconciliationReport['crossChecks'][number];

function check(name: CrossCheck['check'], ok: boolean, detail: string): CrossCheck {
  return { check: name, ok, detail };
}

/**
 * Puts payment's, wager's and game's own checks together and adds the ones that need two of them:
 * every round that took a stake has one bet and every winning round one win in the ledger, every
 * bonus was credited once, every ended bonus settled its money once, and no wallet holds bonus
 * money without an active bonus.
 */
export function combineReconciliation(
  ledger: LedgerReconciliation,
  bonuses: BonusReconciliation,
  rounds: RoundReconciliation,
  at: Date,
): ReconciliationReport {
  const bets = ledger.byType.bet?.count ?? 0;
  const wins = ledger.byType.win?.count ?? 0;
  const credits = ledger.byType.bonus_credit ?? { count: 0, amount: 0 };
  const conversions = ledger.byType.bonus_conversion?.count ?? 0;
  const forfeits = ledger.byType.bonus_forfeit?.count ?? 0;
  const completed = bonuses.byStatus.completed ?? 0;
  const ended = (bonuses.byStatus.forfeited ?? 0) + (bonuses.byStatus.expired ?? 0);
  const active = new Set(bonuses.activeBonusPlayers);
  const orphaned = ledger.walletsWithBonus.filter((walletId) => !active.has(walletId));

  const crossChecks = [
    check('round-bets', bets === rounds.bets, `${bets} bets in the ledger; ${rounds.bets} rounds took a stake`),
    check('round-wins', wins === rounds.wins, `${wins} wins in the ledger; ${rounds.wins} settled rounds paid a win`),
    check(
      'bonus-credits',
      credits.count === bonuses.bonuses && credits.amount === bonuses.amount,
      `${credits.count} credits of ${credits.amount} cents in the ledger; ${bonuses.bonuses} bonuses worth ${bonuses.amount} cents`,
    ),
    check('bonus-conversions', conversions === completed, `${conversions} conversions in the ledger; ${completed} completed bonuses`),
    check('bonus-forfeits', forfeits === ended, `${forfeits} forfeits in the ledger; ${ended} forfeited or expired bonuses`),
    check(
      'bonus-money',
      orphaned.length === 0,
      orphaned.length
        ? `wallets holding bonus money without an active bonus: ${orphaned.slice(0, 10).join(', ')}`
        : 'every wallet holding bonus money has an active bonus',
    ),
  ];
  return {
    ok:
      ledger.differences.length === 0 &&
      bonuses.differences.length === 0 &&
      rounds.differences.length === 0 &&
      crossChecks.every((c) => c.ok),
    checkedAt: at.toISOString(),
    ledger,
    bonuses,
    rounds,
    crossChecks,
  };
}
