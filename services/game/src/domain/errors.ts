import { RuleError } from '@casino/shared/rule-error';

export type GameRule = 'stake-out-of-range' | 'invalid-stake' | 'self-excluded' | 'idempotency-key-reused';

/** A spin the game's rules refuse, in the player's words. The API says each as a problem (api/problems.ts). */
export class GameRuleError extends RuleError<GameRule> {}
