import { AppError } from '@casino/shared';
import type { ErrorRequestHandler } from 'express';
import { type WagerRule, WagerRuleError } from '../domain/errors';

/** Each refusal as a problem: its status and title (the detail is the rule's words). */
const PROBLEMS: Record<WagerRule, { status: number; title: string }> = {
  'idempotency-key-reused': { status: 422, title: 'Idempotency key reused' },
  'offer-not-found': { status: 404, title: 'Not found' },
  'self-excluded': { status: 403, title: 'Forbidden' },
  'bonus-active': { status: 409, title: 'Conflict' },
  'offer-already-claimed': { status: 409, title: 'Conflict' },
  'deposit-required': { status: 422, title: 'Deposit required' },
  'deposit-too-small': { status: 422, title: 'Deposit too small' },
  'deposit-already-used': { status: 409, title: 'Conflict' },
};

/** Turns the wager service's refusals into problems; everything else goes on to the kit's handler. */
export const wagerProblems: ErrorRequestHandler = (err, _req, _res, next) => {
  if (!(err instanceof WagerRuleError)) return next(err);
  next(new AppError(PROBLEMS[err.rule].status, { slug: err.rule, title: PROBLEMS[err.rule].title, detail: err.message }));
};
