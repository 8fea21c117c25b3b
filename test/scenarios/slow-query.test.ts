/**
 * slow-query: the player lookup on the spin path (user GET /players/:id/status) becomes a slow
 * query, spent inside the user service's DB span; the status cache in Redis is skipped meanwhile.
 */
import { randomUUID } from 'node:crypto';
import type { IngestedSpan } from '../support/ingest';
import { call } from '../support/platform';
import {
  durationMs,
  newPlayer,
  type ObservedPlatform,
  serviceOf,
  startObservedPlatform,
  switchScenario,
  traceSpans,
} from './observed-platform';

const isStatusServer = (s: IngestedSpan) =>
  serviceOf(s) === 'user' && s.op === 'http.server' && /\/players\/:playerId\/status$/.test(s.name);
const isPlayersRead = (s: IngestedSpan) => serviceOf(s) === 'user' && s.op === 'db' && s.attributes['db.collection.name'] === 'players';

interface Lookup {
  server: IngestedSpan;
  read: IngestedSpan | undefined;
}

describe('slow-query', () => {
  let o: ObservedPlatform;

  beforeAll(async () => {
    // With Redis, so that the test shows the slow read skips the status cache.
    o = await startObservedPlatform({ REDIS_URL: 'redis://127.0.0.1:6379' });
  }, 60_000);

  afterAll(async () => {
    await switchScenario(o.api, 'slow-query', false).catch(() => undefined);
    await o?.stop();
  });

  /** One spin; its trace id. */
  async function spin(token: string): Promise<string> {
    const res = await call(o.api, 'POST', '/games/lucky-sevens/spins', { token, key: randomUUID(), body: { stake: 100 } });
    expect(res.status).toBe(201);
    return res.traceId;
  }

  /** A spin's user status lookup: its server span and, when the store was read, the DB span. */
  async function lookup(traceId: string): Promise<Lookup> {
    // A service sends a trace's spans together, once they have all ended.
    const spans = await traceSpans(o.ingest, traceId, 'the user status lookup of a spin', (all) => all.some(isStatusServer));
    return { server: spans.find(isStatusServer)!, read: spans.find(isPlayersRead) };
  }

  test('when slow-query is on, then the user DB span of a status lookup lasts ms or more and carries casino.scenario, while off it is short and the cache serves', async () => {
    // Registering caches no status: the first deposit reads it from the store, and the spin after finds it cached.
    const token = await newPlayer(o.api, 0);
    const deposit = await call(o.api, 'POST', '/wallet/deposits', { token, body: { amount: 10_000 }, key: randomUUID() });
    expect(deposit.status).toBe(201);
    const offTrace = deposit.traceId;
    const cachedTrace = await spin(token);
    // The embedded store loads its query engine (mingo) at the first scan a process makes, once:
    // one short slow read first keeps that load out of the figures compared below.
    await switchScenario(o.api, 'slow-query', true, { ms: 50 });
    await spin(token);
    await switchScenario(o.api, 'slow-query', true, { ms: 500 });
    const onTrace = await spin(token);
    await switchScenario(o.api, 'slow-query', true, { ms: 1_000 });
    const longerTrace = await spin(token);
    await switchScenario(o.api, 'slow-query', false);
    const afterTrace = await spin(token);
    const [off, cachedOff, on, longer, after] = (await Promise.all(
      [offTrace, cachedTrace, onTrace, longerTrace, afterTrace].map(lookup),
    )) as [Lookup, Lookup, Lookup, Lookup, Lookup];

    const figures = { off: durationMs(off.read!), on500: durationMs(on.read!), on1000: durationMs(longer.read!) };
    console.log(
      `slow-query: user DB span off ${figures.off.toFixed(1)} ms, on (ms 500) ${figures.on500.toFixed(1)} ms, on (ms 1000) ${figures.on1000.toFixed(1)} ms`,
    );
    // Off: a short read by id, then the cache answers and the store is not read at all.
    expect(figures.off).toBeLessThan(100);
    expect(cachedOff.read).toBeUndefined();
    // On: the store is read although the status is cached, and the time is spent inside the DB span.
    expect(figures.on500).toBeGreaterThanOrEqual(450);
    expect(figures.on500 - figures.off).toBeGreaterThanOrEqual(400);
    expect(figures.on500).toBeLessThan(500 + 1_000);
    expect(figures.on1000 - figures.on500).toBeGreaterThanOrEqual(400);
    for (const span of [on.read!, longer.read!, on.server, longer.server]) expect(span.attributes['casino.scenario']).toBe('slow-query');
    expect(on.read!.attributes['db.query.text']).toContain('$expr');
    // Off again: at once the cache answers and the lookup is short, unmarked.
    expect(after.read).toBeUndefined();
    expect(durationMs(after.server)).toBeLessThan(100);
    expect(after.server.attributes['casino.scenario']).toBeUndefined();
  });

  test('when slow-query is on, then the slow lookup still finds the right player: a self-excluded one is refused a spin', async () => {
    const excluded = await newPlayer(o.api);
    const other = await newPlayer(o.api);
    expect((await call(o.api, 'POST', '/me/self-exclusion', { token: excluded, body: { days: 1 } })).status).toBe(200);

    await switchScenario(o.api, 'slow-query', true, { ms: 50 });
    const refused = await call<{ type: string }>(o.api, 'POST', '/games/lucky-sevens/spins', {
      token: excluded,
      key: randomUUID(),
      body: { stake: 100 },
    });
    const played = await call(o.api, 'POST', '/games/lucky-sevens/spins', { token: other, key: randomUUID(), body: { stake: 100 } });
    await switchScenario(o.api, 'slow-query', false);

    expect([refused.status, refused.body.type]).toEqual([403, 'urn:casino:problem:self-excluded']);
    expect(played.status).toBe(201);
  });
});
