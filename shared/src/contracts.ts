/**
 * The internal API between services: request schemas the provider validates with, and the answer
 * shapes its callers rely on. One definition, so both sides change together.
 */
import { z } from 'zod';
import { cents, displayName, email, entityId, password, slug, transferAmount } from './validation';

// ---- user -------------------------------------------------------------------------------------

export const registerBody = z.strictObject({ email, password, displayName: displayName.optional() });
export const loginBody = z.strictObject({ email, password: z.string().min(1).max(128) });
export const limitsBody = z.strictObject({ dailyDepositLimit: cents(10_000_000) });
export const selfExclusionBody = z.strictObject({ days: z.number().int().min(1).max(3650) });

export interface PlayerProfile {
  id: string;
  email: string;
  displayName: string;
  createdAt: string;
}

export type PlayerState = 'active' | 'self_excluded';

export interface PlayerStatus {
  id: string;
  status: PlayerState;
  selfExcludedUntil: string | null;
  /** Most a player may deposit per UTC day, in cents: the limit in force now. */
  dailyDepositLimit: number;
  /** A raised limit and when it comes into force, after its cooling-off period; null when none waits. */
  pendingDepositLimit: { amount: number; effectiveAt: string } | null;
}

export interface RegisterResult {
  player: PlayerProfile;
  accessToken: string;
}

export interface LoginResult {
  accessToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
}

// ---- payment ----------------------------------------------------------------------------------

export const TRANSACTION_TYPES = ['deposit', 'withdrawal', 'bet', 'win', 'bonus_credit', 'bonus_conversion', 'bonus_forfeit'] as const;
export type TransactionType = (typeof TRANSACTION_TYPES)[number];

export const depositBody = z.strictObject({ amount: transferAmount });
export const withdrawalBody = z.strictObject({ amount: transferAmount, forfeitBonus: z.boolean().optional() });
export const betBody = z.strictObject({ amount: cents(10_000_000), roundId: entityId, gameId: slug });
export const winBody = z.strictObject({ amount: cents(1_000_000_000), roundId: entityId, gameId: slug });
export const bonusCreditBody = z.strictObject({ amount: cents(10_000_000), bonusId: entityId });
export const bonusSettleBody = z.strictObject({ bonusId: entityId });

export interface WalletView {
  currency: 'EUR';
  cash: number;
  bonus: number;
  total: number;
}

export interface TransactionView {
  id: string;
  type: TransactionType;
  /** Signed change of the total balance, in cents. */
  amount: number;
  /** Signed change of the cash balance. */
  cash: number;
  /** Signed change of the bonus balance. */
  bonus: number;
  /** Total balance after this entry. */
  balanceAfter: number;
  createdAt: string;
  /** What the entry belongs to: a round, a bonus, or null for deposits and withdrawals. */
  ref: string | null;
}

export interface MovementResult {
  transaction: TransactionView;
  wallet: WalletView;
}

// ---- wager ------------------------------------------------------------------------------------

export const claimBody = z.strictObject({ offerId: slug });
export const wagerBody = z.strictObject({ roundId: entityId, stake: cents(10_000_000) });
export const forfeitBody = z.strictObject({ reason: z.enum(['withdrawal', 'expired', 'player']) });

export interface OfferView {
  id: string;
  name: string;
  /** Bonus as a percentage of the qualifying deposit. */
  matchPercent: number;
  /** Largest bonus, in cents. */
  maxAmount: number;
  /** Stake needed to release the bonus, as a multiple of the bonus. */
  wageringMultiplier: number;
  /** Which deposit qualifies: the player's first, or their latest. */
  qualifyingDeposit: 'first' | 'latest';
  validDays: number;
}

export type BonusState = 'active' | 'completed' | 'forfeited' | 'expired';

export interface BonusView {
  id: string;
  offerId: string;
  status: BonusState;
  amount: number;
  wageringRequired: number;
  wagered: number;
  createdAt: string;
  expiresAt: string;
}

export interface WagerResult {
  bonus: BonusView | null;
  /** Present when this bet completed the wagering and moved the bonus to cash. */
  wallet?: WalletView;
}

// ---- game -------------------------------------------------------------------------------------

export const spinBody = z.strictObject({ stake: cents(10_000_000) });

export interface GameView {
  id: string;
  name: string;
  minStake: number;
  maxStake: number;
  /** Stakes are multiples of this, in cents. */
  stakeStep: number;
  /** Return to player, in percent, computed exactly from the reels and the paytable. */
  rtp: number;
}

export interface SpinResult {
  roundId: string;
  gameId: string;
  stake: number;
  win: number;
  /** Visible symbols, reel by reel, top to bottom. */
  reels: string[][];
  /** Winning lines, if any. */
  lines: { line: number; symbols: string[]; multiplier: number; win: number }[];
  wallet: WalletView;
}

export interface RoundView {
  roundId: string;
  gameId: string;
  stake: number;
  win: number;
  reels: string[][];
  createdAt: string;
}

/** A wallet whose balances disagree with its ledger, or that should not exist as it is. */
export interface WalletDifference {
  walletId: string;
  problem: 'balance-mismatch' | 'negative-balance' | 'entries-without-wallet';
  wallet: { cash: number; bonus: number } | null;
  ledger: { cash: number; bonus: number };
}

/** Payment's own check: every wallet against the sum of its ledger. */
export interface LedgerReconciliation {
  wallets: number;
  entries: number;
  /** The sum of every wallet: what the casino owes its players. */
  totals: { cash: number; bonus: number };
  /** Applied entries by type: how many and how much (cash + bonus, signed). */
  byType: Partial<Record<TransactionType, { count: number; amount: number }>>;
  /** Entries the wallet already applied but a crash left unmarked; recovery marks them. */
  unsettled: number;
  /** Entries a crashed request left before they moved any money; a replay of the key finishes them. */
  abandoned: number;
  /** Wallets holding bonus money: each must have an active bonus in the wager service. */
  walletsWithBonus: string[];
  differences: WalletDifference[];
}

export interface BonusDifference {
  bonusId: string;
  playerId: string;
  problem: 'wagered-mismatch' | 'completed-short' | 'completion-pending' | 'uncounted-wager';
  detail: string;
}

/** Wager's own check: every bonus against the wagers counted toward it. */
export interface BonusReconciliation {
  bonuses: number;
  wagers: number;
  byStatus: Partial<Record<BonusState, number>>;
  /** The sum of every bonus's amount: what payment must have credited. */
  amount: number;
  activeBonusPlayers: string[];
  differences: BonusDifference[];
}

export interface RoundDifference {
  roundId: string;
  playerId: string;
  problem: 'unfinished' | 'wager-not-recorded';
  detail: string;
}

/** Game's own check: rounds left half-way after the game's own recovery had its chance. */
export interface RoundReconciliation {
  rounds: number;
  byStatus: Partial<Record<'started' | 'debited' | 'drawn' | 'settled' | 'failed', number>>;
  /** Rounds that took a stake: each must have one bet in the ledger. */
  bets: number;
  /** Settled rounds that paid a win: each must have one win in the ledger. */
  wins: number;
  differences: RoundDifference[];
}

/** Payment, wager and game together, with the checks that need more than one of them. */
/** The checks that need two services' records, as the public API names them. */
export type CrossCheckName = 'round-bets' | 'round-wins' | 'bonus-credits' | 'bonus-conversions' | 'bonus-forfeits' | 'bonus-money';

export interface ReconciliationReport {
  ok: boolean;
  checkedAt: string;
  ledger: LedgerReconciliation;
  bonuses: BonusReconciliation;
  rounds: RoundReconciliation;
  /** Disagreements between the two services' records. */
  crossChecks: { check: CrossCheckName; ok: boolean; detail: string }[];
}
