import type { TransactionType, WalletView } from '@casino/shared/contracts';

/** A wallet's two balances, in cents. Bonus money can be staked but not withdrawn. */
export interface Balances {
  cash: number;
  bonus: number;
}

/** What a caller asks for. The ledger rules turn it into signed changes of the two balances. */
export type Movement =
  | { type: 'deposit'; amount: number }
  | { type: 'withdrawal'; amount: number }
  | { type: 'bet'; amount: number }
  /** `stake` is how the round's bet was funded; the win is paid back in the same proportion. */
  | { type: 'win'; amount: number; stake: Balances }
  | { type: 'bonus_credit'; amount: number }
  /** Moves the whole bonus balance to cash. */
  | { type: 'bonus_conversion' }
  /** Removes the whole bonus balance. */
  | { type: 'bonus_forfeit' };

/** A movement the balances cannot cover: `movement` says which kind, for the player's words. */
export class InsufficientFundsError extends Error {
  override name = 'InsufficientFundsError';
  constructor(
    readonly movement: TransactionType,
    readonly needed: number,
    readonly available: number,
  ) {
    super(`needs ${needed} cents, ${available} available`);
  }
}

/** The amount a movement asks for, for matching an idempotent replay against the first request. */
export function requestedAmount(movement: Movement): number {
  return 'amount' in movement ? movement.amount : 0;
}

/**
 * The signed change of each balance for a movement, given the balances now. Throws
 * InsufficientFundsError rather than ever planning a negative balance.
 */
export function plan(balances: Balances, movement: Movement): Balances {
  switch (movement.type) {
    case 'deposit':
      return { cash: movement.amount, bonus: 0 };
    case 'withdrawal':
      // Only cash can be withdrawn.
      if (movement.amount > balances.cash) throw new InsufficientFundsError(movement.type, movement.amount, balances.cash);
      return { cash: -movement.amount, bonus: 0 };
    case 'bet': {
      // Stakes use cash first, then bonus.
      const fromCash = Math.min(balances.cash, movement.amount);
      const fromBonus = movement.amount - fromCash;
      if (fromBonus > balances.bonus) throw new InsufficientFundsError(movement.type, movement.amount, balances.cash + balances.bonus);
      return { cash: -fromCash, bonus: -fromBonus };
    }
    case 'win': {
      // Winnings on bonus money are bonus money: the part of the stake that was bonus decides the share.
      const staked = movement.stake.cash + movement.stake.bonus;
      // In BigInt: win and stake can multiply past 2^53, where float division would round the share up.
      const toBonus = staked === 0 ? 0 : Number((BigInt(movement.amount) * BigInt(movement.stake.bonus)) / BigInt(staked));
      return { cash: movement.amount - toBonus, bonus: toBonus };
    }
    case 'bonus_credit':
      return { cash: 0, bonus: movement.amount };
    case 'bonus_conversion':
      return { cash: balances.bonus, bonus: -balances.bonus };
    case 'bonus_forfeit':
      return { cash: 0, bonus: -balances.bonus };
  }
}

export function total(b: Balances): number {
  return b.cash + b.bonus;
}

/** A wallet as players see it. */
export const walletView = (b: Balances): WalletView => ({ currency: 'EUR', cash: b.cash, bonus: b.bonus, total: total(b) });

export const MONEY_IN: readonly TransactionType[] = ['deposit', 'win', 'bonus_credit'];

/** The UTC day `now` falls in, as YYYY-MM-DD: daily deposit limits reset at midnight UTC. */
export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}
