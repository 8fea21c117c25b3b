/**
 * cache-outage: every service works as if Redis were unreachable (the no-op cache answers, the
 * rate limit counts in process), says so on /readyz and /health, and players see no error.
 */
import { createHmac, randomUUID } from 'node:crypto';
import { SERVICES, type ServiceName } from '@casino/shared';
import { Redis } from 'ioredis';
import type { IngestedSpan } from '../support/ingest';
import { call, TEST_SECRETS } from '../support/platform';
import { newPlayer, type ObservedPlatform, serviceOf, startObservedPlatform, switchScenario, traceSpans } from './observed-platform';

const REDIS_URL = 'redis://127.0.0.1:6379';
const LIMIT = 6;

const isRedis = (s: IngestedSpan) => s.attributes['db.system.name'] === 'redis';
const isStatusServer = (s: IngestedSpan) =>
  serviceOf(s) === 'user' && s.op === 'http.server' && /\/players\/:playerId\/status$/.test(s.name);
const isPlayersRead = (s: IngestedSpan) => serviceOf(s) === 'user' && s.op === 'db' && s.attributes['db.collection.name'] === 'players';

describe('cache-outage', () => {
  let o: ObservedPlatform;
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  // The rate limit counts per client address: one of its own keeps this test apart from any other.
  const client = `10.${[0, 0, 0].map(() => Math.floor(Math.random() * 250) + 1).join('.')}`;
  const fromClient = { 'x-forwarded-for': client };
  // Redis names the client by an HMAC of its address under the JWT secret, never by the address.
  const clientKey = createHmac('sha256', TEST_SECRETS.JWT_SECRET).update(client).digest('base64url').slice(0, 22);
  const redisHits = async () => Number((await redis.get(`casino:gateway:ratelimit:${clientKey}`)) ?? 0);
  const login = () => call(o.api, 'POST', '/auth/login', { body: {}, headers: fromClient });

  beforeAll(async () => {
    await redis.connect();
    o = await startObservedPlatform({ REDIS_URL, RATE_LIMIT_AUTH_PER_MINUTE: String(LIMIT) });
  }, 60_000);

  afterAll(async () => {
    await switchScenario(o.api, 'cache-outage', false).catch(() => undefined);
    await o?.stop();
    redis.disconnect();
  });

  const readiness = async (service: ServiceName) => {
    const res = await fetch(`http://127.0.0.1:${o.platform.ports[service]}/readyz`);
    return { status: res.status, body: (await res.json()) as { status: string; components: { cache: string } } };
  };

  /** Milliseconds until every service's /readyz reports the cache as `cache`, polling; at most 5 s. */
  async function untilEveryCache(cache: string): Promise<number> {
    const start = Date.now();
    for (;;) {
      const states = await Promise.all(SERVICES.map(readiness));
      if (states.every((r) => r.body.components.cache === cache)) return Date.now() - start;
      if (Date.now() - start > 5_000) return Infinity;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  test('when cache-outage is switched on and off, then every service reports the cache degraded, players see no error, the rate limit counts in memory, and it is ready again', async () => {
    expect(await untilEveryCache('ready')).toBeLessThan(3_000);
    // Counted in Redis before the outage.
    for (let i = 0; i < 3; i++) expect((await login()).status).toBe(400);
    expect(await redisHits()).toBe(3);
    expect(await redis.exists(`casino:gateway:ratelimit:${client}`)).toBe(0);
    // Cached before the outage; excluded during it: afterwards the stale cached status must not let them play.
    const excluded = await newPlayer(o.api, 1_000, { 'x-forwarded-for': '10.255.0.1' });

    await switchScenario(o.api, 'cache-outage', true);
    const degradedAfterMs = await untilEveryCache('degraded');

    for (const service of SERVICES) {
      expect([service, await readiness(service)]).toEqual([
        service,
        { status: 200, body: { status: 'degraded', components: { store: 'up', cache: 'degraded' } } },
      ]);
      const health = (await (await fetch(`http://127.0.0.1:${o.platform.ports[service]}/health`)).json()) as {
        components: { cache: unknown };
      };
      expect([service, health.components.cache]).toEqual([service, { status: 'warn', state: 'degraded' }]);
    }
    // A player's journey: register, deposit, five spins, all fine.
    const token = await newPlayer(o.api, 5_000, { 'x-forwarded-for': '10.255.0.2' });
    const spins: string[] = [];
    let total = 5_000;
    for (let i = 0; i < 5; i++) {
      const spin = await call<{ win: number; wallet: { total: number } }>(o.api, 'POST', '/games/lucky-sevens/spins', {
        token,
        key: randomUUID(),
        body: { stake: 100 },
      });
      expect(spin.status).toBe(201);
      total += spin.body.win - 100;
      expect(spin.body.wallet.total).toBe(total);
      spins.push(spin.traceId);
    }
    expect((await call(o.api, 'POST', '/me/self-exclusion', { token: excluded, body: { days: 1 } })).status).toBe(200);
    // The limit holds, counted in the gateway's memory from zero: Redis, at 3 already, would refuse the 4th.
    const attempts: number[] = [];
    for (let i = 0; i <= LIMIT; i++) attempts.push((await login()).status);
    expect(attempts).toEqual([...Array<number>(LIMIT).fill(400), 429]);
    expect(await redisHits()).toBe(3);

    await switchScenario(o.api, 'cache-outage', false);
    const readyAfterMs = await untilEveryCache('ready');
    const refused = await call<{ type: string }>(o.api, 'POST', '/games/lucky-sevens/spins', {
      token: excluded,
      key: randomUUID(),
      body: { stake: 100 },
    });
    const afterSpin = await call(o.api, 'POST', '/games/lucky-sevens/spins', { token, key: randomUUID(), body: { stake: 100 } });

    console.log(`cache-outage: every /readyz degraded ${degradedAfterMs} ms after the switch, ready again ${readyAfterMs} ms after`);
    expect(degradedAfterMs).toBeLessThan(3_000);
    expect(readyAfterMs).toBeLessThan(3_000);
    expect([refused.status, refused.body.type]).toEqual([403, 'urn:casino:problem:self-excluded']);
    expect(afterSpin.status).toBe(201);

    // During the outage no service touched Redis, the user status came from the store on every spin, and the lookups are marked.
    const traces = await Promise.all(
      spins.map((id) => traceSpans(o.ingest, id, 'a spin during the outage', (all) => all.some(isStatusServer))),
    );
    for (const spans of traces) {
      expect(spans.filter(isRedis)).toEqual([]);
      expect(spans.filter(isPlayersRead)).toHaveLength(1);
      expect(spans.find(isStatusServer)!.attributes['casino.scenario']).toBe('cache-outage');
    }
    const back = await traceSpans(o.ingest, afterSpin.traceId, 'a spin after the outage', (all) => all.some(isStatusServer));
    expect(back.filter(isRedis).length).toBeGreaterThan(0);
    expect(back.find(isStatusServer)!.attributes['casino.scenario']).toBeUndefined();
    // Nothing went wrong for the player: no error event from any service.
    expect(o.ingest.events().filter((e) => e.event.level === 'error' || e.event.level === 'fatal')).toEqual([]);
  });
});
