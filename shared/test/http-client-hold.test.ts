import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ServiceClient } from '@casino/shared/http-client';

let server: Server;
let url: string;
/** When the upstream answered each request, by performance.now(). */
const answeredAt: number[] = [];

beforeAll(async () => {
  server = createServer((_req, res) => {
    answeredAt.push(performance.now());
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, padding: 'x'.repeat(64_000) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

const client = (timeoutMs = 2_000) => new ServiceClient({ service: 'game', baseUrl: url, timeoutMs, retries: 0 });

describe('ServiceClient holding an answer back (the latency scenario)', () => {
  test('when a call holds its answer 200 ms, then the caller gets the whole answer 200 ms after the upstream sent it', async () => {
    const start = performance.now();

    const answer = await client().get<{ ok: boolean; padding: string }>('/games', { holdAnswerMs: 200 });

    const end = performance.now();
    expect(answer).toMatchObject({ ok: true });
    expect(answer.padding).toHaveLength(64_000);
    expect(answeredAt.at(-1)! - start).toBeLessThan(150);
    expect(end - answeredAt.at(-1)!).toBeGreaterThanOrEqual(199);
  });

  test("when the hold outlasts the call's timeout, then the call is a 504 and the next call is answered", async () => {
    await expect(client(100).get('/games', { holdAnswerMs: 500 })).rejects.toMatchObject({ status: 504, slug: 'upstream-timeout' });

    await expect(client().get('/games')).resolves.toMatchObject({ ok: true });
  });
});
