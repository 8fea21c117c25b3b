import type { BonusView, PlayerStatus, ServiceClient } from '@casino/shared';

/** What payment needs from other services. */
export interface PaymentPeers {
  playerStatus(playerId: string): Promise<PlayerStatus>;
  activeBonus(playerId: string): Promise<BonusView | null>;
  /** Ends the player's active bonus; wager then asks payment to remove the bonus balance. */
  forfeitBonus(playerId: string, idempotencyKey: string): Promise<void>;
}

export function httpPeers(clients: { user: ServiceClient; wager: ServiceClient }): PaymentPeers {
  return {
    playerStatus: (playerId) => clients.user.get<PlayerStatus>(`/players/${playerId}/status`),
    activeBonus: async (playerId) => (await clients.wager.get<{ bonus: BonusView | null }>(`/players/${playerId}/bonuses/active`)).bonus,
    forfeitBonus: async (playerId, idempotencyKey) => {
      await clients.wager.post(`/players/${playerId}/bonuses/active/forfeit`, { reason: 'withdrawal' }, { idempotencyKey });
    },
  };
}
