import type { ServerResponse } from 'node:http';
import type { Client } from '@sentry/core';
import * as Sentry from '@sentry/node';

type Status = 'ok' | 'errored' | 'crashed';
type Bucket = { exited: number; errored: number; crashed: number };
const COUNTED_AS: Record<Status, keyof Bucket> = { ok: 'exited', errored: 'errored', crashed: 'crashed' };

/** How often the tally goes to Sentry, as the SDK sends its own request sessions. */
const FLUSH_EVERY_MS = 60_000;

/**
 * Release health for a release the process does not run under: the SDK counts every request as a
 * session of the client's release, once a minute, per minute. A request handed to `take` leaves
 * that tally (its close listener runs before the SDK's, reads the session's final status, and
 * removes it) and is counted here instead, then sent the same way under the release `take` names.
 */
export class ReleaseSessions {
  private tallies = new Map<string, Map<string, Bucket>>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly client: Client | undefined = Sentry.getClient()) {
    this.client?.on('flush', () => this.send());
  }

  /** Counts the current request's session under `release`, and not under the client's own. */
  take(res: ServerResponse, release: string): void {
    const scope = Sentry.getIsolationScope();
    if (!this.client || !scope.getScopeData().sdkProcessingMetadata.requestSession) return;
    res.prependOnceListener('close', () => {
      const session = scope.getScopeData().sdkProcessingMetadata.requestSession as { status: Status } | undefined;
      if (!session) return;
      scope.setSDKProcessingMetadata({ requestSession: undefined });
      this.count(release, session.status);
    });
  }

  private count(release: string, status: Status): void {
    const minute = new Date();
    minute.setSeconds(0, 0);
    const started = minute.toISOString();
    const buckets = this.tallies.get(release) ?? new Map<string, Bucket>();
    this.tallies.set(release, buckets);
    const bucket = buckets.get(started) ?? { exited: 0, errored: 0, crashed: 0 };
    buckets.set(started, bucket);
    bucket[COUNTED_AS[status]]++;
    this.timer ??= setTimeout(() => this.send(), FLUSH_EVERY_MS).unref();
  }

  private send(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const tallies = this.tallies;
    this.tallies = new Map();
    for (const [release, buckets] of tallies) {
      const aggregates = [...buckets].map(([started, bucket]) => ({ started, ...bucket }));
      this.client?.sendSession({ attrs: { release, environment: this.client.getOptions().environment }, aggregates });
    }
  }
}
