import {
  annotate,
  Attr,
  betBody,
  bonusCreditBody,
  bonusSettleBody,
  depositBody,
  idempotencyKeyHeader,
  type LedgerReconciliation,
  listLimit,
  parseInput,
  playerIdParam,
  sendProblem,
  TRANSACTION_TYPES,
  winBody,
  withdrawalBody,
} from '@casino/shared';
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import type { MoveResult } from '../data/ledger-repository';
import { creditBonus } from '../use-cases/credit-bonus';
import { deposit } from '../use-cases/deposit';
import type { MoveRequest, PaymentDeps } from '../use-cases/deps';
import { listTransactions } from '../use-cases/list-transactions';
import { payWin } from '../use-cases/pay-win';
import { readWallet } from '../use-cases/read-wallet';
import { settleBonus } from '../use-cases/settle-bonus';
import { takeStake } from '../use-cases/take-stake';
import { withdraw } from '../use-cases/withdraw';
import { paymentProblems } from './problems';

const transactionsQuery = z.strictObject({
  limit: listLimit,
  type: z.enum(TRANSACTION_TYPES).optional(),
  order: z.enum(['asc', 'desc']).default('desc'),
});

/** The wallet and the key a money move names. */
const moveOf = (req: Request): MoveRequest => ({ playerId: playerIdParam(req), idempotencyKey: idempotencyKeyHeader(req) });

/** A move's answer: 201 with the entry and the wallet, marked when it was a replay. */
function sendMove(res: Response, result: MoveResult): void {
  annotate({
    [Attr.transactionType]: result.transaction.type,
    [Attr.amount]: Math.abs(result.transaction.amount),
    [Attr.idempotentReplay]: result.replayed,
  });
  if (result.replayed) res.setHeader('idempotent-replayed', 'true');
  res.status(201).json({ transaction: result.transaction, wallet: result.wallet });
}

export function paymentRoutes(deps: PaymentDeps & { reconcile: () => Promise<LedgerReconciliation> }): Router {
  const router = Router();

  router.get('/reconciliation', async (_req, res) => {
    res.json(await deps.reconcile());
  });

  router.get('/wallets/:playerId', async (req, res) => {
    res.json(await readWallet(deps, playerIdParam(req)));
  });

  router.get('/wallets/:playerId/transactions', async (req, res) => {
    const playerId = playerIdParam(req);
    const { limit, type, order } = parseInput(transactionsQuery, req.query, 'query');
    res.json({ items: await listTransactions(deps, playerId, { limit, type, oldestFirst: order === 'asc' }) });
  });

  router.post('/wallets/:playerId/deposits', async (req, res) => {
    const move = moveOf(req);
    const { amount } = parseInput(depositBody, req.body);
    sendMove(res, await deposit(deps, move, amount));
  });

  router.post('/wallets/:playerId/withdrawals', async (req, res) => {
    const move = moveOf(req);
    sendMove(res, await withdraw(deps, move, parseInput(withdrawalBody, req.body)));
  });

  router.post('/wallets/:playerId/bets', async (req, res) => {
    const move = moveOf(req);
    const body = parseInput(betBody, req.body);
    annotate({ [Attr.roundId]: body.roundId, [Attr.gameId]: body.gameId, [Attr.stake]: body.amount });
    const taken = await takeStake(deps, move, body);
    if ('refusal' in taken) return sendProblem(res, taken.refusal);
    sendMove(res, taken.result);
  });

  router.post('/wallets/:playerId/wins', async (req, res) => {
    const move = moveOf(req);
    const body = parseInput(winBody, req.body);
    annotate({ [Attr.roundId]: body.roundId, [Attr.gameId]: body.gameId, [Attr.win]: body.amount });
    sendMove(res, await payWin(deps, move, body));
  });

  router.post('/wallets/:playerId/bonus-credits', async (req, res) => {
    const move = moveOf(req);
    const body = parseInput(bonusCreditBody, req.body);
    annotate({ [Attr.bonusId]: body.bonusId });
    sendMove(res, await creditBonus(deps, move, body));
  });

  const bonusSettlement = (type: 'bonus_conversion' | 'bonus_forfeit') => async (req: Request, res: Response) => {
    const move = moveOf(req);
    const body = parseInput(bonusSettleBody, req.body);
    annotate({ [Attr.bonusId]: body.bonusId });
    sendMove(res, await settleBonus(deps, move, { type, bonusId: body.bonusId }));
  };
  router.post('/wallets/:playerId/bonus-conversions', bonusSettlement('bonus_conversion'));
  router.post('/wallets/:playerId/bonus-forfeits', bonusSettlement('bonus_forfeit'));

  router.use(paymentProblems);
  return router;
}
