import type { BonusState, BonusView, OfferView, TransactionView } from '@casino/shared/contracts';

/** The offers. Amounts in cents; wagering is a multiple of the bonus amount. */
export const OFFERS: readonly OfferView[] = [
  {
    id: 'welcome-100',
    name: 'Welcome bonus: 100% of your first deposit up to 100 EUR',
    matchPercent: 100,
    maxAmount: 10_000,
    wageringMultiplier: 35,
    qualifyingDeposit: 'first',
    validDays: 30,
  },
  {
    id: 'reload-50',
    name: 'Reload bonus: 50% of your latest deposit up to 50 EUR',
    matchPercent: 50,
    maxAmount: 5_000,
    wageringMultiplier: 20,
    qualifyingDeposit: 'latest',
    validDays: 7,
  },
];

/** Offers a player can claim only once, ever. */
export const ONCE_PER_PLAYER = new Set(['welcome-100']);

export interface Bonus {
  id: string;
  playerId: string;
  offerId: string;
  status: BonusState;
  amount: number;
  wageringRequired: number;
  wagered: number;
  depositId: string;
  createdAt: Date;
  expiresAt: Date;
}

export function findOffer(id: string): OfferView | undefined {
  return OFFERS.find((o) => o.id === id);
}

/** The deposit an offer is claimed on, as the wallet stands now. */
export interface QualifyingDeposit {
  deposit: TransactionView;
  /** The wallet's cash now, in cents. */
  cash: number;
  /** Whether anything was withdrawn after the deposit. */
  withdrawnSince: boolean;
}

/**
 * Why a deposit cannot earn a bonus any more, or null if it can: the money must still be in the
 * wallet, with nothing withdrawn since, so a bonus is never earned on money already taken out.
 */
export function depositNoLongerHeld({ deposit, cash, withdrawnSince }: QualifyingDeposit): string | null {
  if (withdrawnSince) return 'Money was withdrawn after that deposit; deposit again to claim this offer.';
  if (cash < deposit.amount) return 'That deposit is no longer all in your wallet; deposit again to claim this offer.';
  return null;
}

/** The bonus an offer gives for a deposit: the match percentage, capped, in whole cents. */
export function bonusAmount(offer: OfferView, depositAmount: number): number {
  return Math.min(Math.floor((depositAmount * offer.matchPercent) / 100), offer.maxAmount);
}

export function wageringRequired(offer: OfferView, amount: number): number {
  return amount * offer.wageringMultiplier;
}

export function expiresAt(offer: OfferView, from: Date): Date {
  return new Date(from.getTime() + offer.validDays * 86_400_000);
}

export function isExpired(bonus: Pick<Bonus, 'expiresAt'>, now: Date): boolean {
  return bonus.expiresAt <= now;
}

export function isWageringComplete(bonus: Pick<Bonus, 'wagered' | 'wageringRequired'>): boolean {
  return bonus.wagered >= bonus.wageringRequired;
}

export function toView(bonus: Bonus): BonusView {
  return {
    id: bonus.id,
    offerId: bonus.offerId,
    status: bonus.status,
    amount: bonus.amount,
    wageringRequired: bonus.wageringRequired,
    wagered: bonus.wagered,
    createdAt: bonus.createdAt.toISOString(),
    expiresAt: bonus.expiresAt.toISOString(),
  };
}
