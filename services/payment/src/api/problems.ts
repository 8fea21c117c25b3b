import { AppError, euros, type TransactionType } from '@casino/shared';
import type { ErrorRequestHandler } from 'express';
import { IdempotencyMismatchError, InProgressError, WalletBusyError } from '../data/ledger-errors';
import { type PaymentRule, PaymentRuleError } from '../domain/errors';
import { InsufficientFundsError } from '../domain/ledger';

/** Each rule's refusal as a problem: its status and title (the detail is the rule's words). */
const RULES: Record<PaymentRule, { status: number; title: string }> = {
  'self-excluded': { status: 403, title: 'Forbidden' },
  'deposit-limit-exceeded': { status: 422, title: 'Deposit limit exceeded' },
  'wagering-open': { status: 409, title: 'Conflict' },
  'no-bet-for-round': { status: 409, title: 'Conflict' },
};

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

/** Payment's refusals and the ledger's answers as problems the player can act on. */
export function problemOf(err: unknown): unknown {
  if (err instanceof PaymentRuleError)
    return new AppError(RULES[err.rule].status, { slug: err.rule, ...RULES[err.rule], detail: err.message });
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

/** Turns payment's refusals into problems; everything else goes on to the kit's handler as it is. */
export const paymentProblems: ErrorRequestHandler = (err, _req, _res, next) => next(problemOf(err));
