import { randomUUID } from 'node:crypto';
import { AppError, type MovementResult, type PlayerState, type PlayerStatus, type TransactionView, type WalletView } from '@casino/shared';
import type { WagerPeers } from '../src/data/peers';
import type { QualifyingDeposit } from '../src/domain/bonuses';

type Operation = 'creditBonus' | 'convertBonus' | 'forfeitBonus';

/** A money movement that really happened in the fake wallet. */
export interface Movement {
  type: 'bonus_credit' | 'bonus_conversion' | 'bonus_forfeit';
  playerId: string;
  bonusId: string;
  cash: number;
  bonus: number;
}

/**
 * The user and payment services as wager sees them: one in-memory wallet per player, deposits the
 * test decides, and bonus movements that are idempotent per bonus (as payment's keys make them).
 * `calls` records every call, `ledger` only the money that moved.
 */
export class FakeWagerPeers implements WagerPeers {
  readonly calls: { op: Operation; playerId: string; bonusId: string }[] = [];
  readonly ledger: Movement[] = [];
  /** How many of the next calls of an operation fail with a 503, before any money moves. */
  readonly outages: Record<Operation, number> = { creditBonus: 0, convertBonus: 0, forfeitBonus: 0 };
  private readonly wallets = new Map<string, { cash: number; bonus: number }>();
  private readonly deposits = new Map<string, TransactionView[]>();
  private readonly lastWithdrawal = new Map<string, string>();
  private readonly excluded = new Set<string>();

  constructor(private readonly clock: { now: Date }) {}

  /** The player deposits: the cash lands in the wallet and the deposit joins their history. */
  addDeposit(playerId: string, amount: number): TransactionView {
    const wallet = this.walletOf(playerId);
    wallet.cash += amount;
    const deposit: TransactionView = {
      id: randomUUID(),
      type: 'deposit',
      amount,
      cash: amount,
      bonus: 0,
      balanceAfter: wallet.cash + wallet.bonus,
      createdAt: this.clock.now.toISOString(),
      ref: null,
    };
    this.deposits.set(playerId, [...(this.deposits.get(playerId) ?? []), deposit]);
    return deposit;
  }

  /** The player withdraws cash. */
  withdraw(playerId: string, amount: number): void {
    this.walletOf(playerId).cash -= amount;
    this.lastWithdrawal.set(playerId, this.clock.now.toISOString());
  }

  /** The player stakes cash on spins and loses it. */
  lose(playerId: string, amount: number): void {
    this.walletOf(playerId).cash -= amount;
  }

  setStatus(playerId: string, status: PlayerState): void {
    if (status === 'self_excluded') this.excluded.add(playerId);
    else this.excluded.delete(playerId);
  }

  wallet(playerId: string): WalletView {
    const { cash, bonus } = this.walletOf(playerId);
    return { currency: 'EUR', cash, bonus, total: cash + bonus };
  }

  moved(type: Movement['type']): Movement[] {
    return this.ledger.filter((m) => m.type === type);
  }

  callsOf(op: Operation): { op: Operation; playerId: string; bonusId: string }[] {
    return this.calls.filter((c) => c.op === op);
  }

  async playerStatus(playerId: string): Promise<PlayerStatus> {
    const excluded = this.excluded.has(playerId);
    return {
      id: playerId,
      status: excluded ? 'self_excluded' : 'active',
      selfExcludedUntil: excluded ? new Date(this.clock.now.getTime() + 30 * 86_400_000).toISOString() : null,
      dailyDepositLimit: 500_000,
      pendingDepositLimit: null,
    };
  }

  async qualifyingDeposit(playerId: string, which: 'first' | 'latest'): Promise<QualifyingDeposit | null> {
    const all = this.deposits.get(playerId) ?? [];
    const deposit = which === 'first' ? all[0] : all.at(-1);
    if (!deposit) return null;
    const withdrawn = this.lastWithdrawal.get(playerId);
    return { deposit, cash: this.walletOf(playerId).cash, withdrawnSince: withdrawn !== undefined && withdrawn >= deposit.createdAt };
  }

  async creditBonus(playerId: string, bonusId: string, amount: number): Promise<WalletView> {
    this.enter('creditBonus', playerId, bonusId);
    // As payment's bonusCreditBody: an amount is a positive whole number of cents.
    if (!Number.isInteger(amount) || amount <= 0) throw AppError.badRequest('The request is invalid: amount: must be more than zero');
    const wallet = this.walletOf(playerId);
    if (!this.already('bonus_credit', bonusId)) {
      wallet.bonus += amount;
      this.ledger.push({ type: 'bonus_credit', playerId, bonusId, cash: 0, bonus: amount });
    }
    return this.wallet(playerId);
  }

  async convertBonus(playerId: string, bonusId: string): Promise<MovementResult> {
    this.enter('convertBonus', playerId, bonusId);
    const wallet = this.walletOf(playerId);
    let movement = this.already('bonus_conversion', bonusId);
    if (!movement) {
      movement = { type: 'bonus_conversion', playerId, bonusId, cash: wallet.bonus, bonus: -wallet.bonus };
      wallet.cash += wallet.bonus;
      wallet.bonus = 0;
      this.ledger.push(movement);
    }
    return this.result(movement);
  }

  async forfeitBonus(playerId: string, bonusId: string): Promise<MovementResult> {
    this.enter('forfeitBonus', playerId, bonusId);
    const wallet = this.walletOf(playerId);
    let movement = this.already('bonus_forfeit', bonusId);
    if (!movement) {
      movement = { type: 'bonus_forfeit', playerId, bonusId, cash: 0, bonus: -wallet.bonus };
      wallet.bonus = 0;
      this.ledger.push(movement);
    }
    return this.result(movement);
  }

  private enter(op: Operation, playerId: string, bonusId: string): void {
    this.calls.push({ op, playerId, bonusId });
    if (this.outages[op] > 0) {
      this.outages[op]--;
      throw new AppError(503, { slug: 'payment-unavailable', title: 'Service unavailable', detail: 'payment is not answering.' });
    }
  }

  private already(type: Movement['type'], bonusId: string): Movement | undefined {
    return this.ledger.find((m) => m.type === type && m.bonusId === bonusId);
  }

  private result(movement: Movement): MovementResult {
    const wallet = this.wallet(movement.playerId);
    return {
      transaction: {
        id: randomUUID(),
        type: movement.type,
        amount: movement.cash + movement.bonus,
        cash: movement.cash,
        bonus: movement.bonus,
        balanceAfter: wallet.total,
        createdAt: this.clock.now.toISOString(),
        ref: movement.bonusId,
      },
      wallet,
    };
  }

  private walletOf(playerId: string): { cash: number; bonus: number } {
    let wallet = this.wallets.get(playerId);
    if (!wallet) this.wallets.set(playerId, (wallet = { cash: 0, bonus: 0 }));
    return wallet;
  }
}
