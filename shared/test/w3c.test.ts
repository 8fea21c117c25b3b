import { createServer, type IncomingHttpHeaders, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { W3CTraceIncomingMessage } from '@casino/shared/w3c';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN_ID = '00f067aa0ba902b7';

let server: Server;
let port: number;
/** The headers as the application sees them, per request. */
const seen: IncomingHttpHeaders[] = [];

beforeAll(async () => {
  server = createServer({ IncomingMessage: W3CTraceIncomingMessage }, (req, res) => {
    seen.push({ ...req.headers });
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** Sends a real request with these headers and returns the headers the handler saw. */
function send(headers: Record<string, string>): Promise<IncomingHttpHeaders> {
  return new Promise((resolve, reject) => {
    const before = seen.length;
    const req = request({ host: '127.0.0.1', port, path: '/', headers: { ...headers, connection: 'close' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(seen[before]!));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('W3CTraceIncomingMessage', () => {
  test('when only a sampled traceparent is sent, then the request also carries the matching sentry-trace', async () => {
    const headers = await send({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-01` });

    expect(headers['sentry-trace']).toBe(`${TRACE_ID}-${SPAN_ID}-1`);
    expect(headers.traceparent).toBe(`00-${TRACE_ID}-${SPAN_ID}-01`);
  });

  test('when the traceparent is not sampled, then the derived sentry-trace says so', async () => {
    const headers = await send({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-00` });

    expect(headers['sentry-trace']).toBe(`${TRACE_ID}-${SPAN_ID}-0`);
  });

  test('when other trace flags are set besides sampled, then only the sampled bit counts', async () => {
    const headers = await send({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-03` });

    expect(headers['sentry-trace']).toBe(`${TRACE_ID}-${SPAN_ID}-1`);
  });

  test('when a sentry-trace is sent too, then it is left exactly as sent', async () => {
    const own = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-bbbbbbbbbbbbbbbb-0';

    const headers = await send({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-01`, 'sentry-trace': own });

    expect(headers['sentry-trace']).toBe(own);
  });

  test('when no trace header is sent, then none is made up', async () => {
    const headers = await send({ accept: 'application/json' });

    expect(headers['sentry-trace']).toBeUndefined();
  });

  test.each([
    ['too short a trace id', `00-${TRACE_ID.slice(1)}-${SPAN_ID}-01`],
    ['a span id that is not hex', `00-${TRACE_ID}-zzf067aa0ba902b7-01`],
    ['upper-case hex', `00-${TRACE_ID.toUpperCase()}-${SPAN_ID}-01`],
    ['a missing flags field', `00-${TRACE_ID}-${SPAN_ID}`],
    ['an unknown version', `ff-${TRACE_ID}-${SPAN_ID}-01`],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${SPAN_ID}-01`],
    ['an all-zero parent id', `00-${TRACE_ID}-${'0'.repeat(16)}-01`],
    ['garbage', 'not a traceparent'],
  ])('when the traceparent has %s, then no sentry-trace is derived', async (_what, traceparent) => {
    const headers = await send({ traceparent });

    expect(headers['sentry-trace']).toBeUndefined();
  });

  test('when one server handles several requests, then each derives from its own traceparent', async () => {
    const other = 'abcdefabcdefabcdefabcdefabcdef12';

    const first = await send({ traceparent: `00-${TRACE_ID}-${SPAN_ID}-01` });
    const second = await send({ traceparent: `00-${other}-${SPAN_ID}-00` });
    const third = await send({});

    expect([first['sentry-trace'], second['sentry-trace'], third['sentry-trace']]).toEqual([
      `${TRACE_ID}-${SPAN_ID}-1`,
      `${other}-${SPAN_ID}-0`,
      undefined,
    ]);
  });
});
