import { annotate, Attr, signAccessToken } from '@casino/shared';
import { verifyPassword } from '../domain/credentials';
import { UserRuleError } from '../domain/errors';
import type { UserDeps } from './deps';

/** An access token for the right email and password; the same refusal whichever was wrong. */
export async function logIn(
  deps: UserDeps,
  input: { email: string; password: string },
): Promise<{ accessToken: string; tokenType: 'Bearer'; expiresIn: number }> {
  const found = await deps.players.credentialsByEmail(input.email);
  const ok = await verifyPassword(found?.passwordHash, input.password);
  if (!found || !ok) {
    deps.metrics.count('logins', { result: 'failure' });
    throw new UserRuleError('invalid-credentials', 'Email or password is wrong.');
  }
  annotate({ [Attr.playerId]: found.player.id });
  deps.metrics.count('logins', { result: 'success' });
  const { secret, expiresInSeconds } = deps.config.jwt;
  return { accessToken: signAccessToken(found.player.id, secret, expiresInSeconds), tokenType: 'Bearer', expiresIn: expiresInSeconds };
}
