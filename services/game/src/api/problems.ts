import { AppError } from '@casino/shared';
import type { ErrorRequestHandler } from 'express';
import { type GameRule, GameRuleError } from '../domain/errors';

/** Each of the game's refusals as a problem: its status and title (the detail is the rule's words). */
const PROBLEMS: Record<GameRule, { status: number; title: string }> = {
  'stake-out-of-range': { status: 422, title: 'Stake out of range' },
  'invalid-stake': { status: 422, title: 'Invalid stake' },
  'self-excluded': { status: 403, title: 'Forbidden' },
  'idempotency-key-reused': { status: 422, title: 'Idempotency key reused' },
};

/** Turns the domain's refusals into problems; everything else goes on to the kit's handler as it is. */
export const gameProblems: ErrorRequestHandler = (err, _req, _res, next) => {
  if (!(err instanceof GameRuleError)) return next(err);
  const { status, title } = PROBLEMS[err.rule];
  next(new AppError(status, { slug: err.rule, title, detail: err.message }));
};
