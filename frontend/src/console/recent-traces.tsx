import { useContext, useId, useSyncExternalStore } from 'react';
import { ConfigContext } from '../context';
import { TraceLink } from '../components/trace-link';
import { recentRequests } from '../lib/recent-requests';

/** This browser's recent API requests with their trace ids, each a link to the trace. */
export function RecentTraces() {
  const id = useId();
  const config = useContext(ConfigContext);
  const items = useSyncExternalStore(recentRequests.subscribe, recentRequests.list);
  return (
    <section className="card recent" aria-labelledby={`${id}-title`}>
      <div className="row space">
        <h2 id={`${id}-title`}>Recent traces</h2>
        <button type="button" onClick={recentRequests.clear} disabled={items.length === 0}>
          Clear
        </button>
      </div>
      <p className="muted">
        Requests from this browser tab, newest first.{' '}
        {config.traceViewer
          ? `Links open the trace in ${config.traceViewer}.`
          : 'No trace viewer is configured: start Spotlight or set SENTRY_ORG to open traces.'}
      </p>
      <div className="table-scroll">
        <table data-testid="recent-traces">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Request</th>
              <th scope="col" className="num">
                Status
              </th>
              <th scope="col" className="num">
                ms
              </th>
              <th scope="col">Trace</th>
            </tr>
          </thead>
          <tbody>
            {items.length === 0 && (
              <tr>
                <td colSpan={5} className="muted">
                  Nothing yet: play in the lobby or switch a scenario.
                </td>
              </tr>
            )}
            {items.map((r) => (
              <tr key={r.id} className={r.status === 0 || r.status >= 500 ? 'bad' : r.status >= 400 ? 'warn' : ''}>
                <td>{new Date(r.at).toLocaleTimeString()}</td>
                <td className="wrap-anywhere">
                  {r.method} {r.path}
                </td>
                <td className="num">{r.status || 'none'}</td>
                <td className="num">{r.durationMs}</td>
                <td>
                  {r.traceId ? (
                    <TraceLink traceId={r.traceId}>
                      <code>{r.traceId.slice(0, 12)}…</code>
                    </TraceLink>
                  ) : (
                    '–'
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
