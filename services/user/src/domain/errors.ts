import { RuleError } from '@casino/shared/rule-error';

export type UserRule = 'email-taken' | 'invalid-credentials' | 'player-not-found' | 'self-excluded';

/** What the user service refuses, in the player's words. The API says each as a problem (api/problems.ts). */
export class UserRuleError extends RuleError<UserRule> {}

export const playerNotFound = () => new UserRuleError('player-not-found', 'No such player.');
