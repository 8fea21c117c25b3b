import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SentryIngest } from './support/ingest';
import { call, type RunningPlatform, startPlatform } from './support/platform';

const password = `Modes-${randomUUID()}`;
const userApi = (p: RunningPlatform) => `http://127.0.0.1:${p.ports.user}`;
const health = async (p: RunningPlatform) => (await (await fetch(`${userApi(p)}/health`)).json()) as { sentry: string };

describe('Sentry settings', () => {
  const ingest = new SentryIngest();
  beforeAll(() => ingest.start());
  afterAll(() => ingest.stop());

  test('when the trace lifecycle is static, then transactions carry the service tag, server name and no request body', async () => {
    const platform = await startPlatform({ SENTRY_DSN: ingest.dsn(21), SENTRY_TRACE_LIFECYCLE: 'static' }, ['user']);
    try {
      const direct = await call(userApi(platform), 'POST', '/players', {
        as: ['gateway', 'user'],
        body: { email: `s-${randomUUID()}@example.com`, password },
      });
      expect(direct.status).toBe(201);
      const tx = await ingest.waitFor('a transaction', () =>
        ingest.transactions().find((t) => t.project === '21' && t.event.transaction === 'POST /players'),
      );
      expect(tx.event).toMatchObject({ server_name: 'user', tags: expect.objectContaining({ service: 'user' }) });
      const spans = tx.event.spans as { data: Record<string, unknown> }[];
      expect(spans.length).toBeGreaterThan(0);
      expect(spans.every((s) => s.data['service.name'] === 'user')).toBe(true);
      expect(JSON.stringify(tx.event)).not.toContain(password);
    } finally {
      await platform.stop();
    }
  });

  test('when Spotlight is on, then its sidecar receives the transactions and the profile chunks with no DSN set', async () => {
    const platform = await startPlatform({ SENTRY_SPOTLIGHT: ingest.spotlightUrl() }, ['user']);
    try {
      expect((await health(platform)).sentry).toBe('spotlight');
      await call(userApi(platform), 'POST', '/players', {
        as: ['gateway', 'user'],
        body: { email: `sp-${randomUUID()}@example.com`, password },
      });
      const tx = await ingest.waitFor('a transaction at the sidecar', () =>
        ingest.transactions().find((t) => t.project === 'spotlight' && t.event.transaction === 'POST /players'),
      );
      expect(tx.event.tags).toMatchObject({ service: 'user' });
      // The profiler hands its chunks to the transport, not through the hook the Spotlight
      // integration copies envelopes from: the kit forwards them (withProfilesToSpotlight).
      await ingest.waitFor('a profile chunk at the sidecar', () => ingest.profileChunks().find((c) => c.project === 'spotlight'));
    } finally {
      await platform.stop();
    }
  });

  test('when a DSN and Spotlight are both set, then Sentry and the sidecar each get the transaction and the profile', async () => {
    const platform = await startPlatform({ SENTRY_DSN: ingest.dsn(23), SENTRY_SPOTLIGHT: ingest.spotlightUrl() }, ['user']);
    try {
      expect((await health(platform)).sentry).toBe('remote');
      const email = `both-${randomUUID()}@example.com`;
      const created = await call(userApi(platform), 'POST', '/players', { as: ['gateway', 'user'], body: { email, password } });
      expect(created.status).toBe(201);
      const sent = (project: string) =>
        ingest
          .transactions()
          .find((t) => t.project === project && (t.event.contexts as { trace: { trace_id: string } }).trace.trace_id === created.traceId);
      await ingest.waitFor('the transaction at Sentry and at the sidecar', () => (sent('23') && sent('spotlight') ? true : undefined));
      await ingest.waitFor('profile chunks at Sentry and at the sidecar', () =>
        ['23', 'spotlight'].every((project) => ingest.profileChunks().some((c) => c.project === project)) ? true : undefined,
      );
    } finally {
      await platform.stop();
    }
  });

  test('when SENTRY_LOGS and SENTRY_METRICS are false, then the transaction is sent but no log and no metric, and stdout still has the lines', async () => {
    const platform = await startPlatform(
      { SENTRY_DSN: ingest.dsn(33), SENTRY_TRACE_LIFECYCLE: 'static', SENTRY_LOGS: 'false', SENTRY_METRICS: 'false' },
      ['user'],
    );
    const on = await startPlatform({ SENTRY_DSN: ingest.dsn(34), SENTRY_TRACE_LIFECYCLE: 'static' }, ['user']);
    try {
      for (const p of [platform, on]) {
        const made = await call(userApi(p), 'POST', '/players', {
          as: ['gateway', 'user'],
          body: { email: `lm-${randomUUID()}@example.com`, password },
        });
        expect(made.status).toBe(201);
      }
      await ingest.waitFor('the transaction with logs and metrics off', () =>
        ingest.transactions().find((t) => t.project === '33' && t.event.transaction === 'POST /players'),
      );
      // Both stop the same way, flushing what they hold: once the one with logs on has sent its
      // last line, the other has sent everything it ever would.
      await Promise.all([platform.stop(), on.stop()]);
      await ingest.waitFor('the last log line and a metric of the service with them on', () =>
        ingest.logs().some((l) => l.project === '34' && l.body.endsWith(': draining')) && ingest.metrics().some((m) => m.project === '34')
          ? true
          : undefined,
      );
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(ingest.logs().filter((l) => l.project === '33')).toEqual([]);
      expect(ingest.metrics().filter((m) => m.project === '33')).toEqual([]);
      expect(platform.logs.some((l) => l.line.includes('POST /players 201'))).toBe(true);
    } finally {
      await Promise.all([platform.stop(), on.stop()]);
    }
  });

  test('when SENTRY_ENABLED is false, then nothing is sent and problems still carry a trace id', async () => {
    const before = ingest.envelopes.length;
    const platform = await startPlatform({ SENTRY_DSN: ingest.dsn(22), SENTRY_ENABLED: 'false' }, ['user']);
    try {
      expect((await health(platform)).sentry).toBe('off');
      const bad = await call<{ traceId: string }>(userApi(platform), 'POST', '/players', {
        as: ['gateway', 'user'],
        body: { email: 'not-an-email', password },
      });
      expect(bad.status).toBe(400);
      expect(bad.body.traceId).toMatch(/^[0-9a-f]{32}$/);
      await call(userApi(platform), 'POST', '/players', {
        as: ['gateway', 'user'],
        body: { email: `off-${randomUUID()}@example.com`, password },
      });
    } finally {
      await platform.stop();
    }
    expect(ingest.envelopes.slice(before).filter((e) => e.project === '22')).toEqual([]);
  });

  test('when there is no DSN, then tracing still runs locally: each request line has its own trace and span id', async () => {
    const platform = await startPlatform({}, ['user']);
    try {
      expect((await health(platform)).sentry).toBe('local');
      const a = await call(userApi(platform), 'POST', '/players', {
        as: ['gateway', 'user'],
        body: { email: `l-${randomUUID()}@example.com`, password },
      });
      const b = await call(userApi(platform), 'POST', '/players', {
        as: ['gateway', 'user'],
        body: { email: `l-${randomUUID()}@example.com`, password },
      });
      expect(a.traceId).not.toBe(b.traceId);
      await new Promise((r) => setTimeout(r, 200));
      const lines = platform.logs.map((l) => JSON.parse(l.line) as { trace_id?: string; span_id?: string; req?: unknown });
      for (const traceId of [a.traceId, b.traceId]) {
        const line = lines.find((l) => l.req && l.trace_id === traceId);
        expect(line?.span_id).toMatch(/^[0-9a-f]{16}$/);
      }
    } finally {
      await platform.stop();
    }
  });

  test('when a service answers 30 requests in a row, then its profiler sends one chunk for them once it falls quiet, and every segment span still has the runtime and memory figures', async () => {
    const platform = await startPlatform({ SENTRY_DSN: ingest.dsn(36) }, ['user']);
    try {
      const traceIds: string[] = [];
      for (let i = 0; i < 30; i++) {
        const answer = await call(userApi(platform), 'GET', `/players/${randomUUID()}/status`, { as: ['game', 'user'] });
        expect(answer.status).toBe(404);
        traceIds.push(answer.traceId);
      }
      // The SDK's trace lifecycle stopped the profiler, and sent a chunk, after each of them.
      await ingest.waitFor('a profile chunk', () => ingest.profileChunks().find((c) => c.project === '36'));
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      const chunks = ingest.profileChunks().filter((c) => c.project === '36');
      expect(chunks.length).toBeLessThanOrEqual(2);
      // Memory is read at most once a second for these figures, not per span, but every span has them.
      const segments = await ingest.waitFor('the 30 segment spans', () => {
        const found = ingest.spans().filter((s) => s.project === '36' && s.segment && traceIds.includes(s.traceId));
        return found.length === 30 ? found : undefined;
      });
      for (const span of segments) {
        expect(span.attributes['process.runtime.engine.name']).toBe('v8');
        expect(span.attributes['app.memory']).toEqual(expect.any(Number));
      }
    } finally {
      await platform.stop();
    }
  });
});

describe('trace propagation between services', () => {
  let peers: Server;
  const seen: { path: string; headers: IncomingHttpHeaders }[] = [];
  let platform: RunningPlatform;

  beforeAll(async () => {
    // Stands in for user, payment and wager, so the game's outgoing calls can be inspected.
    peers = createServer((req, res) => {
      seen.push({ path: req.url ?? '', headers: req.headers });
      const path = req.url ?? '';
      const wallet = { currency: 'EUR', cash: 1_000, bonus: 0, total: 1_000 };
      const tx = {
        id: randomUUID(),
        type: 'bet',
        amount: -10,
        cash: -10,
        bonus: 0,
        balanceAfter: 990,
        createdAt: new Date().toISOString(),
        ref: null,
      };
      const body = path.endsWith('/status')
        ? { id: 'x', status: 'active', selfExcludedUntil: null, dailyDepositLimit: 1, pendingDepositLimit: null }
        : path.endsWith('/wagers')
          ? { bonus: null }
          : { transaction: tx, wallet };
      res
        .writeHead(path.endsWith('/status') || path.endsWith('/wagers') ? 200 : 201, { 'content-type': 'application/json' })
        .end(JSON.stringify(body));
    });
    await new Promise<void>((r) => peers.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(peers.address() as AddressInfo).port}`;
    platform = await startPlatform({ USER_URL: url, PAYMENT_URL: url, WAGER_URL: url }, ['game']);
  }, 60_000);

  afterAll(async () => {
    await platform.stop();
    await new Promise((r) => peers.close(r));
  });

  test('when the game calls other services, then every call carries sentry-trace, baggage and traceparent of the same trace', async () => {
    const game = `http://127.0.0.1:${platform.ports.game}`;
    seen.length = 0;
    const spin = await call(game, 'POST', `/players/${randomUUID()}/games/lucky-sevens/spins`, {
      as: ['gateway', 'game'],
      body: { stake: 10 },
      key: `k-${randomUUID()}`,
    });
    expect(spin.status).toBe(201);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    for (const { path, headers } of seen) {
      const [traceId, spanId, sampled] = String(headers['sentry-trace']).split('-');
      expect([path, traceId]).toEqual([path, spin.traceId]);
      expect(headers.traceparent).toBe(`00-${traceId}-${spanId}-0${sampled}`);
      expect(String(headers.baggage)).toContain(`sentry-trace_id=${spin.traceId}`);
    }
  });

  test('when a request arrives with sentry-trace and baggage, then the service continues that trace', async () => {
    const game = `http://127.0.0.1:${platform.ports.game}`;
    const traceId = randomUUID().replace(/-/g, '');
    const res = await call(game, 'GET', '/games', {
      as: ['gateway', 'game'],
      headers: { 'sentry-trace': `${traceId}-1234567890abcdef-1`, baggage: `sentry-trace_id=${traceId},sentry-sampled=true` },
    });
    expect(res.traceId).toBe(traceId);
  });

  test('when a request arrives with only a W3C traceparent, then the service continues that trace', async () => {
    const game = `http://127.0.0.1:${platform.ports.game}`;
    const traceId = randomUUID().replace(/-/g, '');
    const res = await call(game, 'GET', '/games', {
      as: ['gateway', 'game'],
      headers: { traceparent: `00-${traceId}-1234567890abcdef-01` },
    });
    expect(res.traceId).toBe(traceId);
  });
});
