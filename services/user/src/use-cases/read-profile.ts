import type { PlayerProfile } from '@casino/shared';
import { playerNotFound } from '../domain/errors';
import { toProfile } from '../domain/players';
import type { UserDeps } from './deps';

export async function readProfile(deps: UserDeps, playerId: string): Promise<PlayerProfile> {
  const player = await deps.players.byId(playerId);
  if (!player) throw playerNotFound();
  return toProfile(player);
}
