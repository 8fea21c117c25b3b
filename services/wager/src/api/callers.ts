import type { CallerPolicy } from '@casino/shared';

/**
 * Who may call the wager service: players' bonuses through the gateway, each round's stake from
 * the game, and payment, which forfeits an active bonus when its player withdraws.
 */
export const wagerCallers: CallerPolicy = {
  'GET /reconciliation': ['gateway'],
  'GET /offers': ['gateway'],
  'GET /players/:playerId/bonuses/active': ['gateway', 'payment'],
  'GET /players/:playerId/bonuses': ['gateway'],
  'POST /players/:playerId/bonuses': ['gateway'],
  'POST /players/:playerId/wagers': ['game'],
  'POST /players/:playerId/bonuses/active/forfeit': ['payment'],
};
