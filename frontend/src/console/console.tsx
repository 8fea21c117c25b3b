import { type FormEvent, useCallback, useId, useMemo, useState } from 'react';
import { type Api, createApi } from '../api/client';
import { ApiError, type Problem } from '../api/problem';
import { ProblemNotice } from '../components/problem-notice';
import { recordFlag } from '../flags';
import { usePoll } from '../lib/use-poll';
import { useAction } from '../lib/use-action';
import { ChaosPanel } from './chaos-panel';
import { HealthGrid } from './health-grid';
import { MemoryPanel } from './memory-panel';
import { RecentTraces } from './recent-traces';
import { ScenariosPanel } from './scenarios-panel';
import { TrafficPanel } from './traffic-panel';
import type { Scenario } from './types';

const KEY = 'casino.admin-token';

/**
 * The presenters' console. The admin token is typed in and kept for this tab's session only: it
 * is never part of the bundle.
 */
export function Console({ apiBaseUrl }: { apiBaseUrl: string }) {
  const [token, setToken] = useState<string | null>(() => sessionStorage.getItem(KEY));
  const save = (t: string | null) => {
    if (t) sessionStorage.setItem(KEY, t);
    else sessionStorage.removeItem(KEY);
    setToken(t);
  };
  const [rejected, setRejected] = useState<Problem | null>(null);
  if (!token) return <AdminSignIn apiBaseUrl={apiBaseUrl} rejected={rejected} onToken={save} />;
  return (
    <ConsoleBoard
      apiBaseUrl={apiBaseUrl}
      token={token}
      onRejected={(p) => {
        setRejected(p);
        save(null);
      }}
    />
  );
}

function AdminSignIn({ apiBaseUrl, rejected, onToken }: { apiBaseUrl: string; rejected: Problem | null; onToken: (t: string) => void }) {
  const id = useId();
  const [value, setValue] = useState('');
  const check = useAction('open console', async () => {
    const admin = createApi(apiBaseUrl);
    await admin('GET', '/admin/scenarios', { token: value.trim() });
    onToken(value.trim());
  });
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (value.trim()) void check.act();
  };
  return (
    <section className="card auth" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Ops console</h2>
      <p className="muted">
        Enter the platform's admin token (<code>ADMIN_TOKEN</code>; <code>npm run demo</code> writes a generated one to{' '}
        <code>.demo/admin-token</code>).
      </p>
      <form onSubmit={onSubmit} noValidate>
        <label htmlFor={`${id}-token`}>Admin token</label>
        <input id={`${id}-token`} type="password" autoComplete="off" value={value} onChange={(e) => setValue(e.target.value)} />
        <button type="submit" className="primary" disabled={check.pending || !value.trim()}>
          Open console
        </button>
      </form>
      {(check.problem ?? rejected) && <ProblemNotice problem={(check.problem ?? rejected)!} />}
    </section>
  );
}

function Crash(): never {
  throw new Error('Render error from the ops console (a deliberate crash to show the error boundary)');
}

function ConsoleBoard({ apiBaseUrl, token, onRejected }: { apiBaseUrl: string; token: string; onRejected: (p: Problem) => void }) {
  const base = useMemo(() => createApi(apiBaseUrl), [apiBaseUrl]);
  const admin: Api = useCallback(
    async <T,>(method: string, path: string, options = {}) => {
      try {
        return await base<T>(method, path, { ...options, token });
      } catch (err) {
        if (err instanceof ApiError && (err.problem.status === 401 || err.problem.status === 403)) onRejected(err.problem);
        throw err;
      }
    },
    [base, token, onRejected],
  );
  const [scenarios, setScenarios] = useState<Scenario[]>([]);
  const [crash, setCrash] = useState(false);
  const loadScenarios = useCallback(async () => {
    const r = await admin<{ items: Scenario[] }>('GET', '/admin/scenarios', { quiet: true });
    // The frontend's one scenario, as a flag evaluation each time its state is read: every poll,
    // and at once after a switch.
    recordFlag(
      'frontend-memory-leak',
      r.items.some((s) => s.name === 'frontend-memory-leak' && s.enabled),
    );
    setScenarios(r.items);
  }, [admin]);
  usePoll(() => loadScenarios().catch(() => undefined), 3_000);
  const leaking = scenarios.some((s) => s.name === 'frontend-memory-leak' && s.enabled);

  return (
    <div className="console">
      <HealthGrid admin={admin} />
      <div className="console-grid">
        <ScenariosPanel admin={admin} scenarios={scenarios} onChanged={loadScenarios} />
        <div className="stack">
          <ChaosPanel admin={admin} onChanged={loadScenarios} />
          <TrafficPanel admin={admin} />
          <MemoryPanel leaking={leaking} />
          <section className="card" aria-label="Error boundary">
            <h2>Error boundary</h2>
            <p className="muted">Throws during rendering: the page shows the error boundary with the Sentry event id.</p>
            <button type="button" onClick={() => setCrash(true)}>
              Throw a render error
            </button>
            {crash && <Crash />}
          </section>
        </div>
      </div>
      <RecentTraces />
    </div>
  );
}
