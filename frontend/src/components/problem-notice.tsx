import { useContext } from 'react';
import { ConfigContext } from '../context';
import { describeProblem, type Problem } from '../api/problem';
import { canReport } from '../lib/feedback';
import { ReportProblem } from './report-problem';
import { TraceLink } from './trace-link';

/**
 * A failure as a person reads it: what happened, the server's words, the fields, and the trace id,
 * with a way to tell the casino about it (Sentry user feedback, tied to the failure).
 */
export function ProblemNotice({ problem, onDismiss }: { problem: Problem; onDismiss?: () => void }) {
  const config = useContext(ConfigContext);
  const view = describeProblem(problem);
  return (
    <div className="problem" role="alert" data-problem-type={problem.type} data-status={problem.status}>
      <p className="problem-heading">
        <strong>{view.heading}</strong>
        {problem.status > 0 && <span className="problem-status"> ({problem.status})</span>}
      </p>
      <p>{view.message}</p>
      {view.fields.length > 0 && (
        <ul className="problem-fields">
          {view.fields.map((f) => (
            <li key={`${f.path}:${f.message}`}>
              <code>{f.path}</code>: {f.message}
            </li>
          ))}
        </ul>
      )}
      {view.traceId ? (
        <p className="problem-trace">
          Trace id{' '}
          <TraceLink traceId={view.traceId}>
            <code>{view.traceId}</code>
          </TraceLink>
          {config.traceViewer && ` (open in ${config.traceViewer})`}
        </p>
      ) : (
        <p className="problem-trace">No trace id: the request never reached the casino.</p>
      )}
      {(canReport() || onDismiss) && (
        <p className="problem-actions">
          <ReportProblem label="Report this problem" problem={problem} />
          {onDismiss && (
            <button type="button" className="link" onClick={onDismiss}>
              Dismiss
            </button>
          )}
        </p>
      )}
    </div>
  );
}
