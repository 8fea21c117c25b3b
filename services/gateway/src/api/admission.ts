import { AppError } from '@casino/shared';
import type { NextFunction, Request, Response } from 'express';

/**
 * Spins in flight, held to what the platform can answer in time: at most `perPlayer` of one
 * player's (429) and `total` of all (503), each with Retry-After. A spin is refused before it is
 * forwarded, so a refused spin moves no money, and the spins let in finish well within the
 * downstream timeout instead of queueing past it and being told "failed" about money that moved.
 */
export function admitSpins(limits: { perPlayer: number; total: number }) {
  const byPlayer = new Map<string, number>();
  let total = 0;
  return (_req: Request, res: Response, next: NextFunction): void => {
    const player = res.locals.playerId as string;
    const mine = byPlayer.get(player) ?? 0;
    if (mine >= limits.perPlayer)
      return next(refused(res, 429, 'too-many-spins', `At most ${limits.perPlayer} of your spins at once; retry when one has answered.`));
    if (total >= limits.total)
      return next(refused(res, 503, 'overloaded', 'The casino is answering as many spins as it can; retry in a moment.'));
    byPlayer.set(player, mine + 1);
    total++;
    // Once the answer is sent, or the client has gone.
    res.once('close', () => {
      total--;
      const left = (byPlayer.get(player) ?? 1) - 1;
      if (left > 0) byPlayer.set(player, left);
      else byPlayer.delete(player);
    });
    next();
  };
}

function refused(res: Response, status: 429 | 503, slug: string, detail: string): AppError {
  res.setHeader('retry-after', '1');
  return new AppError(status, { slug, title: status === 429 ? 'Too many requests' : 'Service unavailable', detail });
}
