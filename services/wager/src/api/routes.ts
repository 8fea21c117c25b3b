import { randomUUID } from 'node:crypto';
import {
  AppError,
  annotate,
  type BonusReconciliation,
  Attr,
  claimBody,
  forfeitBody,
  listLimit,
  type Metrics,
  parseInput,
  idempotencyKeyHeader,
  playerIdParam,
  type Scenarios,
  type WalletView,
  wagerBody,
} from '@casino/shared';
import { Router } from 'express';
import { z } from 'zod';
import {
  type Bonus,
  bonusAmount,
  expiresAt,
  findOffer,
  isExpired,
  isWageringComplete,
  OFFERS,
  ONCE_PER_PLAYER,
  toView,
  wageringRequired,
} from '../domain/bonuses';
import { type BonusRepository, ClaimConflictError } from '../data/bonus-repository';
import type { WagerPeers } from '../data/peers';

export interface WagerRouteDeps {
  bonuses: BonusRepository;
  /** Every bonus checked against its wagers, for `npm run reconcile`. */
  reconcile: () => Promise<BonusReconciliation>;
  peers: WagerPeers;
  metrics: Metrics;
  scenarios: Scenarios;
  now?: () => Date;
}

type Ending = 'completed' | 'forfeited' | 'expired';

export function wagerRoutes({ bonuses, reconcile, peers, metrics, scenarios, now = () => new Date() }: WagerRouteDeps): Router {
  const router = Router();

  router.get('/reconciliation', async (_req, res) => {
    res.json(await reconcile());
  });

  /**
   * Ends a bonus. The money moves first (idempotently, one key per bonus), then the bonus changes
   * state: if anything fails in between, the next call finishes the job without moving money twice.
   */
  const end = async (bonus: Bonus, ending: Ending): Promise<{ bonus: Bonus; wallet: WalletView }> => {
    const moved =
      ending === 'completed' ? await peers.convertBonus(bonus.playerId, bonus.id) : await peers.forfeitBonus(bonus.playerId, bonus.id);
    const settled = await bonuses.settle(bonus.id, ending, now());
    if (settled) {
      if (ending === 'completed') {
        metrics.count('bonusConversions', { offer_id: bonus.offerId });
        metrics.count('bonusConvertedCents', {}, moved.transaction.cash);
      } else {
        metrics.count('bonusForfeits', { reason: ending === 'expired' ? 'expired' : 'forfeited' });
      }
    }
    return { bonus: settled ?? { ...bonus, status: ending }, wallet: moved.wallet };
  };

  /** The active bonus, expiring it first if its time is up. */
  const current = async (playerId: string): Promise<Bonus | null> => {
    const bonus = await bonuses.active(playerId);
    if (!bonus) return null;
    if (!isExpired(bonus, now())) return bonus;
    await end(bonus, 'expired');
    return null;
  };

  router.get('/offers', (_req, res) => {
    res.json({ items: OFFERS });
  });

  router.get('/players/:playerId/bonuses/active', async (req, res) => {
    const bonus = await current(playerIdParam(req));
    if (bonus) annotate({ [Attr.bonusId]: bonus.id });
    res.json({ bonus: bonus && toView(bonus) });
  });

  router.get('/players/:playerId/bonuses', async (req, res) => {
    const id = playerIdParam(req);
    const { limit } = parseInput(z.strictObject({ limit: listLimit }), req.query, 'query');
    const oneByOne = scenarios.active('n-plus-one') !== undefined;
    res.json({ items: (await bonuses.history(id, limit, { oneByOne })).map(toView) });
  });

  router.post('/players/:playerId/bonuses', async (req, res) => {
    const id = playerIdParam(req);
    const key = idempotencyKeyHeader(req);
    const { offerId } = parseInput(claimBody, req.body);
    annotate({ [Attr.offerId]: offerId });

    const replay = async (bonus: Bonus) => {
      if (bonus.offerId !== offerId) {
        throw AppError.unprocessable(
          'idempotency-key-reused',
          'Idempotency key reused',
          'This Idempotency-Key was already used for a different request.',
        );
      }
      // Re-sending the credit is safe (it has its own key) and finishes a claim that stopped half-way.
      await peers.creditBonus(id, bonus.id, bonus.amount);
      annotate({ [Attr.bonusId]: bonus.id, [Attr.idempotentReplay]: true });
      res.setHeader('idempotent-replayed', 'true');
      res.status(201).json({ bonus: toView(bonus) });
    };
    const earlier = await bonuses.byKey(id, key);
    if (earlier) return replay(earlier);

    const offer = findOffer(offerId);
    if (!offer) throw AppError.notFound('offer-not-found', `There is no offer ${offerId}.`);
    const refuse = (error: AppError) => {
      metrics.count('bonusClaims', { offer_id: offer.id, status: 'rejected' });
      return error;
    };
    const status = await peers.playerStatus(id);
    if (status.status === 'self_excluded')
      throw refuse(AppError.forbidden('self-excluded', 'Bonuses are closed while you are self-excluded.'));
    if (await current(id)) throw refuse(AppError.conflict('bonus-active', 'You already have an active bonus; finish or forfeit it first.'));
    if (ONCE_PER_PLAYER.has(offer.id) && (await bonuses.hasClaimed(id, offer.id))) {
      throw refuse(AppError.conflict('offer-already-claimed', 'This offer can be claimed once per player.'));
    }
    const deposit = await peers.deposit(id, offer.qualifyingDeposit);
    if (!deposit) throw refuse(AppError.unprocessable('deposit-required', 'Deposit required', 'This offer needs a deposit first.'));

    const at = now();
    const amount = bonusAmount(offer, deposit.amount);
    // A deposit too small to earn a whole cent would store an empty bonus that payment refuses to credit.
    if (amount <= 0)
      throw refuse(AppError.unprocessable('deposit-too-small', 'Deposit too small', 'That deposit is too small to earn this bonus.'));
    const bonus: Bonus = {
      id: randomUUID(),
      playerId: id,
      offerId: offer.id,
      status: 'active',
      amount,
      wageringRequired: wageringRequired(offer, amount),
      wagered: 0,
      depositId: deposit.id,
      createdAt: at,
      expiresAt: expiresAt(offer, at),
    };
    try {
      await bonuses.create(bonus, key);
    } catch (err) {
      if (!(err instanceof ClaimConflictError)) throw err;
      if (err.reason === 'replay') return replay((await bonuses.byKey(id, key))!);
      if (err.reason === 'deposit-used') {
        throw refuse(AppError.conflict('deposit-already-used', 'That deposit already earned a bonus; deposit again to claim this offer.'));
      }
      throw refuse(AppError.conflict('bonus-active', 'You already have an active bonus; finish or forfeit it first.'));
    }
    annotate({ [Attr.bonusId]: bonus.id, [Attr.amount]: amount });
    await peers.creditBonus(id, bonus.id, amount);
    metrics.count('bonusClaims', { offer_id: offer.id, status: 'claimed' });
    metrics.count('bonusCreditedCents', { offer_id: offer.id }, amount);
    res.status(201).json({ bonus: toView(bonus) });
  });

  router.post('/players/:playerId/wagers', async (req, res) => {
    const id = playerIdParam(req);
    const { roundId, stake } = parseInput(wagerBody, req.body);
    annotate({ [Attr.roundId]: roundId, [Attr.stake]: stake });
    const bonus = await current(id);
    if (!bonus) {
      res.json({ bonus: null });
      return;
    }
    annotate({ [Attr.bonusId]: bonus.id });
    const after = (await bonuses.addWager(bonus, roundId, stake, now())) ?? (await bonuses.active(id)) ?? bonus;
    if (after.status !== 'active' || !isWageringComplete(after)) {
      res.json({ bonus: toView(after) });
      return;
    }
    const ended = await end(after, 'completed');
    res.json({ bonus: toView(ended.bonus), wallet: ended.wallet });
  });

  router.post('/players/:playerId/bonuses/active/forfeit', async (req, res) => {
    const id = playerIdParam(req);
    const { reason } = parseInput(forfeitBody, req.body);
    const bonus = await bonuses.active(id);
    if (!bonus) {
      res.json({ bonus: null });
      return;
    }
    annotate({ [Attr.bonusId]: bonus.id });
    // A bonus whose time is already up ends as expired, whatever the caller's reason.
    const ended = await end(bonus, reason === 'expired' || isExpired(bonus, now()) ? 'expired' : 'forfeited');
    res.json({ bonus: toView(ended.bonus), wallet: ended.wallet });
  });

  return router;
}
