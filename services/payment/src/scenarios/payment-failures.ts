import { AppError, Attr, euros, type Metrics, scenarioApplied, type Scenarios } from '@casino/shared';
import * as Sentry from '@sentry/node';
import { ProviderFailures } from './provider-failures';

/** The simulated card provider the stake debits go through. */
export const PROVIDER = 'demo-card-provider';

export class PaymentProviderDeclined extends AppError {
  override name = 'PaymentProviderDeclined';
  constructor(amount: number) {
    super(502, {
      slug: 'payment-provider-declined',
      failureKind: 'payment-provider-declined',
      title: 'Payment provider declined',
      detail: `The payment provider declined the stake of ${euros(amount)}; no money was taken.`,
    });
  }
}

export class PaymentProviderTimeout extends AppError {
  override name = 'PaymentProviderTimeout';
  constructor(amount: number) {
    super(503, {
      slug: 'payment-provider-timeout',
      failureKind: 'payment-provider-timeout',
      title: 'Payment provider timeout',
      detail: `The payment provider did not answer in time for the stake of ${euros(amount)}; no money was taken.`,
    });
  }
}

export interface Stake {
  playerId: string;
  idempotencyKey: string;
  roundId: string;
  gameId: string;
  amount: number;
}

/**
 * The payment-failures scenario at the stake debit: while it is on, the provider's answer for a
 * new bet, as the error to answer with, or null to let the debit through. A bet is reported once,
 * when first refused: its retries answer the same and are marked, but would only repeat the event.
 */
export function stakeProvider(scenarios: Scenarios, metrics: Metrics): (stake: Stake) => AppError | null {
  const failures = new ProviderFailures();
  scenarios.onChange((name) => {
    if (name === 'payment-failures') failures.reset();
  });
  return (stake) => {
    const on = scenarios.active('payment-failures');
    if (!on) return null;
    const { failure, again } = failures.decide(`${stake.playerId}:${stake.idempotencyKey}`, on.rate);
    if (!failure) return null;
    scenarioApplied('payment-failures');
    const error = failure === 'decline' ? new PaymentProviderDeclined(stake.amount) : new PaymentProviderTimeout(stake.amount);
    if (!again) {
      metrics.count('paymentFailures', { reason: failure });
      Sentry.captureException(error, {
        level: 'error',
        tags: { 'problem.type': error.slug, 'payment.provider': PROVIDER, [Attr.gameId]: stake.gameId },
        contexts: {
          payment: {
            provider: PROVIDER,
            failure,
            player_id: stake.playerId,
            round_id: stake.roundId,
            game_id: stake.gameId,
            amount_cents: stake.amount,
          },
        },
      });
    }
    return error;
  };
}
