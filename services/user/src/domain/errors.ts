export type UserRule = 'email-taken' | 'invalid-credentials' | 'player-not-found';

/** What the user service refuses, in the player's words. The API says each as a problem (api/problems.ts). */
export class UserRuleError extends Error {
  override name = 'UserRuleError';

  constructor(
    readonly rule: UserRule,
    detail: string,
  ) {
    super(detail);
  }
}

export const playerNotFound = () => new UserRuleError('player-not-found', 'No such player.');
