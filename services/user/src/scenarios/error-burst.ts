import * as Sentry from '@sentry/node';

const PROVIDER = 'demo-risk-scoring';

export class RiskScoreUnavailable extends Error {
  override name = 'RiskScoreUnavailable';
  readonly failureKind = 'risk-score-unavailable';
}

/**
 * error-burst in the user service: on its turn, the player-status lookup (on every spin's path)
 * loses its risk score, reports that as a handled error with the context to act on, and carries
 * on without it: the player sees nothing.
 */
export function reportRiskScoreOutage(playerId: string): void {
  Sentry.captureException(new RiskScoreUnavailable(`${PROVIDER} did not answer; the player status was served without a risk score.`), {
    level: 'error',
    tags: { 'risk.provider': PROVIDER },
    contexts: { risk_check: { player_id: playerId, provider: PROVIDER, timeout_ms: 250, fallback: 'status without a risk score' } },
  });
}
