import type { BonusReconciliation, LedgerReconciliation, ReconciliationReport, RoundReconciliation } from '@casino/shared/contracts';
import { differenceLines } from '@casino/shared/reconciliation';
import type { Upstreams } from '../data/upstreams';

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

/** A full pass reads every wallet and bonus: give it longer than a player's request gets. */
const SLOW = { timeoutMs: 60_000 };

/** Asks payment, wager and game for their checks and puts them together. */
export async function readReconciliation(
  upstreams: Pick<Upstreams, 'payment' | 'wager' | 'game'>,
  at = new Date(),
): Promise<ReconciliationReport> {
  const [ledger, bonuses, rounds] = await Promise.all([
    upstreams.payment.get<LedgerReconciliation>('/reconciliation', SLOW),
    upstreams.wager.get<BonusReconciliation>('/reconciliation', SLOW),
    upstreams.game.get<RoundReconciliation>('/reconciliation', SLOW),
  ]);
  return combineReconciliation(ledger, bonuses, rounds, at);
}

/** Every difference a report names, one line each, failing cross-checks included. */
export function differencesOf(report: ReconciliationReport): string[] {
  return [
    ...Object.values(differenceLines(report)).flat(),
    ...report.crossChecks.filter((c) => !c.ok).map((c) => `${c.check}: ${c.detail}`),
  ];
}
