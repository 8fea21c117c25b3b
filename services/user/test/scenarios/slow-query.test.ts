import { randomUUID } from 'node:crypto';
import { type Cache, NoCache } from '@casino/shared';
import { asItsCallers, testDeps } from '@casino/shared/testing';
import { describeEachStore } from '@casino/shared/testing/stores';
import request from 'supertest';
import { userCallers } from '../../src/api/callers';
import { createApp } from '../../src/app';
import { PlayerRepository } from '../../src/data/player-repository';
import { DEFAULT_DAILY_DEPOSIT_LIMIT, type Player } from '../../src/domain/players';
import { slowPlayerRead } from '../../src/scenarios/slow-query';

/** A cache that remembers, and records each read and write, to show which lookups skip it. */
function recordingCache(): Cache & { commands: string[] } {
  const values = new Map<string, unknown>();
  const commands: string[] = [];
  const none = new NoCache();
  return {
    commands,
    status: () => 'ready',
    getJson: async <T>(key: string) => {
      commands.push('get');
      return values.get(key) as T | undefined;
    },
    setJson: async (key: string, value: unknown) => {
      commands.push('set');
      values.set(key, JSON.parse(JSON.stringify(value)));
    },
    setJsonIfAbsent: async (key: string, value: unknown) => {
      commands.push('set');
      if (!values.has(key)) values.set(key, JSON.parse(JSON.stringify(value)));
    },
    del: async (key: string) => void values.delete(key),
    hit: () => none.hit(),
    close: () => none.close(),
  };
}

const newPlayer = (changes: Partial<Player> = {}): Player => ({
  id: randomUUID(),
  email: `p-${randomUUID().slice(0, 8)}@example.com`,
  displayName: 'Player',
  createdAt: new Date(Math.floor(Date.now() / 1_000) * 1_000),
  selfExcludedUntil: null,
  dailyDepositLimit: DEFAULT_DAILY_DEPOSIT_LIMIT,
  pendingDepositLimit: null,
  ...changes,
});

describe('slow-query in the user service', () => {
  test('when slow-query is on, then the status lookup takes ms or more, finds the right player among others, and skips the cache; off, the cache is back', async () => {
    const cache = recordingCache();
    const deps = testDeps('user', { cache });
    const app = asItsCallers(createApp(deps), 'user', userCallers);
    const players = new PlayerRepository(deps.store);
    const excluded = newPlayer({ selfExcludedUntil: new Date(Date.now() + 86_400_000) });
    const active = newPlayer({ dailyDepositLimit: 12_345 });
    for (const p of [newPlayer(), excluded, active, newPlayer()]) await players.create(p, 'hash');
    await request(app).get(`/players/${active.id}/status`).expect(200);
    cache.commands.length = 0;

    deps.scenarios.replace({ 'slow-query': { enabled: true, params: { ms: 80 } } });
    const start = performance.now();
    const [a, b] = await Promise.all([
      request(app).get(`/players/${excluded.id}/status`),
      request(app).get(`/players/${active.id}/status`),
    ]);
    const elapsed = performance.now() - start;
    const missing = await request(app).get(`/players/${randomUUID()}/status`);
    const commandsWhileOn = [...cache.commands];
    deps.scenarios.replace({ 'slow-query': { enabled: false, params: { ms: 80 } } });
    const off = performance.now();
    await request(app).get(`/players/${active.id}/status`).expect(200);
    const offElapsed = performance.now() - off;

    expect(a.body).toMatchObject({ id: excluded.id, status: 'self_excluded' });
    expect(b.body).toEqual({
      id: active.id,
      status: 'active',
      selfExcludedUntil: null,
      dailyDepositLimit: 12_345,
      pendingDepositLimit: null,
    });
    expect(missing.status).toBe(404);
    expect(elapsed).toBeGreaterThanOrEqual(75);
    expect(offElapsed).toBeLessThan(elapsed);
    expect(commandsWhileOn).toEqual([]);
    expect(cache.commands).toEqual(['get']);
  });
});

// The slow read is a different query on each store: both must still answer with the right player.
describeEachStore('player repository, slow read', (backend) => {
  const opened = backend.use((store) => ({ players: new PlayerRepository(store), slowRead: slowPlayerRead(store) }));

  test('when a player is read the slow way, then it is the same player as the read by id, and an unknown id is null', async () => {
    const { players, slowRead } = opened();
    const wanted = newPlayer({ dailyDepositLimit: 777 });
    for (const p of [newPlayer(), wanted, newPlayer()]) await players.create(p, 'hash');

    const start = performance.now();
    const slow = await slowRead(wanted.id, 50);

    expect(performance.now() - start).toBeGreaterThanOrEqual(45);
    expect(slow).toEqual(await players.byId(wanted.id));
    expect(slow).toEqual(wanted);
    expect(await slowRead(randomUUID(), 50)).toBeNull();
  });
});
