import {
  annotate,
  Attr,
  type BonusReconciliation,
  claimBody,
  forfeitBody,
  idempotencyKeyHeader,
  listLimit,
  parseInput,
  playerIdParam,
  wagerBody,
} from '@casino/shared';
import { Router } from 'express';
import { z } from 'zod';
import { OFFERS, toView } from '../domain/bonuses';
import { activeBonus } from '../use-cases/active-bonus';
import { claimBonus } from '../use-cases/claim-bonus';
import type { WagerDeps } from '../use-cases/deps';
import { forfeitBonus } from '../use-cases/forfeit-bonus';
import { listBonuses } from '../use-cases/list-bonuses';
import { recordWager } from '../use-cases/record-wager';
import { wagerProblems } from './problems';

export function wagerRoutes(deps: WagerDeps & { reconcile: () => Promise<BonusReconciliation> }): Router {
  const router = Router();

  router.get('/reconciliation', async (_req, res) => {
    res.json(await deps.reconcile());
  });

  router.get('/offers', (_req, res) => {
    res.json({ items: OFFERS });
  });

  router.get('/players/:playerId/bonuses/active', async (req, res) => {
    const bonus = await activeBonus(deps, playerIdParam(req));
    if (bonus) annotate({ [Attr.bonusId]: bonus.id });
    res.json({ bonus: bonus && toView(bonus) });
  });

  router.get('/players/:playerId/bonuses', async (req, res) => {
    const playerId = playerIdParam(req);
    const { limit } = parseInput(z.strictObject({ limit: listLimit }), req.query, 'query');
    res.json({ items: (await listBonuses(deps, playerId, limit)).map(toView) });
  });

  router.post('/players/:playerId/bonuses', async (req, res) => {
    const playerId = playerIdParam(req);
    const idempotencyKey = idempotencyKeyHeader(req);
    const { offerId } = parseInput(claimBody, req.body);
    annotate({ [Attr.offerId]: offerId });
    const { bonus, replayed } = await claimBonus(deps, { playerId, idempotencyKey, offerId });
    if (replayed) res.setHeader('idempotent-replayed', 'true');
    res.status(201).json({ bonus: toView(bonus) });
  });

  router.post('/players/:playerId/wagers', async (req, res) => {
    const playerId = playerIdParam(req);
    const { roundId, stake } = parseInput(wagerBody, req.body);
    annotate({ [Attr.roundId]: roundId, [Attr.stake]: stake });
    const { bonus, wallet } = await recordWager(deps, { playerId, roundId, stake });
    res.json({ bonus: bonus && toView(bonus), ...(wallet ? { wallet } : {}) });
  });

  router.post('/players/:playerId/bonuses/active/forfeit', async (req, res) => {
    const playerId = playerIdParam(req);
    const { reason } = parseInput(forfeitBody, req.body);
    const { bonus, wallet } = await forfeitBonus(deps, { playerId, reason });
    res.json({ bonus: bonus && toView(bonus), ...(wallet ? { wallet } : {}) });
  });

  router.use(wagerProblems);
  return router;
}
