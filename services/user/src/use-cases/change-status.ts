import type { PlayerStatus } from '@casino/shared';
import { playerNotFound } from '../domain/errors';
import { extendedExclusion, selfExclusionEnd, toStatus } from '../domain/players';
import type { UserDeps } from './deps';

async function change(
  deps: UserDeps,
  playerId: string,
  changes: { selfExcludedUntil?: Date; dailyDepositLimit?: number },
): Promise<PlayerStatus> {
  const player = await deps.players.update(playerId, changes, deps.now());
  if (!player) throw playerNotFound();
  await deps.statuses.forget(playerId);
  return toStatus(player, deps.now());
}

/** A new daily deposit limit, in force at once. */
export function setDepositLimit(deps: UserDeps, playerId: string, dailyDepositLimit: number): Promise<PlayerStatus> {
  return change(deps, playerId, { dailyDepositLimit });
}

/** Self-exclusion for `days` from now: it extends one that runs longer, never shortens it. */
export async function selfExclude(deps: UserDeps, playerId: string, days: number): Promise<PlayerStatus> {
  const player = await deps.players.byId(playerId);
  if (!player) throw playerNotFound();
  return change(deps, playerId, { selfExcludedUntil: extendedExclusion(player.selfExcludedUntil, selfExclusionEnd(deps.now(), days)) });
}
