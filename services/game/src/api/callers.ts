import type { CallerPolicy } from '@casino/shared';

/** Who may call the game service: the gateway alone. */
export const gameCallers: CallerPolicy = {
  'GET /reconciliation': ['gateway'],
  'GET /games': ['gateway'],
  'GET /games/:gameId': ['gateway'],
  'POST /players/:playerId/games/:gameId/spins': ['gateway'],
  'GET /players/:playerId/rounds': ['gateway'],
};
