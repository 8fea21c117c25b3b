import { ruleProblems } from '@casino/shared';
import { WagerRuleError } from '../domain/errors';

/** The wager service's refusals as problems: each rule's status and title (the detail is the rule's words). */
export const wagerProblems = ruleProblems(WagerRuleError, {
  'idempotency-key-reused': { status: 422, title: 'Idempotency key reused' },
  'offer-not-found': { status: 404, title: 'Not found' },
  'self-excluded': { status: 403, title: 'Forbidden' },
  'bonus-active': { status: 409, title: 'Conflict' },
  'offer-already-claimed': { status: 409, title: 'Conflict' },
  'deposit-required': { status: 422, title: 'Deposit required' },
  'deposit-too-small': { status: 422, title: 'Deposit too small' },
  'deposit-already-used': { status: 409, title: 'Conflict' },
  'deposit-not-held': { status: 422, title: 'Deposit no longer held' },
});
