import { randomUUID } from 'node:crypto';
import { annotate, Attr, type PlayerProfile, signAccessToken } from '@casino/shared';
import { EmailTakenError } from '../data/player-repository';
import { hashPassword } from '../domain/credentials';
import { UserRuleError } from '../domain/errors';
import { DEFAULT_DAILY_DEPOSIT_LIMIT, defaultDisplayName, type Player, toProfile } from '../domain/players';
import type { UserDeps } from './deps';

/** A new player with the default deposit limit, and an access token to play with at once. */
export async function register(
  deps: UserDeps,
  input: { email: string; password: string; displayName?: string },
): Promise<{ player: PlayerProfile; accessToken: string }> {
  const player: Player = {
    id: randomUUID(),
    email: input.email,
    displayName: input.displayName ?? defaultDisplayName(input.email),
    createdAt: deps.now(),
    selfExcludedUntil: null,
    dailyDepositLimit: DEFAULT_DAILY_DEPOSIT_LIMIT,
    pendingDepositLimit: null,
  };
  try {
    await deps.players.create(player, await hashPassword(input.password));
  } catch (err) {
    if (err instanceof EmailTakenError) throw new UserRuleError('email-taken', 'An account with this email already exists.');
    throw err;
  }
  annotate({ [Attr.playerId]: player.id });
  deps.metrics.count('registrations');
  return { player: toProfile(player), accessToken: signAccessToken(player.id, deps.config.jwt.secret, deps.config.jwt.expiresInSeconds) };
}
