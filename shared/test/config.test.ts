import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, envSchema, parseConfig, SERVICES } from '@casino/shared/config';
import { newServiceKeys } from '@casino/shared/service-identity';

const SECRET = 'a-jwt-secret-that-is-long-enough-0123456789';
const ADMIN = 'an-admin-token-0123456789';
/** The services' identity keys, which every service needs to start. */
const KEYS = newServiceKeys();
/** What the gateway and user service need to start at all. */
const BASE = { JWT_SECRET: SECRET, ADMIN_TOKEN: ADMIN, ...KEYS };
const VERSION = (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;

function configError(work: () => unknown): ConfigError {
  try {
    work();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError, but the configuration was accepted');
}

describe('parseConfig', () => {
  describe('RETAIN_RECORDS', () => {
    test('when it is unset, then the embedded store keeps 10,000 finished records and MongoDB keeps them all; a value wins over both', () => {
      expect(parseConfig('game', KEYS).retainRecords).toBe(10_000);
      expect(parseConfig('game', { ...KEYS, MONGO_URL: 'mongodb://db:27017' }).retainRecords).toBe(0);
      expect(parseConfig('payment', { ...KEYS, MONGO_URL: 'mongodb://db:27017', RETAIN_RECORDS: '50000' }).retainRecords).toBe(50_000);
      expect(parseConfig('wager', { ...KEYS, RETAIN_RECORDS: '0' }).retainRecords).toBe(0);
      expect(configError(() => parseConfig('game', { ...KEYS, RETAIN_RECORDS: '-1' })).message).toMatch(
        /^RETAIN_RECORDS must be a whole number/,
      );
    });
  });

  describe('TRUST_PROXY', () => {
    test('when it is unset, then only loopback proxies are believed; otherwise it becomes Express’s own value', () => {
      expect(parseConfig('gateway', BASE).trustProxy).toBe('loopback');
      expect(parseConfig('gateway', { ...BASE, TRUST_PROXY: 'false' }).trustProxy).toBe(false);
      expect(parseConfig('gateway', { ...BASE, TRUST_PROXY: 'true' }).trustProxy).toBe(true);
      expect(parseConfig('gateway', { ...BASE, TRUST_PROXY: '2' }).trustProxy).toBe(2);
      expect(parseConfig('gateway', { ...BASE, TRUST_PROXY: 'loopback, uniquelocal, 10.0.0.0/8' }).trustProxy).toBe(
        'loopback, uniquelocal, 10.0.0.0/8',
      );
    });

    test('when it is not a trust setting, then the service refuses to start naming it', () => {
      expect(() => parseConfig('gateway', { ...BASE, TRUST_PROXY: 'every;one' })).toThrow(
        /^TRUST_PROXY must be true, false, a number of hops/,
      );
    });
  });

  describe('defaults', () => {
    test('when nothing is set, then each service listens on its own port from 8080 to 8084', () => {
      const ports = SERVICES.map((s) => [s, parseConfig(s, BASE).port]);

      expect(ports).toEqual([
        ['gateway', 8080],
        ['user', 8081],
        ['game', 8082],
        ['payment', 8083],
        ['wager', 8084],
      ]);
    });

    test('when nothing is set, then the peers are reached on loopback at their default ports', () => {
      const config = parseConfig('gateway', BASE);

      expect(config.urls).toEqual({
        user: 'http://127.0.0.1:8081',
        game: 'http://127.0.0.1:8082',
        payment: 'http://127.0.0.1:8083',
        wager: 'http://127.0.0.1:8084',
      });
      expect(config.host).toBe('127.0.0.1');
    });

    test('when a peer port is moved, then its URL follows the port, and an explicit URL wins over both', () => {
      const config = parseConfig('gateway', { ...BASE, PAYMENT_PORT: '9183', GAME_PORT: '9182', GAME_URL: 'http://game.internal:80' });

      expect(config.urls.payment).toBe('http://127.0.0.1:9183');
      expect(config.urls.game).toBe('http://game.internal:80');
    });

    test('when nothing about Sentry is set, then every transaction is sampled, spans stream, profiles are off and the release names the version', () => {
      const { sentry, version } = parseConfig('game', KEYS);

      expect(version).toBe(VERSION);
      expect(sentry).toEqual({
        enabled: true,
        dsn: undefined,
        environment: 'development',
        release: `casino@${VERSION}`,
        tracesSampleRate: 1,
        profileSessionSampleRate: 0,
        logs: true,
        metrics: true,
        spotlight: false,
        traceLifecycle: 'stream',
        debug: false,
      });
    });

    test('when a DSN is set, then profiles are sampled at 1 unless a rate is given', () => {
      const dsn = 'https://public@o1.ingest.sentry.io/1';

      expect(parseConfig('game', { ...KEYS, SENTRY_DSN: dsn }).sentry.profileSessionSampleRate).toBe(1);
      expect(
        parseConfig('game', { ...KEYS, SENTRY_DSN: dsn, SENTRY_PROFILE_SESSION_SAMPLE_RATE: '0.25' }).sentry.profileSessionSampleRate,
      ).toBe(0.25);
    });

    test.each([
      ['true', true],
      ['1', true],
      ['http://localhost:8969/stream', 'http://localhost:8969/stream'],
    ])('when SENTRY_SPOTLIGHT is %s, then traces use the static lifecycle and profiles are on', (value, spotlight) => {
      const { sentry } = parseConfig('game', { ...KEYS, SENTRY_SPOTLIGHT: value });

      expect(sentry.spotlight).toBe(spotlight);
      expect(sentry.traceLifecycle).toBe('static');
      expect(sentry.profileSessionSampleRate).toBe(1);
    });

    test('when SENTRY_SPOTLIGHT is false, then spans stream as without it', () => {
      const { sentry } = parseConfig('game', { ...KEYS, SENTRY_SPOTLIGHT: 'false' });

      expect(sentry).toMatchObject({ spotlight: false, traceLifecycle: 'stream', profileSessionSampleRate: 0 });
    });

    test('when a release and environment are given, then they are used as they are', () => {
      const { sentry } = parseConfig('game', {
        ...KEYS,
        SENTRY_RELEASE: 'casino@2026.1.1+abc',
        SENTRY_ENVIRONMENT: 'staging',
        NODE_ENV: 'production',
      });

      expect(sentry.release).toBe('casino@2026.1.1+abc');
      expect(sentry.environment).toBe('staging');
    });

    test('when lists are given with stray spaces and commas, then they are trimmed and empty items dropped', () => {
      const config = parseConfig('gateway', {
        ...KEYS,
        ...BASE,
        SCENARIOS: ' slow-query, ,payment-failures,',
        CORS_ORIGINS: 'https://a.example, https://b.example',
      });

      expect(config.scenarios).toEqual(['slow-query', 'payment-failures']);
      expect(config.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    });
  });

  describe('scenarios at start', () => {
    test('when SCENARIOS names a scenario that does not exist, then the configuration is refused naming the variable and the known names', () => {
      expect(() => parseConfig('game', { ...KEYS, SCENARIOS: 'slow-query,flaky-game' })).toThrow(ConfigError);
      expect(() => parseConfig('game', { ...KEYS, SCENARIOS: 'slow-query,flaky-game' })).toThrow(
        /SCENARIOS must list scenario names from: slow-query, cpu-spike/,
      );
    });
  });

  describe('empty and per-service variables', () => {
    test('when variables are set but empty, then the defaults apply as if they were unset', () => {
      const config = parseConfig('game', {
        ...KEYS,
        GAME_PORT: '',
        SENTRY_TRACES_SAMPLE_RATE: '',
        MONGO_URL: '',
        SENTRY_DSN: '',
        LOG_LEVEL: '',
      });

      expect(config.port).toBe(8082);
      expect(config.sentry.tracesSampleRate).toBe(1);
      expect(config.mongoUrl).toBeUndefined();
      expect(config.sentry.dsn).toBeUndefined();
      expect(config.logLevel).toBe('info');
    });

    test('when JWT_SECRET is empty, then the user service refuses to start as if it were missing', () => {
      const err = configError(() => parseConfig('user', { ...KEYS, JWT_SECRET: '' }));

      expect(err.message).toBe('JWT_SECRET is required by the user service');
    });

    test('when a service has its own DSN, then it reports there and every other service keeps the shared DSN', () => {
      const shared = 'https://shared@o1.ingest.sentry.io/1';
      const own = 'https://payment@o1.ingest.sentry.io/2';
      const env = { ...BASE, SENTRY_DSN: shared, SENTRY_DSN_PAYMENT: own };

      expect(parseConfig('payment', env).sentry.dsn).toBe(own);
      expect(SERVICES.filter((s) => s !== 'payment').map((s) => parseConfig(s, env).sentry.dsn)).toEqual([shared, shared, shared, shared]);
    });
  });

  describe('bad values', () => {
    test.each([
      ['GATEWAY_PORT', 'abc'],
      ['GATEWAY_PORT', '70000'],
      ['GATEWAY_PORT', '80.5'],
      ['SENTRY_TRACES_SAMPLE_RATE', '2'],
      ['SENTRY_TRACES_SAMPLE_RATE', '-0.1'],
      ['MONGO_URL', 'http://x'],
      ['REDIS_URL', 'foo'],
      ['USER_URL', 'ftp://user.internal'],
      ['LOG_LEVEL', 'loud'],
      ['SENTRY_ENABLED', 'maybe'],
      ['DOWNSTREAM_TIMEOUT_MS', '10'],
    ])('when %s is %j, then it is a ConfigError that starts with the variable name and shows the value', (name, value) => {
      const err = configError(() => parseConfig('gateway', { ...BASE, [name]: value }));

      expect(err.name).toBe('ConfigError');
      expect(err.message.startsWith(`${name} `)).toBe(true);
      expect(err.message).toContain(JSON.stringify(value));
    });

    test('when MONGO_URL is not a mongodb URL, then the message says what is expected', () => {
      const err = configError(() => parseConfig('game', { ...KEYS, MONGO_URL: 'http://x' }));

      expect(err.message).toBe('MONGO_URL must be a mongodb:// or mongodb+srv:// URL (got "http://x")');
    });

    test('when JWT_SECRET is too short, then the message names it and the rule but never the value', () => {
      const value = 'hunter2-is-short';

      const err = configError(() => parseConfig('user', { ...KEYS, JWT_SECRET: value }));

      expect(err.message).toBe('JWT_SECRET must be at least 32 characters');
      expect(err.message).not.toContain(value);
    });

    test.each([
      ['ADMIN_TOKEN', 'tiny-token'],
      ['SENTRY_DSN', 'not a dsn secret-key-123'],
    ])('when the secret %s is bad, then its value is never echoed', (name, value) => {
      const err = configError(() => parseConfig('gateway', { ...BASE, [name]: value }));

      expect(err.message.startsWith(`${name} `)).toBe(true);
      expect(err.message).not.toContain(value);
    });

    test('when a malformed URL carries a password, then the password is not echoed', () => {
      const err = configError(() => parseConfig('game', { ...KEYS, MONGO_URL: 'http://casino:s3cr3t-pw@db.internal:27017/casino' }));

      expect(err.message.startsWith('MONGO_URL ')).toBe(true);
      expect(err.message).not.toContain('s3cr3t-pw');
    });
  });

  describe('what each service requires', () => {
    test.each([
      ['gateway', { ADMIN_TOKEN: ADMIN }, 'JWT_SECRET is required by the gateway service'],
      ['gateway', { JWT_SECRET: SECRET }, 'ADMIN_TOKEN is required by the gateway service'],
      ['user', {}, 'JWT_SECRET is required by the user service'],
    ] as const)('when %s starts with %j only, then it refuses: %s', (service, env, message) => {
      expect(configError(() => parseConfig(service, env)).message).toBe(message);
    });

    test('when the game, payment and wager services start without the player and admin secrets, then they are configured with empty ones', () => {
      for (const service of ['game', 'payment', 'wager'] as const) {
        const config = parseConfig(service, KEYS);

        expect([service, config.jwt.secret, config.adminToken]).toEqual([service, '', '']);
      }
    });

    test('when the gateway has both secrets, then they are in its config', () => {
      const config = parseConfig('gateway', BASE);

      expect(config.jwt).toEqual({ secret: SECRET, expiresInSeconds: 3600 });
      expect(config.adminToken).toBe(ADMIN);
    });
  });
});

describe('loadConfig in a real process', () => {
  // The child compiles config.ts on the fly (transpile only), so it runs the source under test,
  // never a stale build, and needs no build step.
  const configTs = join(__dirname, '..', 'src', 'config.ts');
  const hook = [
    `const ts = require(${JSON.stringify(require.resolve('typescript'))});`,
    `const fs = require('node:fs');`,
    `require.extensions['.ts'] = (m, f) => m._compile(ts.transpileModule(fs.readFileSync(f, 'utf8'), { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true }, fileName: f }).outputText, f);`,
  ].join('\n');
  let cwd: string;

  beforeEach(() => {
    // A fresh working directory, so no .env of the developer's leaks in.
    cwd = mkdtempSync(join(tmpdir(), 'casino-config-'));
  });
  afterEach(() => rmSync(cwd, { recursive: true, force: true }));

  function run(service: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const script = `${hook}\nconst c = require(${JSON.stringify(configTs)}).loadConfig(${JSON.stringify(service)});\nprocess.stdout.write(JSON.stringify({ port: c.port }));`;
    const child = spawn(process.execPath, ['-e', script], {
      cwd,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  test('when GATEWAY_PORT is abc, then the process exits 78 with exactly one stderr line naming the variable', async () => {
    const { code, stdout, stderr } = await run('gateway', { ...BASE, GATEWAY_PORT: 'abc' });

    expect(code).toBe(78);
    expect(stdout).toBe('');
    const lines = stderr.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^\[gateway\] configuration error: GATEWAY_PORT .*"abc"/);
  });

  test('when the secret is too short, then the one stderr line names JWT_SECRET without its value', async () => {
    const { code, stderr } = await run('user', { JWT_SECRET: 'too-short-secret' });

    expect(code).toBe(78);
    expect(stderr.trim().split('\n')).toEqual(['[user] configuration error: JWT_SECRET must be at least 32 characters']);
  });

  test('when .env holds a bad value that the environment overrides, then the environment wins; otherwise .env is read', async () => {
    writeFileSync(join(cwd, '.env'), 'GAME_PORT=abc\n');
    const good = await run('game', { ...KEYS, GAME_PORT: '9182' });
    writeFileSync(join(cwd, '.env'), 'WAGER_PORT=9184\n');
    const fromFile = await run('wager', KEYS);

    expect(good).toEqual({ code: 0, stdout: JSON.stringify({ port: 9182 }), stderr: '' });
    expect(fromFile).toEqual({ code: 0, stdout: JSON.stringify({ port: 9184 }), stderr: '' });
  });
});

describe('.env.example', () => {
  test('when it is compared with the settings the services read, then it lists each one exactly once and nothing else', () => {
    const example = readFileSync(join(__dirname, '..', '..', '.env.example'), 'utf8');
    const listed = [...example.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]!);

    expect(listed.length).toBe(new Set(listed).size);
    expect([...listed].sort()).toEqual(Object.keys(envSchema.shape).sort());
  });
});
