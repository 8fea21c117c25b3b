import { randomUUID } from 'node:crypto';
import {
  addTotals,
  backoffDelay,
  DuplicateKeyError,
  type RetentionPolicy,
  retireOldest,
  sleep,
  type Store,
  sumsBy,
  type Totals,
  type TransactionType,
  type TransactionView,
  type WalletView,
} from '@casino/shared';
import { findOneByOne } from '@casino/shared/scenarios/n-plus-one';
import { type Balances, InsufficientFundsError, type Movement, plan, requestedAmount, walletView } from '../domain/ledger';
import { KeyedLock } from './keyed-lock';
import { IdempotencyMismatchError, InProgressError, WalletBusyError } from './ledger-errors';
import {
  type AppliedMark,
  type EntryDoc,
  ledgerSpec,
  retiredLedgerSpec,
  transactionView,
  unsettledMark,
  type WalletDoc,
  walletsSpec,
} from './ledger-records';

/**
 * Entries retention may fold away: applied or refused, and not deposits. A bonus is claimed on a
 * player's first or latest deposit, so those stay readable; each player's daily deposit limit
 * bounds how many there are.
 */
export const RETIRABLE_ENTRIES = { status: { $in: ['applied', 'rejected'] }, type: { $ne: 'deposit' } };

/** A pending entry older than this is taken as abandoned by a crashed request and finished. */
const ABANDONED_AFTER_MS = 10_000;
/** Attempts to write under contention before answering "busy". */
const MAX_ATTEMPTS = 20;

export interface MoveResult {
  transaction: TransactionView;
  wallet: WalletView;
  replayed: boolean;
}

/**
 * Wallets and their ledger. A wallet changes only by applying a ledger entry, and the write is
 * made safe without multi-document transactions:
 *
 * 1. The entry is inserted first, as pending, under a unique (wallet, idempotency key) index: a
 *    replay or a concurrent duplicate finds it instead of moving money twice.
 * 2. The wallet is written with one conditional write over the version it was planned on (its
 *    `seq`), setting the new balances and adding a mark with the entry id, the change and the
 *    balances after it. A concurrent change makes the write miss, and it is planned again.
 * 3. The entry is marked applied from the mark, then the mark is removed.
 *
 * A crash between 2 and 3 leaves a pending entry with a mark in its wallet: a replay of its key, or
 * the recovery pass once it is abandoned, marks it applied from the mark, however many moves came
 * after. A crash between 1 and 2 leaves one without a mark: it moved no money, and a replay
 * finishes it once abandoned. Either way each entry moves money exactly once, and a wallet's
 * balances equal the sum of its applied entries.
 */
export class LedgerRepository {
  private readonly wallets;
  private readonly entries;
  private readonly writing = new KeyedLock();

  constructor(
    private readonly store: Store,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.wallets = store.collection<WalletDoc>(walletsSpec);
    this.entries = store.collection<EntryDoc>(ledgerSpec);
  }

  /**
   * Retires the oldest applied and refused entries beyond the policy, deposits excepted (see
   * RETIRABLE_ENTRIES). Applied ones add their money to their wallet's and their type's carried
   * totals, which reconciliation reads.
   */
  retire(policy: RetentionPolicy): Promise<number> {
    const carried = this.store.collection<Totals>(retiredLedgerSpec);
    const sums = (entry: EntryDoc) => ({ cash: entry.cash, bonus: entry.bonus, count: 1 });
    return retireOldest(
      this.store,
      policy,
      {
        collection: this.entries,
        finished: RETIRABLE_ENTRIES,
        dateField: 'createdAt',
        carry: async (batch) => {
          const applied = batch.filter((e) => e.status === 'applied');
          await addTotals(
            carried,
            sumsBy(applied, (e) => `wallet:${e.walletId}`, sums),
          );
          await addTotals(
            carried,
            sumsBy(applied, (e) => `type:${e.type}`, sums),
          );
        },
      },
      this.now(),
    );
  }

  async balances(walletId: string): Promise<Balances> {
    const wallet = await this.wallets.findOne({ _id: walletId });
    return wallet ? { cash: wallet.cash, bonus: wallet.bonus } : { cash: 0, bonus: 0 };
  }

  /** The wallet's applied entries, newest first unless asked; `oneByOne` is the n-plus-one scenario. */
  async transactions(
    walletId: string,
    options: { limit: number; type?: TransactionType; oldestFirst?: boolean; oneByOne?: boolean },
  ): Promise<TransactionView[]> {
    const filter: Record<string, unknown> = { walletId, status: 'applied' };
    if (options.type) filter.type = options.type;
    const page = { sort: { createdAt: options.oldestFirst ? 1 : -1, _id: 1 } as const, limit: options.limit };
    const entries = options.oneByOne ? await findOneByOne(this.entries, filter, page) : await this.entries.find(filter, page);
    return entries.map(transactionView);
  }

  /** How the bet of a round was funded; null if the round has no applied bet. */
  async stakeOf(walletId: string, roundId: string): Promise<Balances | null> {
    const bet = await this.entries.findOne({ walletId, ref: roundId, type: 'bet', status: 'applied' });
    return bet && { cash: -bet.cash, bonus: -bet.bonus };
  }

  /** The entry already recorded under this key, settled if it can be, or null if the key is new. */
  async replay(walletId: string, idempotencyKey: string, movement: Movement): Promise<MoveResult | null> {
    const entry = await this.entries.findOne({ walletId, idempotencyKey });
    return entry && this.settle(entry, movement);
  }

  /** Applies a movement exactly once per (wallet, idempotency key). */
  async move(walletId: string, idempotencyKey: string, movement: Movement, ref: string | null): Promise<MoveResult> {
    const at = this.now();
    const wallet = await this.wallets.findOneAndUpdate(
      { _id: walletId },
      { $setOnInsert: { currency: 'EUR', cash: 0, bonus: 0, seq: 0, unsettled: [], createdAt: at, updatedAt: at } },
      { upsert: true },
    );
    if (!wallet) throw new Error(`wallet ${walletId} was not created`);
    let planned: Balances | undefined;
    let shortfall: InsufficientFundsError | undefined;
    try {
      planned = plan(wallet, movement);
    } catch (err) {
      if (!(err instanceof InsufficientFundsError)) throw err;
      shortfall = err;
    }
    const entry: EntryDoc = {
      _id: randomUUID(),
      walletId,
      idempotencyKey,
      type: movement.type,
      requested: requestedAmount(movement),
      cash: planned?.cash ?? 0,
      bonus: planned?.bonus ?? 0,
      // A refusal is recorded too, so that a replay of the key gets the same answer.
      status: shortfall ? 'rejected' : 'pending',
      balanceAfter: null,
      ref,
      rejection: shortfall ? { needed: shortfall.needed, available: shortfall.available } : null,
      createdAt: at,
    };
    try {
      await this.entries.insertOne(entry);
    } catch (err) {
      if (!(err instanceof DuplicateKeyError)) throw err;
      const existing = await this.entries.findOne({ walletId, idempotencyKey });
      if (!existing) throw err;
      return this.settle(existing, movement);
    }
    if (shortfall) throw shortfall;
    return { ...(await this.apply(entry, movement, wallet)), replayed: false };
  }

  /**
   * Writes a pending entry into its wallet, planned on the wallet as it is: `wallet` as last read,
   * read again after waiting for this process's other writes to it and after every write that
   * missed. An entry old enough to be finished by a replay too is read again after its wallet, so
   * that whichever finisher is second sees the first's work.
   */
  private async apply(entry: EntryDoc, movement: Movement, wallet: WalletDoc): Promise<Omit<MoveResult, 'replayed'>> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (attempt > 0) await sleep(backoffDelay(attempt - 1, 1, 50));
      const outcome = await this.writing.run(entry.walletId, async (waited) => {
        if (attempt > 0 || waited) {
          const fresh = await this.wallets.findOne({ _id: entry.walletId });
          if (!fresh) throw new Error(`wallet ${entry.walletId} vanished`);
          wallet = fresh;
        }
        return this.attempt(entry, movement, wallet);
      });
      if (outcome) return outcome;
    }
    throw new WalletBusyError(entry.walletId);
  }

  /** One try at writing the entry into `wallet` as read; null when another write got there first. */
  private async attempt(entry: EntryDoc, movement: Movement, wallet: WalletDoc): Promise<Omit<MoveResult, 'replayed'> | null> {
    const mark = unsettledMark(wallet, entry._id);
    if (mark) return this.markApplied(entry, mark);
    if (this.abandoned(entry)) {
      const now = await this.entries.findOne({ _id: entry._id });
      if (!now) throw new Error(`ledger entry ${entry._id} vanished`);
      // Applied or refused by the other finisher: its answer (settle returns at once for those).
      if (now.status !== 'pending') return this.settle(now, movement);
    }
    let planned: Balances;
    try {
      planned = plan(wallet, movement);
    } catch (err) {
      if (!(err instanceof InsufficientFundsError)) throw err;
      await this.entries.updateOne(
        { _id: entry._id, status: 'pending' },
        { $set: { status: 'rejected', cash: 0, bonus: 0, rejection: { needed: err.needed, available: err.available } } },
      );
      throw err;
    }
    // The change is recorded in the mark, from which the entry is marked applied; nothing reads a
    // pending entry's own amounts, so they stay as first planned until then.
    const written: AppliedMark = {
      id: entry._id,
      ...planned,
      after: { cash: wallet.cash + planned.cash, bonus: wallet.bonus + planned.bonus },
    };
    // On a replica set both writes commit together; elsewhere the mark makes the gap between them
    // safe (see the class comment).
    const applied = await this.store.transaction(async () => {
      const updated = await this.wallets.findOneAndUpdate(
        // A wallet stored before versions has none: null matches it, and the write gives it one.
        { _id: entry.walletId, seq: wallet.seq ?? null },
        {
          $set: { cash: written.after.cash, bonus: written.after.bonus, updatedAt: this.now() },
          $inc: { seq: 1 },
          $push: { unsettled: written },
        },
      );
      if (!updated) return false;
      await this.writeApplied(entry, written);
      return true;
    });
    return applied ? this.appliedResult(entry, written) : null;
  }

  /** Older than this, a pending entry may be finished by a replay as well as by its own request. */
  private abandoned(entry: EntryDoc): boolean {
    return this.now().getTime() - entry.createdAt.getTime() > ABANDONED_AFTER_MS;
  }

  /**
   * Marks a pending entry applied as its wallet's mark says, then removes the mark; false when the
   * entry was no longer pending (another path marked it the same).
   */
  private async writeApplied(entry: EntryDoc, mark: AppliedMark): Promise<boolean> {
    const result = await this.entries.updateOne(
      { _id: entry._id, status: 'pending' },
      { $set: { status: 'applied', cash: mark.cash, bonus: mark.bonus, balanceAfter: mark.after } },
    );
    await this.forget(entry.walletId, mark.id);
    return result.modified > 0;
  }

  private async forget(walletId: string, entryId: string): Promise<void> {
    await this.wallets.updateOne({ _id: walletId }, { $pull: { unsettled: { id: entryId } } });
  }

  private appliedResult(entry: EntryDoc, mark: AppliedMark): Omit<MoveResult, 'replayed'> {
    const applied: EntryDoc = { ...entry, cash: mark.cash, bonus: mark.bonus, status: 'applied', balanceAfter: mark.after };
    return { transaction: transactionView(applied), wallet: walletView(mark.after) };
  }

  private async markApplied(entry: EntryDoc, mark: AppliedMark): Promise<Omit<MoveResult, 'replayed'>> {
    await this.writeApplied(entry, mark);
    return this.appliedResult(entry, mark);
  }

  /**
   * Finishes what crashes left in the wallets: a pending entry with a mark, once abandoned, is
   * marked applied from it, so the ledger reads right without waiting for a replay; a mark whose
   * entry is already applied (or retired) is removed. Entries the wallets never applied moved no
   * money and stay pending: a replay of their key finishes them. Returns how many were marked.
   */
  async recover(): Promise<number> {
    let marked = 0;
    for (const wallet of await this.wallets.find({ 'unsettled.0': { $exists: true } }, { limit: 1000 })) {
      for (const mark of wallet.unsettled ?? []) {
        const entry = await this.entries.findOne({ _id: mark.id });
        if (entry?.status === 'pending') {
          if (this.abandoned(entry) && (await this.writeApplied(entry, mark))) marked++;
        } else if (!entry || entry.status === 'applied') {
          await this.forget(wallet._id, mark.id);
        }
      }
    }
    return marked;
  }

  /** The outcome of an entry that already exists under the key: its first result, whatever it was. */
  private async settle(entry: EntryDoc, movement: Movement): Promise<MoveResult> {
    if (entry.type !== movement.type || entry.requested !== requestedAmount(movement)) {
      throw new IdempotencyMismatchError(entry.idempotencyKey);
    }
    for (let waited = 0; ; waited += 25) {
      if (entry.status === 'applied') {
        if (!entry.balanceAfter) throw new Error(`ledger entry ${entry._id} is applied but records no balances`);
        return { transaction: transactionView(entry), wallet: walletView(entry.balanceAfter), replayed: true };
      }
      if (entry.status === 'rejected') {
        throw new InsufficientFundsError(entry.type, entry.rejection?.needed ?? 0, entry.rejection?.available ?? 0);
      }
      const wallet = await this.wallets.findOne({ _id: entry.walletId });
      // The wallet has applied it: the request that wrote it stopped before marking it.
      const mark = wallet && unsettledMark(wallet, entry._id);
      if (mark) return { ...(await this.markApplied(entry, mark)), replayed: true };
      if (wallet && this.abandoned(entry)) return { ...(await this.apply(entry, movement, wallet)), replayed: true };
      if (waited >= 2000) throw new InProgressError(entry.idempotencyKey);
      await sleep(25);
      const fresh = await this.entries.findOne({ _id: entry._id });
      if (!fresh) throw new Error(`ledger entry ${entry._id} vanished`);
      entry = fresh;
    }
  }
}
