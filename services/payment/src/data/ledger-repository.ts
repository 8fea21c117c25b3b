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
import { type Balances, guard, InsufficientFundsError, type Movement, plan, requestedAmount, walletView } from '../domain/ledger';
import { IdempotencyMismatchError, InProgressError, WalletBusyError } from './ledger-errors';
import { appliedEntry, type EntryDoc, ledgerSpec, retiredLedgerSpec, transactionView, type WalletDoc, walletsSpec } from './ledger-records';

/**
 * Entries retention may fold away: applied or refused, and not deposits. A bonus is claimed on a
 * player's first or latest deposit, so those stay readable; each player's daily deposit limit
 * bounds how many there are.
 */
export const RETIRABLE_ENTRIES = { status: { $in: ['applied', 'rejected'] }, type: { $ne: 'deposit' } };

/** How many recent entries a wallet remembers applying: enough to settle any interrupted write. */
const APPLIED_MEMORY = 100;
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
 * 2. The wallet is updated with one conditional write that checks the balances still cover the
 *    change and that this entry is not yet applied, and records the entry id with the balances
 *    after it.
 * 3. The entry is marked applied with those balances.
 *
 * A crash between 2 and 3 leaves a pending entry that the wallet already lists: it is settled as
 * applied on its next replay. A crash between 1 and 2 leaves one the wallet doesn't list: it is
 * finished on replay once abandoned. Either way each entry moves money exactly once, and a wallet's
 * balances equal the sum of its applied entries.
 */
export class LedgerRepository {
  private readonly wallets;
  private readonly entries;

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
      { $setOnInsert: { currency: 'EUR', cash: 0, bonus: 0, applied: [], createdAt: at, updatedAt: at } },
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
    return { ...(await this.apply(entry, movement)), replayed: false };
  }

  /** Writes a pending entry into its wallet, re-planning if concurrent movements changed the balances. */
  private async apply(entry: EntryDoc, movement: Movement): Promise<Omit<MoveResult, 'replayed'>> {
    let planned: Balances = { cash: entry.cash, bonus: entry.bonus };
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const change = planned;
      // On a replica set both writes commit together; elsewhere the wallet's applied marks make
      // the gap between them safe (see the class comment).
      const after = await this.store.transaction(async () => {
        const updated = await this.wallets.findOneAndUpdate(
          { _id: entry.walletId, 'applied.id': { $ne: entry._id }, ...guard(movement, change) },
          {
            $inc: { cash: change.cash, bonus: change.bonus },
            $set: { updatedAt: this.now() },
            $push: { applied: { $each: [{ id: entry._id, cash: change.cash, bonus: change.bonus }], $slice: -APPLIED_MEMORY } },
          },
        );
        if (!updated) return null;
        const balances = { cash: updated.cash, bonus: updated.bonus };
        await this.writeApplied(entry, change, balances);
        return balances;
      });
      if (after) return this.appliedResult(entry, planned, after);
      const wallet = await this.wallets.findOne({ _id: entry.walletId });
      if (!wallet) throw new Error(`wallet ${entry.walletId} vanished`);
      const applied = appliedEntry(wallet, entry._id);
      if (applied) return this.markApplied(entry, applied.mark, applied.after);
      try {
        const next = plan(wallet, movement);
        if (next.cash !== planned.cash || next.bonus !== planned.bonus) {
          planned = next;
          await this.entries.updateOne({ _id: entry._id, status: 'pending' }, { $set: { cash: planned.cash, bonus: planned.bonus } });
        }
      } catch (err) {
        if (!(err instanceof InsufficientFundsError)) throw err;
        await this.entries.updateOne(
          { _id: entry._id, status: 'pending' },
          { $set: { status: 'rejected', cash: 0, bonus: 0, rejection: { needed: err.needed, available: err.available } } },
        );
        throw err;
      }
      await sleep(backoffDelay(attempt, 1, 50));
    }
    throw new WalletBusyError(entry.walletId);
  }

  /** Marks a pending entry applied; false when it was no longer pending (another path marked it the same). */
  private async writeApplied(entry: EntryDoc, planned: Balances, after: Balances): Promise<boolean> {
    const result = await this.entries.updateOne(
      { _id: entry._id, status: 'pending' },
      { $set: { status: 'applied', cash: planned.cash, bonus: planned.bonus, balanceAfter: after } },
    );
    return result.modified > 0;
  }

  private appliedResult(entry: EntryDoc, planned: Balances, after: Balances): Omit<MoveResult, 'replayed'> {
    const applied: EntryDoc = { ...entry, cash: planned.cash, bonus: planned.bonus, status: 'applied', balanceAfter: after };
    return { transaction: transactionView(applied), wallet: walletView(after) };
  }

  private async markApplied(entry: EntryDoc, planned: Balances, after: Balances): Promise<Omit<MoveResult, 'replayed'>> {
    await this.writeApplied(entry, planned, after);
    return this.appliedResult(entry, planned, after);
  }

  /**
   * Marks the pending entries that a crash left behind after their wallet applied them, so the
   * ledger reads right without waiting for a replay. Entries the wallet never applied moved no
   * money and stay pending: a replay of their key finishes them. Returns how many were marked.
   */
  async recover(): Promise<number> {
    const cutoff = new Date(this.now().getTime() - ABANDONED_AFTER_MS);
    let marked = 0;
    for (const entry of await this.entries.find({ status: 'pending', createdAt: { $lt: cutoff } }, { limit: 1000 })) {
      const wallet = await this.wallets.findOne({ _id: entry.walletId });
      const applied = wallet && appliedEntry(wallet, entry._id);
      if (!applied) continue;
      if (await this.writeApplied(entry, applied.mark, applied.after)) marked++;
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
      // The wallet remembers applying it: the request that wrote it stopped before marking it.
      const applied = wallet && appliedEntry(wallet, entry._id);
      if (applied) return { ...(await this.markApplied(entry, applied.mark, applied.after)), replayed: true };
      if (this.now().getTime() - entry.createdAt.getTime() > ABANDONED_AFTER_MS && wallet) {
        return { ...(await this.apply(entry, movement)), replayed: true };
      }
      if (waited >= 2000) throw new InProgressError(entry.idempotencyKey);
      await sleep(25);
      const fresh = await this.entries.findOne({ _id: entry._id });
      if (!fresh) throw new Error(`ledger entry ${entry._id} vanished`);
      entry = fresh;
    }
  }
}
