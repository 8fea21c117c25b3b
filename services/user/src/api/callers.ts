import type { CallerPolicy } from '@casino/shared';

/** Who may call the user service: the gateway for players, the others for a player's status. */
export const userCallers: CallerPolicy = {
  'POST /players': ['gateway'],
  'POST /sessions': ['gateway'],
  'GET /players/:playerId': ['gateway'],
  'GET /players/:playerId/status': ['game', 'payment', 'wager'],
  'PUT /players/:playerId/limits': ['gateway'],
  'POST /players/:playerId/self-exclusion': ['gateway'],
};
