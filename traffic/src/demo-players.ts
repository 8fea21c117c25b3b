/**
 * What the simulated players (this package) and the seeded ones (`npm run seed`) have in common:
 * their names, the stakes a game accepts, and the range of the seeds they follow.
 */
import type { GameView } from '@casino/shared/contracts';

/** Seeds are 32-bit: what the PRNG holds. */
export const MAX_SEED = 2 ** 32 - 1;

export const FIRST_NAMES = [
  'Ada',
  'Alan',
  'Anita',
  'Barbara',
  'Bjarne',
  'Claude',
  'Dennis',
  'Donald',
  'Edsger',
  'Frances',
  'Grace',
  'Guido',
  'Hedy',
  'Joan',
  'John',
  'Katherine',
  'Ken',
  'Linus',
  'Margaret',
  'Mary',
  'Niklaus',
  'Radia',
  'Sophie',
  'Tim',
];

/** The stake nearest `wanted` that the game accepts: within its range and a multiple of its step. */
export function fitStake(game: GameView, wanted: number): number {
  const step = game.stakeStep;
  const lowest = Math.ceil(game.minStake / step) * step;
  const highest = Math.floor(game.maxStake / step) * step;
  return Math.min(highest, Math.max(lowest, Math.round(wanted / step) * step));
}
