import { useId, useState } from 'react';
import type { Api } from '../api/client';
import { ApiError, type Problem } from '../api/problem';
import { ProblemNotice } from '../components/problem-notice';
import { usePoll } from '../lib/use-poll';
import type { HealthItem } from './types';

const mb = (bytes?: number) => (bytes === undefined ? '–' : `${Math.round(bytes / 1_048_576)} MB`);

/** How long the process has run: a restart shows as a count starting again. */
export function uptime(seconds?: number): string {
  if (seconds === undefined) return '–';
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3_600) return `${Math.floor(seconds / 60)} min`;
  return `${Math.floor(seconds / 3_600)} h ${Math.floor((seconds % 3_600) / 60)} min`;
}
const LABEL: Record<HealthItem['status'], string> = { ok: 'Healthy', warn: 'Degraded', down: 'Down', unreachable: 'Unreachable' };

/** Every service's /health, through the gateway, refreshed every few seconds. */
export function HealthGrid({ admin }: { admin: Api }) {
  const id = useId();
  const [items, setItems] = useState<HealthItem[]>([]);
  const [checkedAt, setCheckedAt] = useState<string | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  usePoll(async () => {
    try {
      const r = await admin<{ checkedAt: string; items: HealthItem[] }>('GET', '/admin/health', { quiet: true, timeoutMs: 5_000 });
      setItems(r.items);
      setCheckedAt(r.checkedAt);
      setProblem(null);
    } catch (err) {
      if (err instanceof ApiError) setProblem(err.problem);
    }
  }, 3_000);

  return (
    <section className="card health" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Service health</h2>
      <p className="muted" aria-live="off">
        {checkedAt ? `Checked ${new Date(checkedAt).toLocaleTimeString()}, every 3 s.` : 'Checking…'}
      </p>
      {problem && <ProblemNotice problem={problem} />}
      <ul className="health-grid" data-testid="health-grid">
        {items.map((item) => {
          const c = item.health?.components;
          return (
            <li key={item.service} className={`health-card status-${item.status}`} data-service={item.service} data-status={item.status}>
              <h3>{item.service}</h3>
              <p className="health-status">
                <span className="dot" aria-hidden="true" /> {LABEL[item.status]}
              </p>
              {item.error ? (
                <p className="muted">{item.error}</p>
              ) : (
                <dl>
                  <dt>Answered in</dt>
                  <dd>{item.latencyMs} ms</dd>
                  <dt>Up for</dt>
                  <dd>{uptime(item.health?.uptimeSeconds)}</dd>
                  <dt>Store</dt>
                  <dd>
                    {c?.store?.kind ?? '–'} ({c?.store?.status ?? '–'})
                  </dd>
                  <dt>Cache</dt>
                  <dd>{c?.cache?.state ?? '–'}</dd>
                  <dt>Heap</dt>
                  <dd>{mb(c?.memory?.heapUsedBytes)}</dd>
                  <dt>Loop p99</dt>
                  <dd>{c?.eventLoop?.delayP99Ms ?? '–'} ms</dd>
                  <dt>Release</dt>
                  <dd className="wrap-anywhere">{item.health?.release ?? '–'}</dd>
                </dl>
              )}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
