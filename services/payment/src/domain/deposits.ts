import type { PlayerStatus } from '@casino/shared/contracts';
import { euros } from '@casino/shared/validation';
import { PaymentRuleError } from './errors';

/** Deposits are closed while the player is self-excluded: the refusal, or null when they may deposit. */
export function selfExclusionRefusal(status: PlayerStatus): PaymentRuleError | null {
  return status.status === 'self_excluded'
    ? new PaymentRuleError('self-excluded', `Deposits are closed while you are self-excluded (until ${status.selfExcludedUntil}).`)
    : null;
}

/**
 * The refusal of a deposit past the daily limit, with what is left today. The limit itself is held
 * by an atomic reservation (data/deposit-limit-repository.ts), so parallel deposits cannot pass it.
 */
export const depositLimitExceeded = (limit: number, used: number): PaymentRuleError =>
  new PaymentRuleError(
    'deposit-limit-exceeded',
    `Your daily deposit limit is ${euros(limit)}; ${euros(Math.max(0, limit - used))} is left today.`,
  );
