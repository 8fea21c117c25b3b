import type { Cache, CacheStatus } from '@casino/shared/cache';
import { parseConfig } from '@casino/shared/config';
import { healthRouter } from '@casino/shared/health';
import { EmbeddedStore, type Store } from '@casino/shared/store';
import { TEST_ENV } from '@casino/shared/testing';
import express from 'express';
import request from 'supertest';

/** A store whose health the test decides. */
function fakeStore(up: { value: boolean }): Store {
  return Object.assign(new EmbeddedStore('casino_test'), { ping: async () => up.value });
}

function fakeCache(status: { value: CacheStatus }): Cache {
  return {
    status: () => status.value,
    getJson: async () => undefined,
    setJson: async () => undefined,
    setJsonIfAbsent: async () => undefined,
    del: async () => undefined,
    hit: async () => undefined,
    close: async () => undefined,
  };
}

function setup(options: { storeUp?: boolean; cache?: CacheStatus; draining?: boolean } = {}) {
  const storeUp = { value: options.storeUp ?? true };
  const cacheStatus = { value: options.cache ?? 'ready' };
  const draining = { value: options.draining ?? false };
  const config = parseConfig('wager', { ...TEST_ENV, SENTRY_RELEASE: 'casino@9.9.9-test' });
  const app = express();
  app.use(healthRouter({ config, store: fakeStore(storeUp), cache: fakeCache(cacheStatus), draining: () => draining.value }));
  return { app, storeUp, cacheStatus, draining, config };
}

describe('health endpoints', () => {
  describe('/healthz', () => {
    test('when the process runs, then liveness is ok even with the store down', async () => {
      const { app } = setup({ storeUp: false, draining: true });

      const res = await request(app).get('/healthz');

      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok' });
    });
  });

  describe('/readyz', () => {
    test('when the store answers and the cache is ready, then the service is ready', async () => {
      const { app } = setup();

      const res = await request(app).get('/readyz');

      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok', components: { store: 'up', cache: 'ready' } });
    });

    test('when there is no cache configured, then the service is ready and ok', async () => {
      const { app } = setup({ cache: 'disabled' });

      const res = await request(app).get('/readyz');

      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'ok', components: { store: 'up', cache: 'disabled' } });
    });

    test('when the cache is degraded, then the service stays ready but says it is degraded', async () => {
      const { app } = setup({ cache: 'degraded' });

      const res = await request(app).get('/readyz');

      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: 'degraded', components: { store: 'up', cache: 'degraded' } });
    });

    test('when the store is down, then the service is not ready, and it is again once the store is back', async () => {
      const { app, storeUp } = setup({ storeUp: false });

      const down = await request(app).get('/readyz');
      storeUp.value = true;
      const back = await request(app).get('/readyz');

      expect(down.status).toBe(503);
      expect(down.body).toEqual({ status: 'unavailable', components: { store: 'down', cache: 'ready' } });
      expect(back.status).toBe(200);
    });

    test('when the service is draining, then it is not ready and says why', async () => {
      const { app, draining } = setup();

      const before = await request(app).get('/readyz');
      draining.value = true;
      const res = await request(app).get('/readyz');

      expect(before.status).toBe(200);
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ status: 'unavailable', reason: 'shutting down', components: { store: 'up', cache: 'ready' } });
    });
  });

  describe('/health', () => {
    test('when everything is up, then every component reports its figures, with the version and release', async () => {
      const { app, config } = setup();

      const res = await request(app).get('/health');

      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        service: 'wager',
        version: config.version,
        release: 'casino@9.9.9-test',
        environment: 'test',
        uptimeSeconds: expect.any(Number),
        pid: process.pid,
      });
      const { store, cache, memory, disk, eventLoop } = res.body.components;
      expect(Object.keys(res.body.components).sort()).toEqual(['cache', 'disk', 'eventLoop', 'memory', 'store']);
      expect(store).toEqual({
        status: 'ok',
        kind: 'embedded',
        database: 'casino_test',
        transactions: false,
        latencyMs: expect.any(Number),
      });
      expect(cache).toEqual({ status: 'ok', state: 'ready' });
      expect(memory.rssBytes).toBeGreaterThan(0);
      expect(memory.heapUsedBytes).toBeGreaterThan(0);
      expect(memory.heapLimitBytes).toBeGreaterThan(memory.heapUsedBytes);
      expect(disk.freeBytes).toBeGreaterThanOrEqual(0);
      expect(disk.totalBytes).toBeGreaterThan(0);
      for (const figure of ['delayMeanMs', 'delayP99Ms', 'delayMaxMs', 'windowSeconds']) expect(typeof eventLoop[figure]).toBe('number');
      expect(['ok', 'warn']).toContain(res.body.status);
    });

    test('when the store is down, then the health is down with a 503 and the store component says so', async () => {
      const { app } = setup({ storeUp: false });

      const res = await request(app).get('/health');

      expect(res.status).toBe(503);
      expect(res.body.status).toBe('down');
      expect(res.body.components.store.status).toBe('down');
    });

    test('when the cache is degraded, then the health warns but answers 200', async () => {
      const { app } = setup({ cache: 'degraded' });

      const res = await request(app).get('/health');

      expect(res.status).toBe(200);
      expect(res.body.status).toBe('warn');
      expect(res.body.components.cache).toEqual({ status: 'warn', state: 'degraded' });
    });
  });
});
