/** The gateway's answers, as openapi.yaml describes them (only the fields the app reads). */
export interface Player {
  id: string;
  email: string;
  displayName: string;
}
export interface Wallet {
  currency: string;
  cash: number;
  bonus: number;
  total: number;
}
export interface Transaction {
  id: string;
  type: string;
  amount: number;
  cash: number;
  bonus: number;
  balanceAfter: number;
  createdAt: string;
  ref: string | null;
}
export interface Game {
  id: string;
  name: string;
  minStake: number;
  maxStake: number;
  stakeStep: number;
  rtp: number;
}
export interface SpinResult {
  roundId: string;
  gameId: string;
  stake: number;
  win: number;
  reels: string[][];
  lines: { line: number; symbols: string[]; multiplier: number; win: number }[];
  wallet: Wallet;
}
export interface Round {
  roundId: string;
  gameId: string;
  stake: number;
  win: number;
  reels: string[][];
  createdAt: string;
}
export interface Offer {
  id: string;
  name: string;
  matchPercent: number;
  maxAmount: number;
  wageringMultiplier: number;
  qualifyingDeposit: 'first' | 'latest';
  validDays: number;
}
export interface Bonus {
  id: string;
  offerId: string;
  status: 'active' | 'completed' | 'forfeited' | 'expired';
  amount: number;
  wageringRequired: number;
  wagered: number;
  expiresAt: string;
}
export interface Items<T> {
  items: T[];
}
