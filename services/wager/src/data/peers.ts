import type { MovementResult, PlayerStatus, ServiceClient, TransactionView, WalletView } from '@casino/shared';

/** What wager needs from other services. */
export interface WagerPeers {
  playerStatus(playerId: string): Promise<PlayerStatus>;
  /** The player's first or latest deposit, or null if they have none. */
  deposit(playerId: string, which: 'first' | 'latest'): Promise<TransactionView | null>;
  creditBonus(playerId: string, bonusId: string, amount: number): Promise<WalletView>;
  convertBonus(playerId: string, bonusId: string): Promise<MovementResult>;
  forfeitBonus(playerId: string, bonusId: string): Promise<MovementResult>;
}

export function httpPeers(clients: { user: ServiceClient; payment: ServiceClient }): WagerPeers {
  const { user, payment } = clients;
  // Each settlement has one key per bonus, so a retry never moves the money twice.
  const settle = (playerId: string, bonusId: string, kind: 'conversions' | 'forfeits') =>
    payment.post<MovementResult>(`/wallets/${playerId}/bonus-${kind}`, { bonusId }, { idempotencyKey: `bonus:${bonusId}:${kind}` });
  return {
    playerStatus: (playerId) => user.get<PlayerStatus>(`/players/${playerId}/status`),
    deposit: async (playerId, which) => {
      const { items } = await payment.get<{ items: TransactionView[] }>(`/wallets/${playerId}/transactions`, {
        query: { type: 'deposit', limit: 1, order: which === 'first' ? 'asc' : 'desc' },
      });
      return items[0] ?? null;
    },
    creditBonus: async (playerId, bonusId, amount) =>
      (
        await payment.post<{ wallet: WalletView }>(
          `/wallets/${playerId}/bonus-credits`,
          { amount, bonusId },
          { idempotencyKey: `bonus:${bonusId}:credit` },
        )
      ).wallet,
    convertBonus: (playerId, bonusId) => settle(playerId, bonusId, 'conversions'),
    forfeitBonus: (playerId, bonusId) => settle(playerId, bonusId, 'forfeits'),
  };
}
