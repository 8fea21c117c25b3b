import {
  type LedgerReconciliation,
  type Store,
  type Totals,
  type TransactionType,
  type WalletDifference,
  withCarried,
} from '@casino/shared';
import { type EntryDoc, ledgerSpec, retiredLedgerSpec, unsettledMark, type WalletDoc, walletsSpec } from '../data/ledger-records';

interface Sums {
  _id: string;
  cash: number;
  bonus: number;
  count: number;
}

/**
 * Checks every wallet against its ledger: its balances must equal the sum of its applied entries,
 * plus any pending entry the wallet marks as applied (a crash stopped the request before
 * it marked the entry; recovery marks it). Entries retired to bound memory count through their
 * carried totals. Reads only; repairs nothing.
 */
export async function reconcileLedger(store: Store): Promise<LedgerReconciliation> {
  const wallets = store.collection<WalletDoc>(walletsSpec);
  const entries = store.collection<EntryDoc>(ledgerSpec);

  const [live, liveByType, pending, all, carried] = await Promise.all([
    entries.aggregate<Sums>([
      { $match: { status: 'applied' } },
      { $group: { _id: '$walletId', cash: { $sum: '$cash' }, bonus: { $sum: '$bonus' }, count: { $sum: 1 } } },
    ]),
    entries.aggregate<Sums>([
      { $match: { status: 'applied' } },
      { $group: { _id: '$type', cash: { $sum: '$cash' }, bonus: { $sum: '$bonus' }, count: { $sum: 1 } } },
    ]),
    entries.find({ status: 'pending' }),
    wallets.find({}, { sort: { _id: 1 } }),
    store.collection<Totals>(retiredLedgerSpec).find({}),
  ]);
  const byWallet = withCarried(live, carried, 'wallet:');
  const byType = withCarried(liveByType, carried, 'type:');

  const ledger = new Map(byWallet.map((s) => [s._id, { cash: s.cash, bonus: s.bonus }]));
  const byId = new Map(all.map((w) => [w._id, w]));
  let unsettled = 0;
  for (const entry of pending) {
    const wallet = byId.get(entry.walletId);
    const mark = wallet && unsettledMark(wallet, entry._id);
    if (!mark) continue;
    unsettled++;
    const sums = ledger.get(entry.walletId) ?? { cash: 0, bonus: 0 };
    ledger.set(entry.walletId, { cash: sums.cash + mark.cash, bonus: sums.bonus + mark.bonus });
  }

  const differences: WalletDifference[] = [];
  const totals = { cash: 0, bonus: 0 };
  for (const wallet of all) {
    totals.cash += wallet.cash;
    totals.bonus += wallet.bonus;
    const sums = ledger.get(wallet._id) ?? { cash: 0, bonus: 0 };
    const balances = { cash: wallet.cash, bonus: wallet.bonus };
    if (wallet.cash !== sums.cash || wallet.bonus !== sums.bonus) {
      differences.push({ walletId: wallet._id, problem: 'balance-mismatch', wallet: balances, ledger: sums });
    } else if (wallet.cash < 0 || wallet.bonus < 0) {
      differences.push({ walletId: wallet._id, problem: 'negative-balance', wallet: balances, ledger: sums });
    }
  }
  for (const [walletId, sums] of ledger) {
    if (!byId.has(walletId)) differences.push({ walletId, problem: 'entries-without-wallet', wallet: null, ledger: sums });
  }

  return {
    wallets: all.length,
    entries: byWallet.reduce((n, s) => n + s.count, 0),
    totals,
    byType: Object.fromEntries(byType.map((s) => [s._id as TransactionType, { count: s.count, amount: s.cash + s.bonus }])),
    unsettled,
    abandoned: pending.length - unsettled,
    walletsWithBonus: all.filter((w) => w.bonus > 0).map((w) => w._id),
    differences,
  };
}
