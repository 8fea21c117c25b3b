import * as Sentry from '@sentry/node';
import type { NextFunction, Request, Response } from 'express';
import { isSynthetic, SYNTHETIC_ATTRIBUTE, syntheticMiddleware } from '../src/synthetic';

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

const request = (baggage?: string | string[]) => ({ headers: baggage === undefined ? {} : { baggage } }) as unknown as Request;

/** Runs the middleware inside a server span with a child, as a request handled by Express is. */
function handle(baggage?: string | string[]) {
  let next = 0;
  return Sentry.startSpan({ name: 'POST /api/v1/games/:gameId/spins', op: 'http.server', forceTransaction: true }, (root) =>
    Sentry.startSpan({ name: 'handler', op: 'request_handler.express' }, (child) => {
      Sentry.withIsolationScope((scope) => {
        syntheticMiddleware(request(baggage), {} as Response, (() => next++) as NextFunction);
        expect(scope.getScopeData().tags[SYNTHETIC_ATTRIBUTE]).toBe(isSynthetic(baggage) ? 'true' : undefined);
      });
      return { root: Sentry.spanToJSON(root).attributes ?? {}, child: Sentry.spanToJSON(child).attributes ?? {}, next };
    }),
  );
}

describe('synthetic traffic marking', () => {
  test('when a request carries baggage synthetic=true among Sentry entries, then its active span and its root span are marked, and it goes on', () => {
    const seen = handle('sentry-trace_id=0123456789abcdef0123456789abcdef,sentry-sampled=true, synthetic=true');

    expect(seen.child[SYNTHETIC_ATTRIBUTE]).toBe(true);
    expect(seen.root[SYNTHETIC_ATTRIBUTE]).toBe(true);
    expect(seen.next).toBe(1);
  });

  test('when the entry comes in a second baggage header, then it still counts', () => {
    const seen = handle(['sentry-environment=test', 'synthetic=true']);

    expect(seen.root[SYNTHETIC_ATTRIBUTE]).toBe(true);
  });

  test('when a request has no baggage, or synthetic is anything but true, then no span is marked', () => {
    for (const baggage of [undefined, 'sentry-environment=test', 'synthetic=false', 'synthetic=', 'not-synthetic=true']) {
      const seen = handle(baggage);

      expect([baggage, seen.root[SYNTHETIC_ATTRIBUTE], seen.child[SYNTHETIC_ATTRIBUTE], seen.next]).toEqual([
        baggage,
        undefined,
        undefined,
        1,
      ]);
    }
  });

  test('when there is no active span (the SDK is off), then the request simply goes on', () => {
    let next = 0;

    syntheticMiddleware(request('synthetic=true'), {} as Response, (() => next++) as NextFunction);

    expect(next).toBe(1);
  });
});
