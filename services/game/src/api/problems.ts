import { ruleProblems } from '@casino/shared';
import { GameRuleError } from '../domain/errors';

/** The game's refusals as problems: each rule's status and title (the detail is the rule's words). */
export const gameProblems = ruleProblems(GameRuleError, {
  'stake-out-of-range': { status: 422, title: 'Stake out of range' },
  'invalid-stake': { status: 422, title: 'Invalid stake' },
  'self-excluded': { status: 403, title: 'Forbidden' },
  'idempotency-key-reused': { status: 422, title: 'Idempotency key reused' },
});
