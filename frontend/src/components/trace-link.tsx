import { type ReactNode, useContext } from 'react';
import { traceUrl } from '../config';
import { ConfigContext } from '../context';

/** A trace id that opens the trace in the configured viewer, or stays plain text when there is none. */
export function TraceLink({ traceId, children }: { traceId: string; children: ReactNode }) {
  const href = traceUrl(useContext(ConfigContext), traceId);
  return href ? (
    <a href={href} target="_blank" rel="noreferrer" data-trace-id={traceId}>
      {children}
    </a>
  ) : (
    <span data-trace-id={traceId}>{children}</span>
  );
}
