import type { CallerPolicy } from '@casino/shared';

/**
 * Who may call the payment service: players' own moves through the gateway, stakes and wins from
 * the game, bonus money from wager, which also reads a wallet and its deposits for a claim.
 */
export const paymentCallers: CallerPolicy = {
  'GET /reconciliation': ['gateway'],
  'GET /wallets/:playerId': ['gateway', 'wager'],
  'GET /wallets/:playerId/transactions': ['gateway', 'wager'],
  'POST /wallets/:playerId/deposits': ['gateway'],
  'POST /wallets/:playerId/withdrawals': ['gateway'],
  'POST /wallets/:playerId/bets': ['game'],
  'POST /wallets/:playerId/wins': ['game'],
  'POST /wallets/:playerId/bonus-credits': ['wager'],
  'POST /wallets/:playerId/bonus-conversions': ['wager'],
  'POST /wallets/:playerId/bonus-forfeits': ['wager'],
};
