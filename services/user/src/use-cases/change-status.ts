import type { PlayerStatus } from '@casino/shared';
import { playerNotFound } from '../domain/errors';
import { extendedExclusion, limitChange, type Player, selfExclusionEnd, toStatus } from '../domain/players';
import type { UserDeps } from './deps';

async function change(
  deps: UserDeps,
  playerId: string,
  changes: Partial<Pick<Player, 'selfExcludedUntil' | 'dailyDepositLimit' | 'pendingDepositLimit'>>,
): Promise<PlayerStatus> {
  const player = await deps.players.update(playerId, changes, deps.now());
  if (!player) throw playerNotFound();
  await deps.statuses.put(playerId, player);
  return toStatus(player, deps.now());
}

/**
 * A new daily deposit limit: a lower one at once, a higher one after the cooling-off period
 * (DEPOSIT_LIMIT_COOLING_OFF_HOURS), none higher while self-excluded.
 */
export async function setDepositLimit(deps: UserDeps, playerId: string, dailyDepositLimit: number): Promise<PlayerStatus> {
  const player = await deps.players.byId(playerId);
  if (!player) throw playerNotFound();
  return change(deps, playerId, limitChange(player, dailyDepositLimit, deps.now(), deps.config.depositLimitCoolingOffMs));
}

/** Self-exclusion for `days` from now: it extends one that runs longer, never shortens it. */
export async function selfExclude(deps: UserDeps, playerId: string, days: number): Promise<PlayerStatus> {
  const player = await deps.players.byId(playerId);
  if (!player) throw playerNotFound();
  return change(deps, playerId, { selfExcludedUntil: extendedExclusion(player.selfExcludedUntil, selfExclusionEnd(deps.now(), days)) });
}
