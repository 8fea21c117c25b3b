import { type FormEvent, useId, useState } from 'react';
import type { Api } from '../api/client';
import { ApiError } from '../api/problem';
import { ProblemNotice } from '../components/problem-notice';
import { formatCents } from '../lib/money';
import { usePoll } from '../lib/use-poll';
import { useAction } from '../lib/use-action';
import type { TrafficStatus } from './types';

const n = (v: number | undefined, digits = 0) => (v === undefined ? '–' : v.toFixed(digits));

/** The built-in traffic generator: simulated players against this gateway, with live figures. */
export function TrafficPanel({ admin }: { admin: Api }) {
  const id = useId();
  const [status, setStatus] = useState<TrafficStatus | null>(null);
  const [players, setPlayers] = useState('10');
  const [duration, setDuration] = useState('300');
  const [think, setThink] = useState('1000');
  const running = status?.state === 'running' || status?.state === 'stopping';
  usePoll(
    () =>
      admin<TrafficStatus>('GET', '/admin/traffic', { quiet: true }).then(setStatus, (e: unknown) =>
        e instanceof ApiError ? undefined : Promise.reject(e),
      ),
    running ? 1_000 : 4_000,
  );
  const start = useAction('start traffic', async () => {
    setStatus(
      await admin<TrafficStatus>('POST', '/admin/traffic', {
        body: { players: Number(players), durationSeconds: Number(duration), thinkMs: Number(think) },
      }),
    );
  });
  const stop = useAction('stop traffic', async () => setStatus(await admin<TrafficStatus>('DELETE', '/admin/traffic')));
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void start.act();
  };
  const live = status?.live;
  const summary = status?.summary;
  return (
    <section className="card traffic" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Traffic</h2>
      <form onSubmit={onSubmit} className="row wrap" noValidate>
        <span className="param">
          <label htmlFor={`${id}-players`}>Players</label>
          <input
            id={`${id}-players`}
            inputMode="numeric"
            size={4}
            value={players}
            disabled={running}
            onChange={(e) => setPlayers(e.target.value)}
          />
        </span>
        <span className="param">
          <label htmlFor={`${id}-duration`}>Seconds</label>
          <input
            id={`${id}-duration`}
            inputMode="numeric"
            size={5}
            value={duration}
            disabled={running}
            onChange={(e) => setDuration(e.target.value)}
          />
        </span>
        <span className="param">
          <label htmlFor={`${id}-think`}>Think time (ms)</label>
          <input
            id={`${id}-think`}
            inputMode="numeric"
            size={5}
            value={think}
            disabled={running}
            onChange={(e) => setThink(e.target.value)}
          />
        </span>
        {running ? (
          <button type="button" onClick={() => void stop.act()} disabled={stop.pending || status?.state === 'stopping'}>
            Stop traffic
          </button>
        ) : (
          <button type="submit" className="primary" disabled={start.pending}>
            Start traffic
          </button>
        )}
      </form>
      {(start.problem ?? stop.problem) && <ProblemNotice problem={(start.problem ?? stop.problem)!} />}
      <p data-testid="traffic-state">
        {!status || status.state === 'idle'
          ? 'No run yet.'
          : `${status.state[0]!.toUpperCase()}${status.state.slice(1)}${status.options ? `: ${status.options.players} players` : ''}.`}
        {status?.failure && ` ${status.failure}`}
      </p>
      {running && live && (
        <dl className="figures" data-testid="traffic-live">
          <dt>Elapsed</dt>
          <dd>{n(live.elapsedSeconds)} s</dd>
          <dt>Requests</dt>
          <dd>{live.requests ?? 0}</dd>
          <dt>Req/s</dt>
          <dd>{n(live.requestsPerSecond, 1)}</dd>
          <dt>p50 / p95</dt>
          <dd>
            {n(live.p50)} / {n(live.p95)} ms
          </dd>
          <dt>Errors</dt>
          <dd>{live.errors ?? 0}</dd>
          <dt>Rate limited</dt>
          <dd>{live.rateLimited ?? 0}</dd>
        </dl>
      )}
      {!running && summary && (
        <dl className="figures" data-testid="traffic-summary">
          <dt>Ended by</dt>
          <dd>{summary.endedBy ?? '–'}</dd>
          <dt>Requests</dt>
          <dd>{summary.requests ?? 0}</dd>
          <dt>Req/s</dt>
          <dd>{n(summary.requestsPerSecond, 1)}</dd>
          <dt>Errors</dt>
          <dd>{summary.errors ?? 0}</dd>
          <dt>Spins</dt>
          <dd>{summary.totals?.spins ?? 0}</dd>
          <dt>Staked / won</dt>
          <dd>
            {formatCents(summary.totals?.stakedCents ?? 0)} / {formatCents(summary.totals?.wonCents ?? 0)}
          </dd>
        </dl>
      )}
    </section>
  );
}
