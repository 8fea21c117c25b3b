import * as Sentry from '@sentry/node';

/** A span as it ended, in SDK v11's streamed shape: attributes (op in `sentry.op`) and both timestamps. */
export interface RecordedSpan {
  attributes: Record<string, unknown>;
  start: number;
  end: number;
}

export const opOf = (span: Sentry.Span | undefined): unknown =>
  span && (Sentry.spanToJSON(span) as unknown as RecordedSpan).attributes['sentry.op'];

/** Starts the SDK for this test file, sending nothing, and records every span that ends. */
export function recordSpans(): RecordedSpan[] {
  const ended: RecordedSpan[] = [];
  beforeAll(() => {
    // Under Jest the SDK cannot hook Node's diagnostics channels and says so; spans made by hand still work.
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    Sentry.init({
      dsn: 'http://public@127.0.0.1:9/1',
      tracesSampleRate: 1,
      transport: () => ({ send: async () => ({}), flush: async () => true }),
      defaultIntegrations: false,
    });
    warn.mockRestore();
    Sentry.getClient()!.on('spanEnd', (span) => {
      const json = Sentry.spanToJSON(span) as unknown as {
        attributes: Record<string, unknown>;
        start_timestamp: number;
        end_timestamp: number;
      };
      ended.push({ attributes: json.attributes, start: json.start_timestamp, end: json.end_timestamp });
    });
  });
  afterAll(() => Sentry.close());
  return ended;
}
