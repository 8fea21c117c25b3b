import * as Sentry from '@sentry/node';
import { isSynthetic, markSynthetic, SYNTHETIC_ATTRIBUTE } from '../src/synthetic';

beforeAll(() => {
  // Under Jest the SDK cannot hook Node's diagnostics channels and says so; spans made by hand, all this needs, still work.
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  // Spans are made and kept in the process; nothing is sent anywhere.
  Sentry.init({
    dsn: 'http://public@127.0.0.1:9/1',
    tracesSampleRate: 1,
    transport: () => ({ send: async () => ({}), flush: async () => true }),
    defaultIntegrations: false,
  });
  warn.mockRestore();
});

afterAll(() => Sentry.close());

/** Marks inside a server span with a child, as the kit does for a request handled by Express. */
function handle(baggage?: string | string[]) {
  return Sentry.startSpan({ name: 'POST /api/v1/games/:gameId/spins', op: 'http.server', forceTransaction: true }, (root) =>
    Sentry.startSpan({ name: 'handler', op: 'request_handler.express' }, (child) => {
      Sentry.withIsolationScope((scope) => {
        markSynthetic(baggage);
        expect(scope.getScopeData().tags[SYNTHETIC_ATTRIBUTE]).toBe(isSynthetic(baggage) ? 'true' : undefined);
      });
      return { root: Sentry.spanToJSON(root).attributes ?? {}, child: Sentry.spanToJSON(child).attributes ?? {} };
    }),
  );
}

describe('synthetic traffic marking', () => {
  test('when a request carries baggage synthetic=true among Sentry entries, then its active span and its root span are marked', () => {
    const seen = handle('sentry-trace_id=0123456789abcdef0123456789abcdef,sentry-sampled=true, synthetic=true');

    expect(seen.child[SYNTHETIC_ATTRIBUTE]).toBe(true);
    expect(seen.root[SYNTHETIC_ATTRIBUTE]).toBe(true);
  });

  test('when the entry comes in a second baggage header, then it still counts', () => {
    const seen = handle(['sentry-environment=test', 'synthetic=true']);

    expect(seen.root[SYNTHETIC_ATTRIBUTE]).toBe(true);
  });

  test('when a request has no baggage, or synthetic is anything but true, then no span is marked', () => {
    for (const baggage of [undefined, 'sentry-environment=test', 'synthetic=false', 'synthetic=', 'not-synthetic=true']) {
      const seen = handle(baggage);

      expect([baggage, seen.root[SYNTHETIC_ATTRIBUTE], seen.child[SYNTHETIC_ATTRIBUTE]]).toEqual([baggage, undefined, undefined]);
    }
  });

  test('when there is no active span (the SDK is off), then marking does nothing and does not throw', () => {
    expect(() => markSynthetic('synthetic=true')).not.toThrow();
  });
});
