import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { type Cache, createCache, NoCache, RedisCache } from '@casino/shared/cache';
import { createLogger } from '@casino/shared/logger';
import { Redis } from 'ioredis';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

function logger() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: createLogger({ service: 'test', version: '0', level: 'debug', destination }), lines };
}

const open: Cache[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

async function until(what: string, check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A RedisCache on the real Redis, in a namespace of its own, once it is ready. */
async function readyCache(): Promise<{ cache: RedisCache; namespace: string }> {
  const namespace = `test-${randomUUID()}`;
  const cache = new RedisCache(REDIS_URL, namespace, logger().logger);
  open.push(cache);
  await until('redis to be ready', () => cache.status() === 'ready');
  return { cache, namespace };
}

/** A redis:// URL on which nothing listens. */
async function closedRedisUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `redis://127.0.0.1:${port}`;
}

describe('RedisCache on a real Redis', () => {
  const direct = new Redis(REDIS_URL, { lazyConnect: true });
  afterAll(() => direct.disconnect());

  test('when JSON is set, then it is read back equal, stored under the namespace with its TTL, and gone once deleted', async () => {
    const { cache, namespace } = await readyCache();
    const value = { id: 'lucky-sevens', stakes: [10, 20], rtp: 96.5, live: true };

    await cache.setJson('game:lucky-sevens', value, 60);
    const read = await cache.getJson<typeof value>('game:lucky-sevens');
    const ttl = await direct.ttl(`casino:${namespace}:game:lucky-sevens`);
    await cache.del('game:lucky-sevens');

    expect(read).toEqual(value);
    expect(ttl).toBeGreaterThan(55);
    expect(ttl).toBeLessThanOrEqual(60);
    expect(await cache.getJson('game:lucky-sevens')).toBeUndefined();
    expect(await direct.exists(`casino:${namespace}:game:lucky-sevens`)).toBe(0);
  });

  test('when a TTL runs out, then the value is gone', async () => {
    const { cache } = await readyCache();

    await cache.setJson('short', { a: 1 }, 1);
    await new Promise((r) => setTimeout(r, 1100));

    expect(await cache.getJson('short')).toBeUndefined();
  });

  test('when two namespaces use the same key, then they do not see each other', async () => {
    const a = await readyCache();
    const b = await readyCache();

    await a.cache.setJson('k', 'from a', 60);

    expect(await a.cache.getJson('k')).toBe('from a');
    expect(await b.cache.getJson('k')).toBeUndefined();
  });

  test('when the stored value is not JSON, then it reads as a miss rather than throwing', async () => {
    const { cache, namespace } = await readyCache();
    await direct.set(`casino:${namespace}:broken`, '{not json', 'EX', 60);

    expect(await cache.getJson('broken')).toBeUndefined();
  });

  test('when hits are counted in a window, then the count rises, the reset time is within the window, and a new window starts from 1', async () => {
    const { cache } = await readyCache();

    const counts = [];
    for (let i = 0; i < 3; i++) counts.push(await cache.hit('login:1.2.3.4', 300));
    await new Promise((r) => setTimeout(r, 350));
    const after = await cache.hit('login:1.2.3.4', 300);

    expect(counts.map((c) => c?.count)).toEqual([1, 2, 3]);
    for (const c of counts) {
      expect(c!.resetInMs).toBeGreaterThan(0);
      expect(c!.resetInMs).toBeLessThanOrEqual(300);
    }
    // The window is fixed: later hits do not push the reset time back.
    expect(counts[2]!.resetInMs).toBeLessThanOrEqual(counts[0]!.resetInMs);
    expect(after?.count).toBe(1);
  });

  test('when different keys are hit, then each has its own count', async () => {
    const { cache } = await readyCache();

    await cache.hit('a', 10_000);
    await cache.hit('a', 10_000);
    const b = await cache.hit('b', 10_000);

    expect(b?.count).toBe(1);
  });

  test('when createCache is given a URL, then it is a RedisCache that becomes ready', async () => {
    const cache = createCache({ redisUrl: REDIS_URL, namespace: `test-${randomUUID()}`, logger: logger().logger });
    open.push(cache);

    await until('redis to be ready', () => cache.status() === 'ready');

    expect(cache).toBeInstanceOf(RedisCache);
  });
});

describe('NoCache', () => {
  test('when no Redis is configured, then the cache is disabled: every read misses, writes do nothing, hits are uncounted', async () => {
    const cache = createCache({ redisUrl: undefined, namespace: 'x', logger: logger().logger });

    await cache.setJson('k', { a: 1 }, 60);

    expect(cache).toBeInstanceOf(NoCache);
    expect(cache.status()).toBe('disabled');
    expect(await cache.getJson('k')).toBeUndefined();
    expect(await cache.hit('k', 1000)).toBeUndefined();
    await expect(cache.del('k')).resolves.toBeUndefined();
  });
});

describe('RedisCache when Redis is unreachable', () => {
  // ioredis ends a failed socket on disconnect with a 2 s safety timer that nothing clears when the
  // socket is already closed; let it run out so the test run exits cleanly.
  afterAll(() => new Promise((r) => setTimeout(r, 2100)));

  test('when Redis cannot be reached, then the status is degraded and every call returns at once without throwing', async () => {
    const { logger: log, lines } = logger();
    const cache = new RedisCache(await closedRedisUrl(), `test-${randomUUID()}`, log);
    open.push(cache);
    await until('the connection to fail', () => lines.some((l) => l.includes('redis unreachable')));

    const timings: [string, unknown, number][] = [];
    for (const [name, call] of [
      ['getJson', () => cache.getJson('k')],
      ['setJson', () => cache.setJson('k', { a: 1 }, 60)],
      ['del', () => cache.del('k')],
      ['hit', () => cache.hit('k', 1000)],
    ] as const) {
      const start = performance.now();
      const result = await call();
      timings.push([name, result, performance.now() - start]);
    }

    expect(cache.status()).toBe('degraded');
    for (const [name, result, ms] of timings) {
      expect([name, result]).toEqual([name, undefined]);
      expect(ms).toBeLessThan(50);
    }
    // One warning for the outage, not one per reconnection attempt.
    expect(lines.filter((l) => l.includes('redis unreachable'))).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'warn' });
  });

  test('when Redis has never answered yet, then calls made right after start also return at once', async () => {
    const cache = new RedisCache(await closedRedisUrl(), `test-${randomUUID()}`, logger().logger);
    open.push(cache);

    const start = performance.now();
    const results = await Promise.all([cache.getJson('k'), cache.setJson('k', 1, 60), cache.hit('k', 1000)]);

    expect(results).toEqual([undefined, undefined, undefined]);
    expect(performance.now() - start).toBeLessThan(50);
    expect(cache.status()).toBe('degraded');
  });
});
