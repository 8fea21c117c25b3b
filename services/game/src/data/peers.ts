import type { MovementResult, PlayerStatus, ServiceClient, WagerResult } from '@casino/shared';

/** What a spin needs from other services. Each money call has a key derived from the round. */
export interface GamePeers {
  playerStatus(playerId: string): Promise<PlayerStatus>;
  debit(playerId: string, roundId: string, gameId: string, stake: number): Promise<MovementResult>;
  credit(playerId: string, roundId: string, gameId: string, win: number): Promise<MovementResult>;
  recordWager(playerId: string, roundId: string, stake: number): Promise<WagerResult>;
}

export function httpPeers(clients: { user: ServiceClient; payment: ServiceClient; wager: ServiceClient }): GamePeers {
  const { user, payment, wager } = clients;
  return {
    playerStatus: (playerId) => user.get<PlayerStatus>(`/players/${playerId}/status`),
    debit: (playerId, roundId, gameId, amount) =>
      payment.post<MovementResult>(`/wallets/${playerId}/bets`, { amount, roundId, gameId }, { idempotencyKey: `round:${roundId}:bet` }),
    credit: (playerId, roundId, gameId, amount) =>
      payment.post<MovementResult>(`/wallets/${playerId}/wins`, { amount, roundId, gameId }, { idempotencyKey: `round:${roundId}:win` }),
    // Counted once per round by wager itself; the key makes the call safe to retry.
    recordWager: (playerId, roundId, stake) =>
      wager.post<WagerResult>(`/players/${playerId}/wagers`, { roundId, stake }, { idempotencyKey: `round:${roundId}:wager` }),
  };
}
