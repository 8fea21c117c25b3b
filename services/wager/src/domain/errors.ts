import { RuleError } from '@casino/shared/rule-error';

export type WagerRule =
  | 'idempotency-key-reused'
  | 'offer-not-found'
  | 'self-excluded'
  | 'bonus-active'
  | 'offer-already-claimed'
  | 'deposit-required'
  | 'deposit-too-small'
  | 'deposit-already-used'
  | 'deposit-not-held';

/** A claim the bonus rules refuse, in the player's words. The API says each as a problem (api/problems.ts). */
export class WagerRuleError extends RuleError<WagerRule> {}
