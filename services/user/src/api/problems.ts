import { AppError } from '@casino/shared';
import type { ErrorRequestHandler } from 'express';
import { type UserRule, UserRuleError } from '../domain/errors';

/** Each refusal as a problem: its status and title (the detail is the rule's words). */
const PROBLEMS: Record<UserRule, { status: number; title: string }> = {
  'email-taken': { status: 409, title: 'Conflict' },
  'invalid-credentials': { status: 401, title: 'Unauthorized' },
  'player-not-found': { status: 404, title: 'Not found' },
};

/** Turns the user service's refusals into problems; everything else goes on to the kit's handler. */
export const userProblems: ErrorRequestHandler = (err, _req, _res, next) => {
  if (!(err instanceof UserRuleError)) return next(err);
  next(new AppError(PROBLEMS[err.rule].status, { slug: err.rule, title: PROBLEMS[err.rule].title, detail: err.message }));
};
