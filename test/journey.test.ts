import { randomUUID } from 'node:crypto';
import { SERVICES, type ServiceName } from '@casino/shared';
import { SentryIngest, type IngestedSpan } from './support/ingest';
import { call, type RunningPlatform, startPlatform, TEST_SECRETS } from './support/platform';

/** Each service reports to its own project (SENTRY_DSN_<SERVICE>), so the ingest knows who sent what. */
const PROJECT: Record<ServiceName, string> = { gateway: '11', user: '12', game: '13', payment: '14', wager: '15' };
const SERVICE_OF = Object.fromEntries(Object.entries(PROJECT).map(([s, p]) => [p, s])) as Record<string, ServiceName>;

const password = `Journey-${randomUUID()}`;
const tokens: string[] = [];
/** Client addresses as proxies and clients send them (documentation ranges, RFC 5737 and 3849). */
const CLIENT_ADDRESSES = ['203.0.113.77', '198.51.100.23', '192.0.2.60', '2001:db8::17'];
const ADDRESS_HEADERS = {
  'x-forwarded-for': `${CLIENT_ADDRESSES[0]}, ${CLIENT_ADDRESSES[1]}`,
  'x-real-ip': CLIENT_ADDRESSES[1]!,
  forwarded: `for=${CLIENT_ADDRESSES[2]};proto=https, for="[${CLIENT_ADDRESSES[3]}]"`,
  'true-client-ip': CLIENT_ADDRESSES[0]!,
};

function leaves(value: unknown): unknown[] {
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(leaves);
  return [value];
}

interface Wallet {
  currency: string;
  cash: number;
  bonus: number;
  total: number;
}

async function newPlayer(api: string, funds = 10_000): Promise<string> {
  const reg = await call<{ accessToken: string }>(api, 'POST', '/auth/register', {
    body: { email: `j-${randomUUID()}@example.com`, password },
  });
  expect(reg.status).toBe(201);
  tokens.push(reg.body.accessToken);
  if (funds > 0) {
    const dep = await call(api, 'POST', '/wallet/deposits', { token: reg.body.accessToken, body: { amount: funds }, key: randomUUID() });
    expect(dep.status).toBe(201);
  }
  return reg.body.accessToken;
}

describe('the platform as five real processes', () => {
  const ingest = new SentryIngest();
  let platform: RunningPlatform;
  let api: string;

  beforeAll(async () => {
    await ingest.start();
    platform = await startPlatform({
      ...Object.fromEntries(SERVICES.map((s) => [`SENTRY_DSN_${s.toUpperCase()}`, ingest.dsn(PROJECT[s])])),
      SENTRY_ENVIRONMENT: 'journey',
      SENTRY_RELEASE: 'casino@journey-test',
      SENTRY_PROFILE_SESSION_SAMPLE_RATE: '1',
      REDIS_URL: 'redis://127.0.0.1:6379',
    });
    api = platform.api;
  }, 60_000);

  afterAll(async () => {
    await platform?.stop();
    await ingest.stop();
  });

  test('when every service has started, then each one is ready with its store up and Redis in use', async () => {
    for (const service of SERVICES) {
      const res = await fetch(`http://127.0.0.1:${platform.ports[service]}/readyz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ status: 'ok', components: { store: 'up', cache: 'ready' } });
    }
  });

  test('when a player registers, deposits, claims the welcome bonus and spins, then the money adds up', async () => {
    const email = `ada-${randomUUID()}@example.com`;
    const reg = await call<{ accessToken: string; player: { id: string } }>(api, 'POST', '/auth/register', {
      body: { email, password, displayName: 'Ada' },
    });
    expect(reg.status).toBe(201);
    const login = await call<{ accessToken: string }>(api, 'POST', '/auth/login', { body: { email: email.toUpperCase(), password } });
    expect(login.status).toBe(200);
    const token = login.body.accessToken;
    tokens.push(reg.body.accessToken, token);

    // Deposit, and replay the same request: one deposit.
    const key = randomUUID();
    const deposit = await call<{ transaction: { id: string }; wallet: Wallet }>(api, 'POST', '/wallet/deposits', {
      token,
      key,
      body: { amount: 10_000 },
    });
    const replay = await call<{ transaction: { id: string }; wallet: Wallet }>(api, 'POST', '/wallet/deposits', {
      token,
      key,
      body: { amount: 10_000 },
    });
    expect(deposit.status).toBe(201);
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.transaction.id).toBe(deposit.body.transaction.id);
    expect((await call<Wallet>(api, 'GET', '/wallet', { token })).body).toEqual({ currency: 'EUR', cash: 10_000, bonus: 0, total: 10_000 });

    // Welcome bonus: 100% of the first deposit, 35x wagering.
    const claim = await call<{ bonus: { amount: number; wageringRequired: number } }>(api, 'POST', '/bonuses/offers/welcome-100/claim', {
      token,
      body: {},
    });
    expect(claim.status).toBe(201);
    expect(claim.body.bonus).toMatchObject({ amount: 10_000, wageringRequired: 350_000 });

    // Five spins; the last one sent twice.
    let expected = 20_000;
    let winCount = 0;
    let lastKey = '';
    let last: { roundId: string; wallet: Wallet } | undefined;
    for (let i = 0; i < 5; i++) {
      lastKey = randomUUID();
      const spin = await call<{ roundId: string; stake: number; win: number; reels: string[][]; wallet: Wallet }>(
        api,
        'POST',
        '/games/lucky-sevens/spins',
        {
          token,
          key: lastKey,
          body: { stake: 100 },
        },
      );
      expect(spin.status).toBe(201);
      expect(spin.body.reels).toHaveLength(3);
      expected += spin.body.win - 100;
      if (spin.body.win > 0) winCount++;
      expect(spin.body.wallet.total).toBe(expected);
      last = spin.body;
    }
    const again = await call<{ roundId: string }>(api, 'POST', '/games/lucky-sevens/spins', { token, key: lastKey, body: { stake: 100 } });
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.roundId).toBe(last!.roundId);

    // Stakes came from cash; the bonus is untouched and the ledger sums to the wallet.
    const wallet = (await call<Wallet>(api, 'GET', '/wallet', { token })).body;
    expect(wallet.total).toBe(expected);
    expect(wallet.bonus).toBe(10_000);
    const ledger = (await call<{ items: { type: string; amount: number }[] }>(api, 'GET', '/wallet/transactions?limit=100', { token })).body
      .items;
    expect(ledger.reduce((sum, t) => sum + t.amount, 0)).toBe(wallet.total);
    const count = (type: string) => ledger.filter((t) => t.type === type).length;
    expect([count('deposit'), count('bonus_credit'), count('bet'), count('win')]).toEqual([1, 1, 5, winCount]);
    expect((await call<{ items: unknown[] }>(api, 'GET', '/rounds', { token })).body.items).toHaveLength(5);
    const active = await call<{ bonus: { wagered: number } }>(api, 'GET', '/bonuses/active', { token });
    expect(active.body.bonus.wagered).toBe(500);

    // Withdrawing while wagering is open: refused, unless the player forfeits the bonus.
    const refused = await call<{ type: string; traceId: string }>(api, 'POST', '/wallet/withdrawals', { token, body: { amount: 1_000 } });
    expect(refused.status).toBe(409);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    expect(refused.body).toMatchObject({ type: 'urn:casino:problem:wagering-open', traceId: refused.traceId });
    const withdrawal = await call<{ wallet: Wallet }>(api, 'POST', '/wallet/withdrawals', {
      token,
      key: randomUUID(),
      body: { amount: 1_000, forfeitBonus: true },
    });
    expect(withdrawal.status).toBe(201);
    expect(withdrawal.body.wallet).toEqual({ currency: 'EUR', cash: wallet.cash - 1_000, bonus: 0, total: wallet.cash - 1_000 });
    expect((await call(api, 'GET', '/bonuses/active', { token })).body).toEqual({ bonus: null });
    const after = (await call<{ items: { type: string; amount: number }[] }>(api, 'GET', '/wallet/transactions?limit=100', { token })).body
      .items;
    expect(after.find((t) => t.type === 'bonus_forfeit')?.amount).toBe(-10_000);
    expect(after.reduce((sum, t) => sum + t.amount, 0)).toBe(wallet.cash - 1_000);
  });

  test('when a request is bad, then the player gets a 4xx problem with a trace id and keeps their money', async () => {
    const token = await newPlayer(api, 1_000);
    const cases = [
      { path: '/games/lucky-sevens/spins', body: { stake: 1_000_000 }, status: 422, type: 'stake-out-of-range' },
      { path: '/games/lucky-sevens/spins', body: { stake: 5_000 }, status: 422, type: 'insufficient-funds' },
      { path: '/games/no-such-game/spins', body: { stake: 100 }, status: 404, type: 'game-not-found' },
      { path: '/wallet/deposits', body: { amount: -5 }, status: 400, type: 'invalid-request' },
      { path: '/wallet/withdrawals', body: { amount: 5_000 }, status: 422, type: 'insufficient-funds' },
      { path: '/bonuses/offers/nope/claim', body: {}, status: 404, type: 'offer-not-found' },
    ];
    for (const c of cases) {
      const res = await call<{ type: string; traceId: string }>(api, 'POST', c.path, { token, body: c.body, key: randomUUID() });
      expect([c.path, res.status, res.body.type]).toEqual([c.path, c.status, `urn:casino:problem:${c.type}`]);
      expect(res.body.traceId).toMatch(/^[0-9a-f]{32}$/);
    }
    expect((await call<Wallet>(api, 'GET', '/wallet', { token })).body.total).toBe(1_000);
  });

  test('when a player withdraws a deposit and then claims a bonus on it, then the claim is refused and no bonus money appears', async () => {
    const token = await newPlayer(api, 10_000);
    expect((await call(api, 'POST', '/wallet/withdrawals', { token, body: { amount: 10_000 }, key: randomUUID() })).status).toBe(201);

    const claim = await call(api, 'POST', '/bonuses/offers/reload-50/claim', { token, body: {}, key: randomUUID() });

    expect(claim.status).toBe(422);
    expect(claim.body).toMatchObject({ type: 'urn:casino:problem:deposit-not-held', traceId: expect.any(String) });
    expect((await call<Wallet>(api, 'GET', '/wallet', { token })).body).toMatchObject({ cash: 0, bonus: 0 });
  });

  test('when a player spins, then one trace holds spans from all five services, each hop a child of its caller', async () => {
    const token = await newPlayer(api);
    const gatewayUrl = `http://127.0.0.1:${platform.ports.gateway}`;
    for (const path of ['/healthz', '/readyz', '/health', '/metrics', '/metrics/json'])
      expect((await fetch(gatewayUrl + path)).status).toBe(200);
    const spin = await call(api, 'POST', '/games/fruit-fiesta/spins', { token, key: randomUUID(), body: { stake: 50 } });
    expect(spin.status).toBe(201);
    const traceId = spin.traceId;

    const serverSpan = (spans: IngestedSpan[], service: ServiceName, name: RegExp) =>
      spans.find((s) => SERVICE_OF[s.project] === service && s.op === 'http.server' && name.test(s.name));
    const expectations: [ServiceName, RegExp][] = [
      ['gateway', /^POST \/api\/v1\/games\/:gameId\/spins$/],
      ['game', /^POST \/players\/:playerId\/games\/:gameId\/spins$/],
      ['user', /^GET \/players\/:playerId\/status$/],
      ['payment', /^POST \/wallets\/:playerId\/bets$/],
      ['wager', /^POST \/players\/:playerId\/wagers$/],
    ];
    const spans = await ingest.waitFor('the spin trace from all five services', () => {
      const inTrace = ingest.spans().filter((s) => s.traceId === traceId);
      return expectations.every(([service, name]) => serverSpan(inTrace, service, name)) ? inTrace : undefined;
    });

    const byId = new Map(spans.map((s) => [s.spanId, s]));
    const parentOf = (span: IngestedSpan) => (span.parentSpanId ? byId.get(span.parentSpanId) : undefined);
    const gateway = serverSpan(spans, 'gateway', expectations[0]![1])!;
    expect(gateway.parentSpanId).toBeUndefined();
    const callerOf: Record<Exclude<ServiceName, 'gateway'>, ServiceName> = {
      game: 'gateway',
      user: 'game',
      payment: 'game',
      wager: 'game',
    };
    for (const [service, name] of expectations.slice(1)) {
      const span = serverSpan(spans, service, name)!;
      const parent = parentOf(span);
      expect([service, parent && SERVICE_OF[parent.project], parent?.op]).toEqual([
        service,
        callerOf[service as Exclude<ServiceName, 'gateway'>],
        'http.client',
      ]);
    }
    // Route handlers make spans; middleware does not, and neither do health and metrics probes.
    expect(spans.filter((s) => s.op === 'middleware' || s.op === 'router')).toEqual([]);
    expect(ingest.spans().filter((s) => /\/(healthz|readyz|health|metrics)\b/.test(s.name))).toEqual([]);
    // Every span names its service, so any view can filter by it.
    for (const span of spans) expect([span.name, span.attributes['service.name']]).toEqual([span.name, SERVICE_OF[span.project]]);
    // The draw and the ledger writes are in the trace too.
    const rng = spans.find((s) => s.op === 'game.rng')!;
    expect(SERVICE_OF[rng.project]).toBe('game');
    expect(rng.attributes['casino.stake_cents']).toBe(50);
    const ledgerWrites = spans.filter(
      (s) => SERVICE_OF[s.project] === 'payment' && s.op === 'db' && s.attributes['db.collection.name'] === 'ledger',
    );
    expect(ledgerWrites.length).toBeGreaterThan(0);
    // DB spans name the query's shape, never its values.
    const queries = (system: string) =>
      spans
        .filter((s) => s.attributes['db.system.name'] === system)
        .map((s) => s.attributes['db.query.text'])
        .filter((q): q is string => typeof q === 'string');
    expect(queries('embedded').length).toBeGreaterThan(0);
    for (const q of queries('embedded')) expect(leaves(JSON.parse(q)).every((v) => v === '?')).toBe(true);
    for (const q of queries('redis').filter((q) => q.startsWith('set ')))
      expect(
        q
          .split(' ')
          .slice(2)
          .every((v) => v === '?'),
      ).toBe(true);
  });

  test('when a service behind the gateway goes down, then players get a clear 503 and Sentry gets the error with its trace', async () => {
    const token = await newPlayer(api);
    process.kill(platform.pids.wager!, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 300));

    const res = await call<{ type: string; status: number; traceId: string }>(api, 'GET', '/bonuses/active', { token });
    expect(res.status).toBe(503);
    expect(res.body.type).toBe('urn:casino:problem:service-unavailable');
    // A spin still settles: wagering progress is best effort, money is not.
    const spin = await call<{ wallet: Wallet; win: number }>(api, 'POST', '/games/lucky-sevens/spins', {
      token,
      key: randomUUID(),
      body: { stake: 100 },
    });
    expect(spin.status).toBe(201);
    expect(spin.body.wallet.total).toBe(10_000 - 100 + spin.body.win);

    const event = await ingest.waitFor('the gateway error event', () =>
      ingest
        .events()
        .find(
          (e) =>
            e.project === PROJECT.gateway && (e.event.contexts as { trace?: { trace_id?: string } })?.trace?.trace_id === res.body.traceId,
        ),
    );
    expect(event.event).toMatchObject({ server_name: 'gateway', release: 'casino@journey-test', environment: 'journey' });
    expect(event.event.tags).toMatchObject({ service: 'gateway', 'problem.type': 'service-unavailable' });
    const warning = await ingest.waitFor('the game warning about wagering', () =>
      ingest
        .events()
        .find(
          (e) => e.project === PROJECT.game && (e.event.contexts as { trace?: { trace_id?: string } })?.trace?.trace_id === spin.traceId,
        ),
    );
    expect(warning.event).toMatchObject({ level: 'warning', server_name: 'game', tags: expect.objectContaining({ service: 'game' }) });
  });

  test('when a client sends its address in forwarding headers, then its spin and a failed login still answer as usual', async () => {
    const token = await newPlayer(api);
    const spin = await call(api, 'POST', '/games/lucky-sevens/spins', {
      token,
      body: { stake: 100 },
      key: randomUUID(),
      headers: ADDRESS_HEADERS,
    });
    const login = await call(api, 'POST', '/auth/login', {
      body: { email: 'nobody@example.com', password: 'wrong-password-1' },
      headers: ADDRESS_HEADERS,
    });

    expect(spin.status).toBe(201);
    expect(login.status).toBe(401);
  });

  test('when the platform stops, then nothing sent to Sentry or logged holds a password, a token, a secret or a client address', async () => {
    await platform.stop();
    expect(ingest.profileChunks().length).toBeGreaterThan(0);
    const secrets = [password, ...tokens, TEST_SECRETS.JWT_SECRET, TEST_SECRETS.ADMIN_TOKEN];
    const sent = ingest.envelopes.map((e) => e.raw).join('\n');
    const logged = platform.logs.map((l) => l.line).join('\n');
    expect(sent.length).toBeGreaterThan(10_000);
    expect(logged.length).toBeGreaterThan(10_000);
    for (const secret of [...secrets, ...CLIENT_ADDRESSES]) {
      expect([secret, sent.includes(secret)]).toEqual([secret, false]);
      expect([secret, logged.includes(secret)]).toEqual([secret, false]);
    }
    expect(/bearer\s+ey/i.test(sent)).toBe(false);
    // Every log line is JSON with the service and a trace id.
    const lines = platform.logs.filter((l) => l.line.startsWith('{')).map((l) => JSON.parse(l.line) as Record<string, unknown>);
    expect(lines.length).toBeGreaterThan(50);
    expect(lines.every((l) => typeof l.trace_id === 'string' && (l.trace_id as string).length === 32)).toBe(true);
    const requestLines = lines.filter((l) => l.req);
    expect(requestLines.every((l) => typeof l.span_id === 'string')).toBe(true);
  });
});
