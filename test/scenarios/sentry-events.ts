/** An error event's trace id and tags, as the ingest received them. */
export function eventTrace(event: Record<string, unknown>): { traceId: string; tags: Record<string, unknown> } {
  const contexts = event.contexts as { trace?: { trace_id?: string } } | undefined;
  return { traceId: String(contexts?.trace?.trace_id), tags: (event.tags as Record<string, unknown>) ?? {} };
}

/** The exception type of an error event, e.g. `TypeError`. */
export function exceptionType(event: Record<string, unknown>): string | undefined {
  return (event.exception as { values?: { type?: string }[] } | undefined)?.values?.at(-1)?.type;
}
