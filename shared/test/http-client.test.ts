import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { backoffDelay } from '@casino/shared/backoff';
import { AppError } from '@casino/shared/errors';
import { ServiceClient } from '@casino/shared/http-client';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

type Handler = (req: IncomingMessage, res: ServerResponse, attempt: number) => void;

const servers: Server[] = [];

/** A real HTTP server on a free port that records every request it sees. */
async function upstream(handler: Handler): Promise<{ url: string; seen: Seen[] }> {
  const seen: Seen[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res, seen.length);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen };
}

/** A URL on which nothing listens: a port that was free a moment ago. */
async function closedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (s) =>
        new Promise<void>((resolve) => {
          s.closeAllConnections();
          s.close(() => resolve());
        }),
    ),
  );
});

function json(res: ServerResponse, status: number, body: unknown, type = 'application/json') {
  res.writeHead(status, { 'content-type': type });
  res.end(JSON.stringify(body));
}

const client = (baseUrl: string, options: { timeoutMs?: number; retries?: number } = {}) =>
  new ServiceClient({ service: 'payment', baseUrl, timeoutMs: options.timeoutMs ?? 2000, retries: options.retries, backoffMs: 5 });

async function failure(work: Promise<unknown>): Promise<AppError> {
  try {
    await work;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw new Error(`expected an AppError, got ${String(err)}`, { cause: err });
  }
  throw new Error('expected the call to fail, but it succeeded');
}

async function timed<T>(work: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const result = await work();
  return [result, performance.now() - start];
}

describe('ServiceClient', () => {
  describe('retries', () => {
    test('when a GET is answered 503 twice and then 200, then it succeeds on the third attempt', async () => {
      const { url, seen } = await upstream((_req, res, attempt) =>
        attempt <= 2 ? json(res, 503, { detail: 'warming up' }) : json(res, 200, { cash: 500 }),
      );

      const body = await client(url).get<{ cash: number }>('/wallets/w-1');

      expect(body).toEqual({ cash: 500 });
      expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual(['GET /wallets/w-1', 'GET /wallets/w-1', 'GET /wallets/w-1']);
    });

    test('when a GET is answered 503 every time, then it gives up after 1 + retries attempts with a 503', async () => {
      const { url, seen } = await upstream((_req, res) => json(res, 503, { detail: 'down for maintenance' }));

      const err = await failure(client(url, { retries: 3 }).get('/wallets/w-1'));

      expect(seen).toHaveLength(4);
      expect(err).toMatchObject({ status: 503, slug: 'service-unavailable', message: 'The payment service failed: down for maintenance' });
    });

    test('when a POST without an idempotency key is answered 503, then it is not retried and fails with 503', async () => {
      const { url, seen } = await upstream((_req, res) => json(res, 503, {}));

      const err = await failure(client(url).post('/deposits', { amount: 100 }));

      expect(seen).toHaveLength(1);
      expect(err.status).toBe(503);
      expect(err.slug).toBe('service-unavailable');
    });

    test('when a POST with an idempotency key is answered 503, then it is retried with the same key and body each time', async () => {
      const { url, seen } = await upstream((_req, res, attempt) => (attempt <= 2 ? json(res, 503, {}) : json(res, 201, { id: 'tx-1' })));

      const body = await client(url).post('/deposits', { amount: 100 }, { idempotencyKey: 'key-1234-abcd' });

      expect(body).toEqual({ id: 'tx-1' });
      expect(seen.map((s) => [s.headers['idempotency-key'], s.headers['content-type'], s.body])).toEqual([
        ['key-1234-abcd', 'application/json', '{"amount":100}'],
        ['key-1234-abcd', 'application/json', '{"amount":100}'],
        ['key-1234-abcd', 'application/json', '{"amount":100}'],
      ]);
    });

    test('when a PUT is answered 502 once, then it is retried like any idempotent call', async () => {
      const { url, seen } = await upstream((_req, res, attempt) => (attempt === 1 ? json(res, 502, {}) : json(res, 200, { ok: true })));

      await expect(client(url).put('/limits', { daily: 100 })).resolves.toEqual({ ok: true });
      expect(seen.map((s) => s.method)).toEqual(['PUT', 'PUT']);
    });

    test('when a service of the platform answers a 502 problem, then that considered answer is passed on, not asked again', async () => {
      const declined = {
        type: 'urn:casino:problem:payment-provider-declined',
        title: 'Bad gateway',
        status: 502,
        detail: 'The card was declined.',
      };
      const { url, seen } = await upstream((_req, res) => json(res, 502, declined));

      const err = await failure(client(url).post('/wallets/p-1/bets', { amount: 100 }, { idempotencyKey: 'key-1234-abcd' }));

      expect(err).toMatchObject({ status: 502, slug: 'upstream-error', message: 'The payment service failed: The card was declined.' });
      expect(seen).toHaveLength(1);
    });
  });

  describe('timeouts and unreachable callees', () => {
    test('when the callee answers later than the timeout, then it is a 504 after about the timeout, tried once', async () => {
      const { url, seen } = await upstream((_req, res) => setTimeout(() => json(res, 200, {}), 1500));

      const [err, ms] = await timed(() => failure(client(url, { timeoutMs: 150 }).get('/slow')));

      expect(err).toMatchObject({ status: 504, slug: 'upstream-timeout', message: 'The payment service did not answer in time.' });
      expect(ms).toBeGreaterThanOrEqual(140);
      expect(ms).toBeLessThan(700);
      expect(seen).toHaveLength(1);
    });

    test('when a call sets its own timeout, then that one applies', async () => {
      const { url } = await upstream((_req, res) => setTimeout(() => json(res, 200, {}), 1500));

      const [err, ms] = await timed(() => failure(client(url, { timeoutMs: 5000 }).get('/slow', { timeoutMs: 100 })));

      expect(err.status).toBe(504);
      expect(ms).toBeLessThan(700);
    });

    test('when the callee sends its headers and then stalls the body past the timeout, then it is still a 504', async () => {
      const { url } = await upstream((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"cash":');
        setTimeout(() => res.end('5}'), 1500);
      });

      const [err, ms] = await timed(() => failure(client(url, { timeoutMs: 150 }).get('/wallets/w-1')));

      expect(err).toMatchObject({ status: 504, slug: 'upstream-timeout' });
      expect(ms).toBeLessThan(700);
    });

    test('when the callee drops the connection in the middle of the body, then it is a 503, retried for a GET', async () => {
      const { url, seen } = await upstream((req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"cash":');
        setTimeout(() => req.socket.destroy(), 10);
      });

      const err = await failure(client(url).get('/wallets/w-1'));

      expect(err).toMatchObject({ status: 503, slug: 'service-unavailable' });
      expect(seen).toHaveLength(3);
    });

    test('when nothing listens on the port, then it is a 503 service-unavailable after the retries, quickly', async () => {
      const url = await closedUrl();

      const [err, ms] = await timed(() => failure(client(url).get('/wallets/w-1')));

      expect(err).toMatchObject({
        status: 503,
        slug: 'service-unavailable',
        title: 'Service unavailable',
        message: 'The payment service is unavailable.',
      });
      expect(ms).toBeLessThan(1000);
    });
  });

  describe('answers from the callee', () => {
    test('when the callee refuses with a 422 problem, then the same problem comes back as an AppError', async () => {
      const errors = [{ path: 'amount', message: 'must be at most your cash balance' }];
      const { url, seen } = await upstream((_req, res) =>
        json(
          res,
          422,
          {
            type: 'urn:casino:problem:insufficient-funds',
            title: 'Insufficient funds',
            status: 422,
            detail: 'You have 5.00 EUR.',
            errors,
            traceId: 'x',
          },
          'application/problem+json',
        ),
      );

      const err = await failure(client(url).post('/withdrawals', { amount: 1000 }, { idempotencyKey: 'key-1234-abcd' }));

      expect(err).toMatchObject({
        status: 422,
        slug: 'insufficient-funds',
        title: 'Insufficient funds',
        message: 'You have 5.00 EUR.',
        errors,
      });
      expect(err.type).toBe('urn:casino:problem:insufficient-funds');
      expect(seen).toHaveLength(1);
    });

    test('when the callee refuses with a 4xx that is not a problem, then it is passed on as a generic rejection', async () => {
      const { url } = await upstream((_req, res) => {
        res.writeHead(409);
        res.end();
      });

      const err = await failure(client(url).get('/x'));

      expect(err).toMatchObject({
        status: 409,
        slug: 'upstream-rejected',
        title: 'Request rejected',
        message: 'The payment service rejected the request.',
      });
    });

    test('when the callee fails with a 500, then it is a 502 upstream-error, not retried', async () => {
      const { url, seen } = await upstream((_req, res) => json(res, 500, { detail: 'null pointer' }));

      const err = await failure(client(url).get('/x'));

      expect(err).toMatchObject({
        status: 502,
        slug: 'upstream-error',
        title: 'Bad gateway',
        message: 'The payment service failed: null pointer',
      });
      expect(seen).toHaveLength(1);
    });

    test('when the callee answers 200 with a body that is not JSON, then it is a 502', async () => {
      const { url } = await upstream((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html>proxy error</html>');
      });

      const err = await failure(client(url).get('/x'));

      expect(err).toMatchObject({ status: 502, slug: 'upstream-error', message: 'The payment service sent an unreadable answer.' });
    });

    test('when exchange() succeeds, then it returns the status, the headers and the parsed body', async () => {
      const { url } = await upstream((_req, res) => {
        res.writeHead(201, { 'content-type': 'application/json', 'idempotent-replay': 'true' });
        res.end('{"id":"tx-9"}');
      });

      const answer = await client(url).exchange<{ id: string }>('POST', '/deposits', { amount: 1 }, { idempotencyKey: 'key-1234-abcd' });

      expect(answer.status).toBe(201);
      expect(answer.headers['idempotent-replay']).toBe('true');
      expect(answer.body).toEqual({ id: 'tx-9' });
    });

    test('when an answer has no body, then the body is undefined', async () => {
      const { url } = await upstream((_req, res) => {
        res.writeHead(204);
        res.end();
      });

      const answer = await client(url).exchange('PUT', '/x', undefined);

      expect(answer).toMatchObject({ status: 204, body: undefined });
    });

    test('when query parameters are given, then they are encoded and undefined ones are left out', async () => {
      const { url, seen } = await upstream((_req, res) => json(res, 200, []));

      await client(url).get('/transactions', { query: { type: 'bet&win', q: 'a b/c?', limit: 20, cursor: undefined } });

      expect(seen[0]!.url).toBe('/transactions?type=bet%26win&q=a+b%2Fc%3F&limit=20');
      expect(new URL(seen[0]!.url, url).searchParams.get('type')).toBe('bet&win');
      expect(seen[0]!.headers.accept).toBe('application/json');
    });
  });
});

describe('backoffDelay', () => {
  test.each([0, 1, 2, 3, 5, 10])('when attempt %i is delayed, then the wait is within [0, min(cap, base × 2^attempt)]', (attempt) => {
    const base = 50;
    const cap = 1000;
    const bound = Math.min(cap, base * 2 ** attempt);

    const delays = Array.from({ length: 500 }, () => backoffDelay(attempt, base, cap));

    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...delays)).toBeLessThanOrEqual(bound);
    // Full jitter: the waits spread over the range rather than sitting at one value.
    expect(Math.max(...delays) - Math.min(...delays)).toBeGreaterThan(bound / 2);
  });

  test('when no cap is given, then waits never exceed one second', () => {
    const delays = Array.from({ length: 200 }, () => backoffDelay(20, 100));

    expect(Math.max(...delays)).toBeLessThanOrEqual(1000);
  });
});
