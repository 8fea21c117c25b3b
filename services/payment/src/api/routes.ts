import {
  AppError,
  annotate,
  Attr,
  betBody,
  bonusCreditBody,
  bonusSettleBody,
  depositBody,
  euros,
  type LedgerReconciliation,
  listLimit,
  type Metrics,
  parseInput,
  idempotencyKeyHeader,
  playerIdParam,
  type Scenarios,
  sendProblem,
  TRANSACTION_TYPES,
  winBody,
  withdrawalBody,
} from '@casino/shared';
import { type Request, type Response, Router } from 'express';
import { z } from 'zod';
import { InsufficientFundsError, type Movement, utcDay } from '../domain/ledger';
import type { DepositLimitRepository } from '../data/deposit-limit-repository';
import {
  IdempotencyMismatchError,
  InProgressError,
  type LedgerRepository,
  type MoveResult,
  WalletBusyError,
  walletView,
} from '../data/ledger-repository';
import type { PaymentPeers } from '../data/peers';
import { stakeProvider } from './payment-failures';

export interface PaymentRouteDeps {
  ledger: LedgerRepository;
  /** Every wallet checked against its ledger, for `npm run reconcile`. */
  reconcile: () => Promise<LedgerReconciliation>;
  limits: DepositLimitRepository;
  peers: PaymentPeers;
  metrics: Metrics;
  scenarios: Scenarios;
  now?: () => Date;
}

const transactionsQuery = z.strictObject({
  limit: listLimit,
  type: z.enum(TRANSACTION_TYPES).optional(),
  order: z.enum(['asc', 'desc']).default('desc'),
});

/** The ledger's refusals as problems the player can act on. */
function toProblem(err: unknown, what: string): unknown {
  if (err instanceof InsufficientFundsError) {
    return AppError.unprocessable(
      'insufficient-funds',
      'Insufficient funds',
      `The ${what} needs ${euros(err.needed)}; ${euros(err.available)} is available.`,
    );
  }
  if (err instanceof IdempotencyMismatchError) {
    return AppError.unprocessable(
      'idempotency-key-reused',
      'Idempotency key reused',
      'This Idempotency-Key was already used for a different request.',
    );
  }
  if (err instanceof InProgressError) {
    return AppError.conflict('request-in-progress', 'A request with this Idempotency-Key is still being processed; retry shortly.');
  }
  if (err instanceof WalletBusyError) {
    return new AppError(503, {
      slug: 'wallet-busy',
      title: 'Service unavailable',
      detail: 'The wallet is busy with other payments; retry shortly.',
    });
  }
  return err;
}

export function paymentRoutes({ ledger, reconcile, limits, peers, metrics, scenarios, now = () => new Date() }: PaymentRouteDeps): Router {
  const router = Router();

  router.get('/reconciliation', async (_req, res) => {
    res.json(await reconcile());
  });

  const send = (res: Response, result: MoveResult) => {
    annotate({
      [Attr.transactionType]: result.transaction.type,
      [Attr.amount]: Math.abs(result.transaction.amount),
      [Attr.idempotentReplay]: result.replayed,
    });
    if (result.replayed) res.setHeader('idempotent-replayed', 'true');
    res.status(201).json({ transaction: result.transaction, wallet: result.wallet });
  };

  const moving = async <T>(what: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (err) {
      throw toProblem(err, what);
    }
  };

  router.get('/wallets/:playerId', async (req, res) => {
    res.json(walletView(await ledger.balances(playerIdParam(req))));
  });

  router.get('/wallets/:playerId/transactions', async (req, res) => {
    const id = playerIdParam(req);
    const query = parseInput(transactionsQuery, req.query, 'query');
    const oneByOne = scenarios.active('n-plus-one') !== undefined;
    res.json({
      items: await ledger.transactions(id, { limit: query.limit, type: query.type, oldestFirst: query.order === 'asc', oneByOne }),
    });
  });

  router.post('/wallets/:playerId/deposits', async (req, res) => {
    const id = playerIdParam(req);
    const key = idempotencyKeyHeader(req);
    const { amount } = parseInput(depositBody, req.body);
    const movement: Movement = { type: 'deposit', amount };
    const replay = await moving('deposit', () => ledger.replay(id, key, movement));
    if (replay) return send(res, replay);

    const status = await peers.playerStatus(id);
    if (status.status === 'self_excluded') {
      metrics.count('deposits', { status: 'rejected' });
      throw AppError.forbidden('self-excluded', `Deposits are closed while you are self-excluded (until ${status.selfExcludedUntil}).`);
    }
    const day = utcDay(now());
    if (!(await limits.reserve(id, day, amount, status.dailyDepositLimit, now()))) {
      metrics.count('deposits', { status: 'rejected' });
      const used = await limits.used(id, day);
      throw AppError.unprocessable(
        'deposit-limit-exceeded',
        'Deposit limit exceeded',
        `Your daily deposit limit is ${euros(status.dailyDepositLimit)}; ${euros(Math.max(0, status.dailyDepositLimit - used))} is left today.`,
      );
    }
    let result: MoveResult;
    try {
      result = await moving('deposit', () => ledger.move(id, key, movement, null));
    } catch (err) {
      await limits.release(id, day, amount, now());
      throw err;
    }
    // A concurrent request with the same key got there first and already counts toward the limit.
    if (result.replayed) await limits.release(id, day, amount, now());
    if (!result.replayed) {
      metrics.count('deposits', { status: 'succeeded' });
      metrics.count('depositCents', {}, amount);
    }
    send(res, result);
  });

  router.post('/wallets/:playerId/withdrawals', async (req, res) => {
    const id = playerIdParam(req);
    const key = idempotencyKeyHeader(req);
    const body = parseInput(withdrawalBody, req.body);
    const movement: Movement = { type: 'withdrawal', amount: body.amount };
    const replay = await moving('withdrawal', () => ledger.replay(id, key, movement));
    if (replay) return send(res, replay);

    const { cash } = await ledger.balances(id);
    if (body.amount > cash) {
      metrics.count('withdrawals', { status: 'rejected' });
      throw toProblem(new InsufficientFundsError(body.amount, cash), 'withdrawal');
    }
    const bonus = await peers.activeBonus(id);
    if (bonus) {
      if (!body.forfeitBonus) {
        metrics.count('withdrawals', { status: 'rejected' });
        throw AppError.conflict(
          'wagering-open',
          `Wagering is open on your bonus (${euros(bonus.wagered)} of ${euros(bonus.wageringRequired)} wagered). ` +
            'A withdrawal now forfeits the bonus: send forfeitBonus: true to go ahead.',
        );
      }
      await peers.forfeitBonus(id, `${key}:forfeit`);
    }
    try {
      const result = await moving('withdrawal', () => ledger.move(id, key, movement, null));
      if (!result.replayed) {
        metrics.count('withdrawals', { status: 'succeeded' });
        metrics.count('withdrawalCents', {}, body.amount);
      }
      send(res, result);
    } catch (err) {
      metrics.count('withdrawals', { status: 'rejected' });
      throw err;
    }
  });

  const provider = stakeProvider(scenarios, metrics);
  router.post('/wallets/:playerId/bets', async (req, res) => {
    const id = playerIdParam(req);
    const key = idempotencyKeyHeader(req);
    const body = parseInput(betBody, req.body);
    annotate({ [Attr.roundId]: body.roundId, [Attr.gameId]: body.gameId, [Attr.stake]: body.amount });
    const movement: Movement = { type: 'bet', amount: body.amount };
    if (scenarios.active('payment-failures')) {
      // A stake the ledger already took replays as taken; only a new one goes to the provider.
      const replay = await moving('stake', () => ledger.replay(id, key, movement));
      if (replay) return send(res, replay);
      // Answered here, not thrown: the central handler would report every retry of the bet again.
      const refusal = provider({ playerId: id, idempotencyKey: key, ...body });
      if (refusal) return sendProblem(res, refusal);
    }
    send(res, await moving('stake', () => ledger.move(id, key, movement, body.roundId)));
  });

  router.post('/wallets/:playerId/wins', async (req, res) => {
    const id = playerIdParam(req);
    const key = idempotencyKeyHeader(req);
    const body = parseInput(winBody, req.body);
    annotate({ [Attr.roundId]: body.roundId, [Attr.gameId]: body.gameId, [Attr.win]: body.amount });
    const stake = await ledger.stakeOf(id, body.roundId);
    if (!stake) throw AppError.conflict('no-bet-for-round', "A win needs the round's bet to be settled first.");
    send(res, await moving('win', () => ledger.move(id, key, { type: 'win', amount: body.amount, stake }, body.roundId)));
  });

  router.post('/wallets/:playerId/bonus-credits', async (req, res) => {
    const id = playerIdParam(req);
    const key = idempotencyKeyHeader(req);
    const body = parseInput(bonusCreditBody, req.body);
    annotate({ [Attr.bonusId]: body.bonusId });
    send(res, await moving('bonus credit', () => ledger.move(id, key, { type: 'bonus_credit', amount: body.amount }, body.bonusId)));
  });

  const settleBonus = (type: 'bonus_conversion' | 'bonus_forfeit') => async (req: Request, res: Response) => {
    const id = playerIdParam(req);
    const key = idempotencyKeyHeader(req);
    const body = parseInput(bonusSettleBody, req.body);
    annotate({ [Attr.bonusId]: body.bonusId });
    send(res, await moving(type.replace('_', ' '), () => ledger.move(id, key, { type }, body.bonusId)));
  };
  router.post('/wallets/:playerId/bonus-conversions', settleBonus('bonus_conversion'));
  router.post('/wallets/:playerId/bonus-forfeits', settleBonus('bonus_forfeit'));

  return router;
}
