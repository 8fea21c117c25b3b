import { ruleProblems } from '@casino/shared';
import { UserRuleError } from '../domain/errors';

/** The user service's refusals as problems: each rule's status and title (the detail is the rule's words). */
export const userProblems = ruleProblems(UserRuleError, {
  'email-taken': { status: 409, title: 'Conflict' },
  'invalid-credentials': { status: 401, title: 'Unauthorized' },
  'player-not-found': { status: 404, title: 'Not found' },
  'self-excluded': { status: 403, title: 'Forbidden' },
});
