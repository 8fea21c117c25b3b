import type { MovementResult, PlayerStatus, ServiceClient, TransactionView, WalletView } from '@casino/shared';
import type { QualifyingDeposit } from '../domain/bonuses';

/** What wager needs from other services. */
export interface WagerPeers {
  playerStatus(playerId: string): Promise<PlayerStatus>;
  /**
   * The player's first or latest deposit, or null if they have none, with the wallet's cash now
   * and whether anything was withdrawn after it.
   */
  qualifyingDeposit(playerId: string, which: 'first' | 'latest'): Promise<QualifyingDeposit | null>;
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
    qualifyingDeposit: async (playerId, which) => {
      const one = (type: string, order: 'asc' | 'desc') =>
        payment.get<{ items: TransactionView[] }>(`/wallets/${playerId}/transactions`, { query: { type, limit: 1, order } });
      const [deposits, withdrawals, wallet] = await Promise.all([
        one('deposit', which === 'first' ? 'asc' : 'desc'),
        one('withdrawal', 'desc'),
        payment.get<WalletView>(`/wallets/${playerId}`),
      ]);
      const deposit = deposits.items[0];
      if (!deposit) return null;
      const withdrawal = withdrawals.items[0];
      return { deposit, cash: wallet.cash, withdrawnSince: withdrawal !== undefined && withdrawal.createdAt >= deposit.createdAt };
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
