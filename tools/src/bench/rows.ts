/** The bench's rows: the bare chain, then the platform from the SDK off to everything on. */

export interface Row {
  id: string;
  label: string;
  /** Absent for the bare chain; the platform's environment otherwise. */
  env?: NodeJS.ProcessEnv;
  /** The bare chain with the SDK in every hop, tracing every request. */
  bareWithSdk?: boolean;
  /** Whether the SDK sends to the bench's local ingest. */
  sends?: boolean;
}

const only = (traces: string, profiles: string, logsAndMetrics: boolean): NodeJS.ProcessEnv => ({
  SENTRY_ENABLED: 'true',
  SENTRY_TRACES_SAMPLE_RATE: traces,
  SENTRY_PROFILE_SESSION_SAMPLE_RATE: profiles,
  SENTRY_LOGS: String(logsAndMetrics),
  SENTRY_METRICS: String(logsAndMetrics),
});

export const ROWS: readonly Row[] = [
  { id: 'bare', label: 'bare chain: 5 Express hops' },
  { id: 'bare-sdk', label: 'bare chain + SDK, tracing 1.0', bareWithSdk: true, sends: true },
  { id: 'off', label: 'platform, SDK off', env: { SENTRY_ENABLED: 'false' } },
  { id: 'errors', label: 'errors only', env: only('0', '0', false), sends: true },
  { id: 'tracing-0.1', label: 'tracing 0.1', env: only('0.1', '0', false), sends: true },
  { id: 'tracing-1', label: 'tracing 1.0', env: only('1', '0', false), sends: true },
  { id: 'profiling', label: 'tracing 1.0 + profiling', env: only('1', '1', false), sends: true },
  { id: 'all', label: 'everything on (+ logs, metrics)', env: only('1', '1', true), sends: true },
];

/** The row that answers "what does Sentry cost", and how a production service would set it. */
export const PRODUCTION_ROW = { id: 'tracing-0.1', setting: 'errors, 10% of requests traced, no profiling, no logs or metrics' };

/** Whether a row is the bare chain (with or without the SDK) rather than the platform. */
export const isBare = (id: string): boolean => !ROWS.find((r) => r.id === id)?.env;
