import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ServiceClient } from '@casino/shared/http-client';

import type { Dispatcher } from '@casino/shared/http-client';

/** A dispatcher that answers every request itself, so nothing reaches the network. */
function answering(body: unknown, seen: string[]): Dispatcher {
  const dispatch: Dispatcher['dispatch'] = (options, handler) => {
    seen.push(`${options.method} ${options.path}`);
    handler.onConnect?.(() => undefined);
    handler.onHeaders?.(200, [Buffer.from('content-type'), Buffer.from('application/json')], () => undefined, 'OK');
    handler.onData?.(Buffer.from(JSON.stringify(body)));
    handler.onComplete?.([]);
    return true;
  };
  return { dispatch } as unknown as Dispatcher;
}

describe('ServiceClient with a dispatcher of its own for one call', () => {
  let client: ServiceClient;

  beforeAll(async () => {
    // A port that was free a moment ago: only the given dispatcher can answer there.
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    client = new ServiceClient({ service: 'game', baseUrl: `http://127.0.0.1:${port}`, timeoutMs: 2_000, retries: 0 });
  });

  test('when a call names a dispatcher, then the request goes through it instead of the network', async () => {
    const seen: string[] = [];

    const answer = await client.get<{ ok: boolean }>('/games', { dispatcher: answering({ ok: true }, seen), query: { limit: 5 } });

    expect(answer).toEqual({ ok: true });
    expect(seen).toEqual(['GET /games?limit=5']);
  });

  test('when the next call names none, then it goes to the network as before', async () => {
    await expect(client.get('/games')).rejects.toMatchObject({ status: 503, slug: 'service-unavailable' });
  });
});
