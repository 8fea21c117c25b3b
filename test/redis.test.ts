import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { SERVICES } from '@casino/shared';
import { call, freePorts, type RunningPlatform, startPlatform } from './support/platform';
import { until } from './support/wait';

const REDIS_SERVER = '/usr/bin/redis-server';

async function readiness(platform: RunningPlatform) {
  return Promise.all(
    SERVICES.map(async (s) => {
      const res = await fetch(`http://127.0.0.1:${platform.ports[s]}/readyz`);
      return { service: s, status: res.status, body: (await res.json()) as { status: string; components: { cache: string } } };
    }),
  );
}

/** A player plays a little; everything a player does must keep working whatever Redis does. */
async function play(api: string): Promise<void> {
  const reg = await call<{ accessToken: string }>(api, 'POST', '/auth/register', {
    body: { email: `r-${randomUUID()}@example.com`, password: 'redis-test-password' },
  });
  expect(reg.status).toBe(201);
  const token = reg.body.accessToken;
  expect((await call(api, 'POST', '/wallet/deposits', { token, key: randomUUID(), body: { amount: 1_000 } })).status).toBe(201);
  const spin = await call<{ win: number; wallet: { total: number } }>(api, 'POST', '/games/lucky-sevens/spins', {
    token,
    key: randomUUID(),
    body: { stake: 100 },
  });
  expect(spin.status).toBe(201);
  expect(spin.body.wallet.total).toBe(1_000 - 100 + spin.body.win);
}

describe('Redis', () => {
  test('when Redis is unreachable from the start, then every service is ready with the cache degraded and players notice nothing', async () => {
    const [closed] = await freePorts(1);
    const platform = await startPlatform({ REDIS_URL: `redis://127.0.0.1:${closed}` });
    try {
      for (const r of await readiness(platform)) {
        expect([r.service, r.status, r.body.status, r.body.components.cache]).toEqual([r.service, 200, 'degraded', 'degraded']);
      }
      await play(platform.api);
      expect(platform.exits).toEqual([]);
    } finally {
      await platform.stop();
    }
  });

  test('when Redis is unreachable, then the login rate limit still holds, counted in the gateway', async () => {
    const [closed] = await freePorts(1);
    const platform = await startPlatform({ REDIS_URL: `redis://127.0.0.1:${closed}`, RATE_LIMIT_AUTH_PER_MINUTE: '3' }, [
      'gateway',
      'user',
    ]);
    try {
      const statuses = [];
      for (let i = 0; i < 4; i++)
        statuses.push(
          (await call(platform.api, 'POST', '/auth/login', { body: { email: 'x@example.com', password: 'whatever-password' } })).status,
        );
      expect(statuses).toEqual([401, 401, 401, 429]);
    } finally {
      await platform.stop();
    }
  });

  (existsSync(REDIS_SERVER) ? test : test.skip)(
    'when Redis goes down under traffic and comes back, then services degrade, keep serving, and recover by themselves',
    async () => {
      const [port] = await freePorts(1);
      let redis: ChildProcess | undefined;
      const startRedis = async () => {
        redis = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
          stdio: 'ignore',
        });
        await new Promise((r) => setTimeout(r, 300));
      };
      await startRedis();
      const platform = await startPlatform({ REDIS_URL: `redis://127.0.0.1:${port}` });
      const allCache = async (state: string) =>
        (await readiness(platform)).every((r) => r.status === 200 && r.body.components.cache === state);
      try {
        await until('the cache in use everywhere', async () => (await allCache('ready')) || undefined, 15_000, 200);
        await play(platform.api);

        redis!.kill('SIGKILL');
        await until('every service to notice Redis is gone', async () => (await allCache('degraded')) || undefined, 15_000, 200);
        await play(platform.api);

        await startRedis();
        await until('every service to use Redis again', async () => (await allCache('ready')) || undefined, 20_000, 200);
        await play(platform.api);
        expect(platform.exits).toEqual([]);
      } finally {
        await platform.stop();
        redis?.kill('SIGKILL');
      }
    },
    90_000,
  );
});
