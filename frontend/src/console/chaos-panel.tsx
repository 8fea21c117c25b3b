import { type FormEvent, useId, useState } from 'react';
import type { Api } from '../api/client';
import { ApiError } from '../api/problem';
import { ProblemNotice } from '../components/problem-notice';
import { usePoll } from '../lib/use-poll';
import { useAction } from '../lib/use-action';
import type { ChaosStatus } from './types';

const FIELDS = [
  ['intervalSeconds', 'Every (s)', '60'],
  ['minDurationSeconds', 'Shortest (s)', '30'],
  ['maxDurationSeconds', 'Longest (s)', '120'],
  ['maxConcurrent', 'At once', '1'],
  ['seed', 'Seed', '1'],
] as const;

/** Chaos mode: the gateway switches random scenarios on and off on a schedule. */
export function ChaosPanel({ admin, onChanged }: { admin: Api; onChanged: () => Promise<void> }) {
  const id = useId();
  const [status, setStatus] = useState<ChaosStatus | null>(null);
  const [form, setForm] = useState<Record<string, string>>(() => Object.fromEntries(FIELDS.map(([k, , d]) => [k, d])));
  const load = async () => setStatus(await admin<ChaosStatus>('GET', '/admin/chaos', { quiet: true }));
  usePoll(() => load().catch((e: unknown) => (e instanceof ApiError ? undefined : Promise.reject(e))), 3_000);

  const start = useAction('start chaos', async () => {
    const body = Object.fromEntries(FIELDS.map(([k]) => [k, Number(form[k])]));
    setStatus(await admin<ChaosStatus>('POST', '/admin/chaos', { body }));
    await onChanged();
  });
  const stop = useAction('stop chaos', async () => {
    setStatus(await admin<ChaosStatus>('DELETE', '/admin/chaos'));
    await onChanged();
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    void start.act();
  };
  const running = status?.running ?? false;
  return (
    <section className="card chaos" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Chaos mode</h2>
      <p data-testid="chaos-state">
        {running ? `Running since ${new Date(status!.startedAt!).toLocaleTimeString()}.` : 'Stopped.'}
        {running && status!.active.length > 0 && ` On now: ${status!.active.map((a) => a.name).join(', ')}.`}
      </p>
      <form onSubmit={onSubmit} className="row wrap" noValidate>
        {FIELDS.map(([key, label]) => (
          <span key={key} className="param">
            <label htmlFor={`${id}-${key}`}>{label}</label>
            <input
              id={`${id}-${key}`}
              inputMode="numeric"
              size={5}
              value={form[key]}
              disabled={running}
              onChange={(e) => setForm({ ...form, [key]: e.target.value })}
            />
          </span>
        ))}
        {running ? (
          <button type="button" onClick={() => void stop.act()} disabled={stop.pending}>
            Stop chaos
          </button>
        ) : (
          <button type="submit" className="primary" disabled={start.pending}>
            Start chaos
          </button>
        )}
      </form>
      {(start.problem ?? stop.problem) && <ProblemNotice problem={(start.problem ?? stop.problem)!} />}
      {status && status.history.length > 0 && (
        <ol className="log small" aria-label="Chaos history">
          {status.history.slice(-6).map((h) => (
            <li key={`${h.at}-${h.name}-${h.action}`}>
              {new Date(h.at).toLocaleTimeString()} {h.name} {h.action}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
