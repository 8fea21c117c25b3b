import {
  AppError,
  type GameView,
  idempotencyKeyHeader,
  listLimit,
  parseInput,
  playerIdParam,
  type RoundView,
  slug,
  spinBody,
} from '@casino/shared';
import { type Request, Router } from 'express';
import { z } from 'zod';
import { play, type PlayDeps } from '../domain/play';
import { reconcileRounds } from '../domain/recovery';
import { findGame, GAMES, type SlotGame, statedRtp } from '../domain/slots';

export const gameView = (game: SlotGame): GameView => ({
  id: game.id,
  name: game.name,
  minStake: game.minStake,
  maxStake: game.maxStake,
  stakeStep: game.stakeStep,
  rtp: statedRtp(game),
});

export function gameRoutes(deps: PlayDeps): Router {
  const router = Router();

  const gameFrom = (req: Request): SlotGame => {
    const id = parseInput(slug, req.params.gameId, 'game id');
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
    const { result, replayed } = await play(deps, { playerId, game, stake, idempotencyKey });
    if (replayed) res.setHeader('idempotent-replayed', 'true');
    res.status(201).json(result);
  });

  router.get('/players/:playerId/rounds', async (req, res) => {
    const playerId = playerIdParam(req);
    const { limit } = parseInput(z.strictObject({ limit: listLimit }), req.query, 'query');
    const items: RoundView[] = (await deps.rounds.recent(playerId, limit)).map((r) => ({
      roundId: r._id,
      gameId: r.gameId,
      stake: r.stake,
      win: r.win ?? 0,
      reels: r.reels ?? [],
      createdAt: r.createdAt.toISOString(),
    }));
    res.json({ items });
  });

  return router;
}
