import { RuleError } from '@casino/shared/rule-error';

export type PaymentRule = 'self-excluded' | 'deposit-limit-exceeded' | 'wagering-open' | 'no-bet-for-round';

/** A money move the payment rules refuse, in the player's words. The API says each as a problem (api/problems.ts). */
export class PaymentRuleError extends RuleError<PaymentRule> {}
