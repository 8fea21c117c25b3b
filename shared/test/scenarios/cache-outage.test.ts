import type { Cache, CacheStatus } from '@casino/shared/cache';
import { outageAwareCache } from '@casino/shared/scenarios/cache-outage';
import { Scenarios } from '@casino/shared/scenarios';
import { testDeps } from '@casino/shared/testing';

/** An in-memory stand-in for Redis that records every command it is given. */
class RecordingCache implements Cache {
  readonly values = new Map<string, unknown>();
  readonly commands: string[] = [];
  status(): CacheStatus {
    return 'ready';
  }
  async getJson<T>(key: string): Promise<T | undefined> {
    this.commands.push(`get ${key}`);
    return this.values.get(key) as T | undefined;
  }
  async setJson(key: string, value: unknown): Promise<void> {
    this.commands.push(`set ${key}`);
    this.values.set(key, value);
  }
  async setJsonIfAbsent(key: string, value: unknown): Promise<void> {
    this.commands.push(`set-nx ${key}`);
    if (!this.values.has(key)) this.values.set(key, value);
  }
  async del(key: string): Promise<void> {
    this.commands.push(`del ${key}`);
    this.values.delete(key);
  }
  async hit(key: string): Promise<{ count: number; resetInMs: number }> {
    this.commands.push(`hit ${key}`);
    return { count: 1, resetInMs: 1_000 };
  }
  async close(): Promise<void> {}
}

function setup() {
  const { logger, logs: lines } = testDeps('user');
  const inner = new RecordingCache();
  const scenarios = new Scenarios();
  const cache = outageAwareCache(inner, scenarios, logger);
  const outage = (enabled: boolean) => scenarios.replace({ 'cache-outage': { enabled, params: {} } });
  return { inner, cache, outage, lines };
}

describe('the cache under the cache-outage scenario', () => {
  test('when the scenario is off, then every command reaches the cache and its status is the cache’s own', async () => {
    const { inner, cache } = setup();

    await cache.setJson('a', { n: 1 }, 30);

    expect(await cache.getJson('a')).toEqual({ n: 1 });
    expect(await cache.hit('rate', 1_000)).toEqual({ count: 1, resetInMs: 1_000 });
    expect(cache.status()).toBe('ready');
    expect(inner.commands).toEqual(['set a', 'get a', 'hit rate']);
  });

  test('when the scenario is on, then the cache is degraded, reads miss, writes and hits are skipped, and the cache hears nothing', async () => {
    const { inner, cache, outage, lines } = setup();
    await cache.setJson('a', { n: 1 }, 30);
    outage(true);

    expect(cache.status()).toBe('degraded');
    expect(await cache.getJson('a')).toBeUndefined();
    await cache.setJson('b', { n: 2 }, 30);
    expect(await cache.hit('rate', 1_000)).toBeUndefined();
    expect(inner.commands).toEqual(['set a']);
    expect(lines.some((l) => l.includes('cache-outage scenario on'))).toBe(true);
  });

  test('when the scenario goes off, then keys deleted during the outage are deleted before the cache answers again, so nothing stale is read', async () => {
    const { inner, cache, outage, lines } = setup();
    await cache.setJson('status:ada', { excluded: false }, 30);
    outage(true);
    await cache.del('status:ada');
    expect(inner.values.get('status:ada')).toEqual({ excluded: false });

    outage(false);
    const [first, second] = await Promise.all([cache.getJson('status:ada'), cache.getJson('status:ada')]);

    expect([first, second]).toEqual([undefined, undefined]);
    expect(cache.status()).toBe('ready');
    expect(inner.commands).toEqual(['set status:ada', 'del status:ada', 'get status:ada', 'get status:ada']);
    expect(lines.some((l) => l.includes('cache-outage scenario off'))).toBe(true);
  });

  test('when the scenario is switched off without having been on, then nothing is logged', () => {
    const { outage, lines } = setup();

    outage(false);

    expect(lines).toEqual([]);
  });
});
