import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { parseConfig, SERVICES } from '@casino/shared/config';
import { TEST_ENV } from '@casino/shared/testing';
import { serviceEnv } from '../src/service-keys';

const CLI = join(__dirname, '..', 'dist', 'cli', 'service-keys.js');

describe('npm run service-keys', () => {
  test('when its lines are put in .env, then every service starts with them, and two runs never print the same keys', () => {
    const run = () => spawnSync(process.execPath, [CLI], { encoding: 'utf8', env: { PATH: process.env.PATH } });
    const first = run();
    const keys = parseEnv(first.stdout) as Record<string, string>;
    const { JWT_SECRET, ADMIN_TOKEN } = TEST_ENV;

    expect(first.status).toBe(0);
    expect(Object.keys(keys)).toHaveLength(8);
    for (const service of SERVICES) expect(() => parseConfig(service, { JWT_SECRET, ADMIN_TOKEN, ...keys })).not.toThrow();
    expect(run().stdout).not.toBe(first.stdout);
  });
});

describe('what each service process is given', () => {
  test('when the launcher starts a service, then it passes every public key but no private key except its own', () => {
    const env = serviceEnv({ ...TEST_ENV, PATH: '/bin' }, 'game');

    expect(Object.keys(env).filter((k) => k.endsWith('_SIGNING_KEY'))).toEqual(['GAME_SIGNING_KEY']);
    expect(Object.keys(env).filter((k) => k.endsWith('_PUBLIC_KEY'))).toHaveLength(4);
    expect(Object.keys(serviceEnv(TEST_ENV, 'user')).filter((k) => k.endsWith('_SIGNING_KEY'))).toEqual([]);
  });
});
