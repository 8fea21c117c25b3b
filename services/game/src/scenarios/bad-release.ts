import { AppError, type ScenarioParams, scenarioApplied, type Scenarios } from '@casino/shared';
import * as Sentry from '@sentry/node';
import type { RequestHandler } from 'express';
import type { SlotGame } from '../domain/slots';
import { ReleaseSessions } from './regressed-sessions';

/** The bug the regressed release ships: a reel stop one past the end of its strip. */
export class ReelStripIndexError extends Error {
  override name = 'ReelStripIndexError';
  /** One issue however many games and reel stops it is seen with. */
  readonly failureKind = 'reel-strip-index';
}

/** The release the game reports under while bad-release is on. */
export function regressedRelease(release: string, params: ScenarioParams<'bad-release'>): string {
  return params.release ?? `${release}-regressed`;
}

/**
 * The bad-release scenario on the spin path: a fraction `rate` of spins fail before the round is
 * even stored, so no stake is taken and the recovery pass has nothing to finish. The player gets a
 * 500 problem with the trace id; the error itself (its own type, for a new issue) goes to Sentry.
 */
export function failIfRegressed(scenarios: Scenarios, game: SlotGame, random: () => number = Math.random): void {
  const regressed = scenarios.active('bad-release');
  if (!regressed) return;
  scenarioApplied('bad-release');
  if (random() >= regressed.rate) return;
  const symbols = game.reels[0]?.length ?? 0;
  throw new AppError(500, {
    slug: 'reel-strip-index',
    title: 'Spin failed',
    detail: 'The reels could not be set for this spin and no money was taken. Quote the trace id when you report it.',
    operational: false,
    cause: new ReelStripIndexError(`${game.id}: reel 1 stop ${symbols} is outside its strip of ${symbols} symbols`),
  });
}

/**
 * While bad-release is on, everything the game sends to Sentry names the regressed release, so the
 * release view shows the new error arriving with it: events and transactions through an event
 * processor (which runs after the SDK fills in its own release), streamed spans through their
 * `sentry.release` attribute. Read at send time, so switching off restores the release at once.
 */
export function reportRegressedRelease(scenarios: Scenarios, release: string): void {
  const client = Sentry.getClient();
  if (!client) return;
  const current = () => {
    const params = scenarios.active('bad-release');
    return params && regressedRelease(release, params);
  };
  client.addEventProcessor((event) => {
    const regressed = current();
    if (regressed) event.release = regressed;
    return event;
  });
  client.on('processSpan', (span) => {
    const regressed = current();
    if (regressed) span.attributes['sentry.release'] = regressed;
  });
}

/**
 * Release health under bad-release: each game request that arrives while it is on is a session of
 * the regressed release, not of the running one. Its failed spins are crashed sessions (a bug is
 * reported as unhandled: see problemHandler), so Sentry's release view shows the regressed
 * release's crash-free rate falling beside the running release, which the other services and the
 * game's other requests keep reporting.
 */
export function regressedSessions(scenarios: Scenarios, release: string): RequestHandler {
  const sessions = new ReleaseSessions();
  return (_req, res, next) => {
    const regressed = scenarios.active('bad-release');
    if (regressed) sessions.take(res, regressedRelease(release, regressed));
    next();
  };
}
