import { AppError, type GameView, idempotencyKeyHeader, listLimit, parseInput, playerIdParam, slug, spinBody } from '@casino/shared';
import { type Request, Router } from 'express';
import { z } from 'zod';
import { findGame, GAMES, type SlotGame, statedRtp } from '../domain/slots';
import type { SpinDeps } from '../use-cases/advance-round';
import { listRounds } from '../use-cases/list-rounds';
import { playSpin } from '../use-cases/play-spin';
import { reconcileRounds } from '../use-cases/reconcile-rounds';
import { gameProblems } from './problems';

export const gameView = (game: SlotGame): GameView => ({
  id: game.id,
  name: game.name,
  minStake: game.minStake,
  maxStake: game.maxStake,
  stakeStep: game.stakeStep,
  rtp: statedRtp(game),
});

export function gameRoutes(deps: SpinDeps): Router {
  const router = Router();

  const gameFrom = (req: Request): SlotGame => {
    const id = parseInput(slug, req.params.gameId, 'game id', 'gameId');
    const game = findGame(id);
    if (!game) throw AppError.notFound('game-not-found', `There is no game ${id}.`);
    return game;
  };

  router.get('/reconciliation', async (_req, res) => {
    res.json(await reconcileRounds(deps));
  });

  router.get('/games', (_req, res) => {
    res.json({ items: GAMES.map(gameView) });
  });

  router.get('/games/:gameId', (req, res) => {
    const game = gameFrom(req);
    res.json({ ...gameView(game), lines: game.lines.length, paytable: game.paytable, reels: game.reels });
  });

  router.post('/players/:playerId/games/:gameId/spins', async (req, res) => {
    const playerId = playerIdParam(req);
    const game = gameFrom(req);
    const idempotencyKey = idempotencyKeyHeader(req);
    const { stake } = parseInput(spinBody, req.body);
    const { result, replayed } = await playSpin(deps, { playerId, game, stake, idempotencyKey });
    if (replayed) res.setHeader('idempotent-replayed', 'true');
    res.status(201).json(result);
  });

  router.get('/players/:playerId/rounds', async (req, res) => {
    const playerId = playerIdParam(req);
    const { limit } = parseInput(z.strictObject({ limit: listLimit }), req.query, 'query');
    res.json({ items: await listRounds(deps.rounds, playerId, limit) });
  });

  router.use(gameProblems);
  return router;
}
