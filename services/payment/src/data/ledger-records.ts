/** The ledger as stored: wallets with the marks of what they applied, and one entry per money move. */
import type { CollectionSpec, TransactionType, TransactionView } from '@casino/shared';
import { type Balances, total } from '../domain/ledger';

/**
 * A wallet's record of applying one entry: its id, the change it made and the balances right after
 * it. Written with the change, and removed once the entry is marked applied: a mark that stays says
 * the request stopped in between, and recovery finishes the entry from it.
 */
export interface AppliedMark {
  id: string;
  cash: number;
  bonus: number;
  after: Balances;
}

/** The wallet's mark for an entry it applied and the ledger has not yet marked; undefined if none. */
export function unsettledMark(wallet: { unsettled?: AppliedMark[] }, entryId: string): AppliedMark | undefined {
  return wallet.unsettled?.find((m) => m.id === entryId);
}

export interface WalletDoc {
  _id: string;
  currency: 'EUR';
  cash: number;
  bonus: number;
  /** Counts the wallet's changes: a change is written only over the version it was planned on. */
  seq?: number;
  /** Entries applied whose ledger entry is not yet marked applied (see AppliedMark). */
  unsettled?: AppliedMark[];
  createdAt: Date;
  updatedAt: Date;
}

type EntryStatus = 'pending' | 'applied' | 'rejected';

export interface EntryDoc {
  _id: string;
  walletId: string;
  idempotencyKey: string;
  type: TransactionType;
  /** What the caller asked for; a replay must ask for the same. */
  requested: number;
  cash: number;
  bonus: number;
  status: EntryStatus;
  balanceAfter: Balances | null;
  ref: string | null;
  /** Why a refused entry was refused, so a replay answers the same. */
  rejection: { needed: number; available: number } | null;
  createdAt: Date;
}

export const walletsSpec: CollectionSpec = {
  name: 'wallets',
  schema: {
    currency: { type: String, required: true, enum: ['EUR'] },
    cash: { type: Number, required: true, min: 0 },
    bonus: { type: Number, required: true, min: 0 },
    seq: { type: Number, default: 0 },
    unsettled: [{ _id: false, id: String, cash: Number, bonus: Number, after: { cash: Number, bonus: Number } }],
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
};

export const ledgerSpec: CollectionSpec = {
  name: 'ledger',
  indexes: [
    { fields: { walletId: 1, idempotencyKey: 1 }, unique: true },
    { fields: { walletId: 1, createdAt: -1 } },
    { fields: { walletId: 1, type: 1, createdAt: -1 } },
    { fields: { walletId: 1, ref: 1 } },
  ],
  schema: {
    walletId: { type: String, required: true },
    idempotencyKey: { type: String, required: true, maxlength: 300 },
    type: { type: String, required: true },
    requested: { type: Number, required: true, min: 0 },
    cash: { type: Number, required: true },
    bonus: { type: Number, required: true },
    status: { type: String, required: true, enum: ['pending', 'applied', 'rejected'] },
    balanceAfter: { type: { _id: false, cash: Number, bonus: Number }, default: null },
    ref: { type: String, default: null },
    rejection: { type: { _id: false, needed: Number, available: Number }, default: null },
    createdAt: { type: Date, required: true },
  },
};

/**
 * What retired entries add to reconciliation: per wallet (`wallet:<id>`) and per type
 * (`type:<type>`), the applied entries' cash, bonus and count.
 */
export const retiredLedgerSpec: CollectionSpec = {
  name: 'ledger_retired',
  schema: { cash: { type: Number, default: 0 }, bonus: { type: Number, default: 0 }, count: { type: Number, default: 0 } },
};

export function transactionView(entry: EntryDoc): TransactionView {
  return {
    id: entry._id,
    type: entry.type,
    amount: entry.cash + entry.bonus,
    cash: entry.cash,
    bonus: entry.bonus,
    balanceAfter: entry.balanceAfter ? total(entry.balanceAfter) : 0,
    createdAt: entry.createdAt.toISOString(),
    ref: entry.ref,
  };
}
