import { AppError, euros, ruleProblems, type TransactionType } from '@casino/shared';
import { IdempotencyMismatchError, InProgressError, WalletBusyError } from '../data/ledger-errors';
import { PaymentRuleError } from '../domain/errors';
import { InsufficientFundsError } from '../domain/ledger';

/** Each rule's refusal as a problem: its status and title (the detail is the rule's words). */
const RULES = {
  'self-excluded': { status: 403, title: 'Forbidden' },
  'deposit-limit-exceeded': { status: 422, title: 'Deposit limit exceeded' },
  'wagering-open': { status: 409, title: 'Conflict' },
  'no-bet-for-round': { status: 409, title: 'Conflict' },
} as const;

/** How a player calls each movement. */
const MOVE: Record<TransactionType, string> = {
  deposit: 'deposit',
  withdrawal: 'withdrawal',
  bet: 'stake',
  win: 'win',
  bonus_credit: 'bonus credit',
  bonus_conversion: 'bonus conversion',
  bonus_forfeit: 'bonus forfeit',
};

/** The ledger's answers as problems the player can act on. */
function ledgerProblem(err: unknown): unknown {
  if (err instanceof InsufficientFundsError) {
    return AppError.unprocessable(
      'insufficient-funds',
      'Insufficient funds',
      `The ${MOVE[err.movement]} needs ${euros(err.needed)}; ${euros(err.available)} is available.`,
    );
  }
  if (err instanceof IdempotencyMismatchError) {
    return AppError.unprocessable(
      'idempotency-key-reused',
      'Idempotency key reused',
      'This Idempotency-Key was already used for a different request.',
    );
  }
  if (err instanceof InProgressError) {
    return AppError.conflict('request-in-progress', 'A request with this Idempotency-Key is still being processed; retry shortly.');
  }
  if (err instanceof WalletBusyError) {
    return new AppError(503, {
      slug: 'wallet-busy',
      title: 'Service unavailable',
      detail: 'The wallet is busy with other payments; retry shortly.',
    });
  }
  return err;
}

/** Payment's refusals and the ledger's answers as problems; everything else goes on to the kit's handler. */
export const paymentProblems = ruleProblems(PaymentRuleError, RULES, ledgerProblem);
