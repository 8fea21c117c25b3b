import { randomUUID } from 'node:crypto';
import type { BonusView, PlayerStatus, Store, WalletDifference } from '@casino/shared';
import { asItsCallers, testDeps } from '@casino/shared/testing';
import { paymentCallers } from '../src/api/callers';
import { createApp } from '../src/app';
import { ledgerSpec, walletsSpec } from '../src/data/ledger-records';
import type { PaymentPeers } from '../src/data/peers';
import { reconcileLedger } from '../src/use-cases/reconcile-ledger';

/** A wallet as the store holds it. */
export interface StoredWallet {
  _id: string;
  currency: 'EUR';
  cash: number;
  bonus: number;
  seq?: number;
  unsettled?: { id: string; cash: number; bonus: number; after: { cash: number; bonus: number } }[];
  createdAt: Date;
  updatedAt: Date;
}

/** A ledger entry as the store holds it. */
export interface StoredEntry {
  _id: string;
  walletId: string;
  idempotencyKey: string;
  type: string;
  requested: number;
  cash: number;
  bonus: number;
  status: 'pending' | 'applied' | 'rejected';
  balanceAfter: { cash: number; bonus: number } | null;
  ref: string | null;
  rejection: { needed: number; available: number } | null;
  createdAt: Date;
}

/** The payment store's two collections, read and written directly (same instances the repository uses). */
export function storedLedger(store: Store) {
  return {
    wallets: store.collection<StoredWallet>(walletsSpec),
    entries: store.collection<StoredEntry>(ledgerSpec),
  };
}

/** What reconcileLedger finds wrong in the store, for the given wallets only, or for every wallet. */
export async function ledgerDifferences(store: Store, ...walletIds: string[]): Promise<WalletDifference[]> {
  const { differences } = await reconcileLedger(store);
  return walletIds.length ? differences.filter((d) => walletIds.includes(d.walletId)) : differences;
}

/**
 * The user and wager services as payment sees them: every player active with the default limit
 * unless a test says otherwise, bonuses as a test grants them, and every forfeit recorded.
 */
export class FakePeers implements PaymentPeers {
  readonly forfeits: { playerId: string; idempotencyKey: string }[] = [];
  /** Runs before every status answer: lets a test hold requests there, as a slow user service would. */
  beforeStatus: (playerId: string) => Promise<void> = async () => undefined;
  /** What wager does after ending the bonus, e.g. ask payment to remove the bonus balance. */
  onForfeit: (playerId: string, idempotencyKey: string) => Promise<void> = async () => undefined;
  private readonly statuses = new Map<string, Partial<PlayerStatus>>();
  private readonly bonuses = new Map<string, BonusView>();

  setStatus(playerId: string, status: Partial<PlayerStatus>): void {
    this.statuses.set(playerId, { ...this.statuses.get(playerId), ...status });
  }

  grantBonus(playerId: string, bonus: Partial<BonusView> = {}): BonusView {
    const view: BonusView = {
      id: randomUUID(),
      offerId: 'welcome-100',
      status: 'active',
      amount: 5_000,
      wageringRequired: 150_000,
      wagered: 12_000,
      createdAt: '2026-01-01T00:00:00.000Z',
      expiresAt: '2026-01-31T00:00:00.000Z',
      ...bonus,
    };
    this.bonuses.set(playerId, view);
    return view;
  }

  async playerStatus(playerId: string): Promise<PlayerStatus> {
    await this.beforeStatus(playerId);
    return {
      id: playerId,
      status: 'active',
      selfExcludedUntil: null,
      dailyDepositLimit: 500_000,
      pendingDepositLimit: null,
      ...this.statuses.get(playerId),
    } as PlayerStatus;
  }

  async activeBonus(playerId: string): Promise<BonusView | null> {
    return this.bonuses.get(playerId) ?? null;
  }

  async forfeitBonus(playerId: string, idempotencyKey: string): Promise<void> {
    this.forfeits.push({ playerId, idempotencyKey });
    this.bonuses.delete(playerId);
    await this.onForfeit(playerId, idempotencyKey);
  }
}

/** A clock tests can set; each reading moves it on by `tick` ms so entries sort in the order they were made. */
export class TestClock {
  private at: number;

  constructor(
    start = '2026-03-01T12:00:00.000Z',
    private readonly tick = 1,
  ) {
    this.at = new Date(start).getTime();
  }

  readonly now = (): Date => {
    const reading = new Date(this.at);
    this.at += this.tick;
    return reading;
  };

  set(iso: string): void {
    this.at = new Date(iso).getTime();
  }

  advance(ms: number): void {
    this.at += ms;
  }
}

/** The payment app over a fresh embedded store (or the given one), with fake peers and optionally a test clock. */
export function setup(options: { now?: () => Date; store?: Store } = {}) {
  const deps = testDeps('payment', { store: options.store });
  const peers = new FakePeers();
  const app = asItsCallers(createApp({ ...deps, peers, now: options.now }), 'payment', paymentCallers);
  return { app, deps, peers, stored: storedLedger(deps.store) };
}

export const newPlayer = (): string => randomUUID();
export const newKey = (label = 'key'): string => `${label}-${randomUUID()}`;
