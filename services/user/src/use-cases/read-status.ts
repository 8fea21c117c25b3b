import type { PlayerStatus } from '@casino/shared';
import { playerNotFound } from '../domain/errors';
import { toStatus } from '../domain/players';
import type { UserDeps } from './deps';

/** Whether the player may play and deposit, and their daily limit: from the cache when it has it. */
export async function readStatus(deps: UserDeps, playerId: string): Promise<PlayerStatus> {
  const { players, statuses, faults, now } = deps;
  faults.statusRequested(playerId);
  // The slow read must really reach the store, so the status cache is neither read nor written.
  const slowRead = faults.slowStatusRead();
  if (slowRead) {
    const player = await slowRead(playerId);
    if (!player) throw playerNotFound();
    return toStatus(player, now());
  }
  const cached = await statuses.get(playerId);
  if (cached) return toStatus({ id: playerId, ...cached }, now());
  const player = await players.byId(playerId);
  if (!player) throw playerNotFound();
  await statuses.fill(playerId, player);
  return toStatus(player, now());
}
