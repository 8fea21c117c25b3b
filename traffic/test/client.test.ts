import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { retryAfterMs, TrafficClient, TrafficStopped } from '../src/client';
import { TrafficStats } from '../src/stats';

interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** A stand-in gateway: answers the replies given, in turn (the last one repeats), and notes what it got. */
async function stubGateway(...replies: Reply[]) {
  const seen: { at: number; path: string; headers: IncomingHttpHeaders }[] = [];
  const server: Server = createServer((req, res) => {
    seen.push({ at: performance.now(), path: req.url ?? '', headers: req.headers });
    const reply = replies[Math.min(seen.length, replies.length) - 1]!;
    res
      .writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers })
      .end(reply.body === undefined ? '' : JSON.stringify(reply.body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  stubs.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

const stubs: Server[] = [];
afterEach(async () => {
  await Promise.all(stubs.splice(0).map((s) => new Promise((resolve) => (s.closeAllConnections(), s.close(resolve)))));
});

const problem = (slug: string, status: number) => ({ type: `urn:casino:problem:${slug}`, title: 'x', status, detail: 'x' });

function client(url: string, signal = new AbortController().signal) {
  const stats = new TrafficStats();
  return { stats, client: new TrafficClient({ baseUrl: url, stats, signal, backoffMs: 10 }) };
}

describe('the traffic client', () => {
  test('when the gateway answers 429 with Retry-After: 1, then the client waits that second out, tries again and counts the 429', async () => {
    const gateway = await stubGateway(
      { status: 429, headers: { 'retry-after': '1' }, body: problem('rate-limited', 429) },
      { status: 201, body: { player: { id: 'p' }, accessToken: 't' } },
    );
    const { client: c, stats } = client(gateway.url);

    const answer = await c.send({ operation: 'register', method: 'POST', path: '/auth/register', body: { email: 'a@b.test' } });

    expect(answer.status).toBe(201);
    expect(gateway.seen).toHaveLength(2);
    expect(gateway.seen[1]!.at - gateway.seen[0]!.at).toBeGreaterThanOrEqual(1000);
    expect(stats.totalsNow()).toEqual({ requests: 2, errors: 0, refused: 0, rateLimited: 1 });
    expect(stats.rateLimitWaitMs).toBeGreaterThanOrEqual(1000);
    expect(stats.operations()[0]).toMatchObject({ operation: 'register', count: 2, ok: 1, rateLimited: 1, errors: {} });
  });

  test('when every request is sent, then it carries baggage synthetic=true, and its token and key', async () => {
    const gateway = await stubGateway({ status: 201, body: {} });
    const { client: c } = client(gateway.url);

    await c.send({
      operation: 'deposit',
      method: 'POST',
      path: '/wallet/deposits',
      body: { amount: 500 },
      token: 'tok',
      idempotencyKey: 'key-00000001',
    });

    expect(gateway.seen[0]).toMatchObject({
      path: '/api/v1/wallet/deposits',
      headers: {
        baggage: 'synthetic=true',
        authorization: 'Bearer tok',
        'idempotency-key': 'key-00000001',
        'content-type': 'application/json',
      },
    });
  });

  test('when a money move gets a 503 and then a 201, then the retry resends the same Idempotency-Key and the 503 counts as an error', async () => {
    const gateway = await stubGateway({ status: 503, body: problem('service-unavailable', 503) }, { status: 201, body: { wallet: {} } });
    const { client: c, stats } = client(gateway.url);

    const answer = await c.send({
      operation: 'spin',
      method: 'POST',
      path: '/games/g/spins',
      body: { stake: 10 },
      token: 't',
      idempotencyKey: 'spin-key-0001',
    });

    expect(answer.status).toBe(201);
    expect(gateway.seen.map((r) => r.headers['idempotency-key'])).toEqual(['spin-key-0001', 'spin-key-0001']);
    expect(stats.operations()[0]).toMatchObject({ count: 2, ok: 1, errors: { 503: 1 } });
  });

  test('when a 4xx is one the caller expects, then it is a refusal; when not, an error; neither is retried', async () => {
    const gateway = await stubGateway({ status: 409, body: problem('email-taken', 409) });
    const { client: c, stats } = client(gateway.url);

    const expected = await c.send({ operation: 'register', method: 'POST', path: '/auth/register', body: {}, expect: [409] });
    const unexpected = await c.send({ operation: 'claim', method: 'POST', path: '/bonuses/offers/x/claim', body: {} });

    expect([expected.status, expected.problem, unexpected.status]).toEqual([409, 'email-taken', 409]);
    expect(gateway.seen).toHaveLength(2);
    expect(stats.operations()).toMatchObject([
      { operation: 'register', refused: { 409: 1 }, errors: {} },
      { operation: 'claim', refused: {}, errors: { 409: 1 } },
    ]);
  });

  test('when nothing listens, then the client retries a few times and answers status 0, each try a network error', async () => {
    const { client: c, stats } = client('http://127.0.0.1:1');

    const answer = await c.send({ operation: 'games', method: 'GET', path: '/games' });

    expect(answer.status).toBe(0);
    expect(stats.operations()[0]).toMatchObject({ count: 4, errors: { network: 4 } });
  });

  test('when the run stops while a 429 is being waited out, then the wait ends at once', async () => {
    const gateway = await stubGateway({ status: 429, headers: { 'retry-after': '60' }, body: problem('rate-limited', 429) });
    const stop = new AbortController();
    const { client: c } = client(gateway.url, stop.signal);
    const started = performance.now();

    const sending = c.send({ operation: 'login', method: 'POST', path: '/auth/login', body: {} });
    setTimeout(() => stop.abort(), 100);

    await expect(sending).rejects.toBeInstanceOf(TrafficStopped);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  test('when Retry-After is a number of seconds or an HTTP date, then it is read as a wait; anything else is not', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');

    expect(retryAfterMs('7', now)).toBe(7_000);
    expect(retryAfterMs('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });
});
