import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Scenarios, ServiceClient } from '@casino/shared';
import { delayingDispatcher, injectedLatency } from '../../src/scenarios/latency';

let server: Server;
let url: string;
/** When the upstream answered each request, by performance.now(). */
const answeredAt: number[] = [];

beforeAll(async () => {
  // Jest runs each file in a realm of its own, whose globalThis is not the one Node's fetch keeps
  // its dispatcher on: lend it that one, as the gateway's process has it.
  await fetch('data:,warm-up');
  const outer = (fetch.constructor as FunctionConstructor)('return globalThis')() as Record<symbol, unknown>;
  const key = Symbol.for('undici.globalDispatcher.1');
  (globalThis as Record<symbol, unknown>)[key] ??= outer[key];
  server = createServer((_req, res) => {
    answeredAt.push(performance.now());
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, padding: 'x'.repeat(64_000) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise((resolve) => server.close(resolve)));

const client = (timeoutMs = 2_000) => new ServiceClient({ service: 'game', baseUrl: url, timeoutMs, retries: 0 });

describe('the delaying dispatcher', () => {
  test('when a call goes through it, then the caller gets the whole answer ms after the upstream sent it', async () => {
    const start = performance.now();

    const answer = await client().get<{ ok: boolean; padding: string }>('/games', { dispatcher: delayingDispatcher(200) });

    const end = performance.now();
    expect(answer).toMatchObject({ ok: true });
    expect(answer.padding).toHaveLength(64_000);
    expect(answeredAt.at(-1)! - start).toBeLessThan(150);
    expect(end - answeredAt.at(-1)!).toBeGreaterThanOrEqual(199);
  });

  test("when the delay outlasts the call's timeout, then the call is a 504 and the connection serves the next call", async () => {
    await expect(client(100).get('/games', { dispatcher: delayingDispatcher(500) })).rejects.toMatchObject({ status: 504 });

    await expect(client().get('/games')).resolves.toMatchObject({ ok: true });
  });
});

describe('the latency scenario in the gateway', () => {
  const upstreams = () => ({ user: client(), game: client(), payment: client(), wager: client() });

  test('when it is on for one service, then only calls to that service get a dispatcher, and only while it is on', () => {
    const scenarios = new Scenarios();
    const clients = upstreams();
    const latency = injectedLatency(scenarios, clients);
    expect(latency(clients.game)).toBeUndefined();

    scenarios.replace({ latency: { enabled: true, params: { ms: 300, service: 'game' } } });
    expect(latency(clients.game)).toBeDefined();
    expect(latency(clients.payment)).toBeUndefined();

    scenarios.replace({});
    expect(latency(clients.game)).toBeUndefined();
  });
});
