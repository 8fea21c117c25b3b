/**
 * The MongoDB paths that need no server: what a service does while MongoDB is unreachable, and
 * what the real mongoose instrumentation puts into a trace. Both run against a closed port.
 */
import { spawn } from 'node:child_process';
import { repoRoot } from '@casino/tools/launcher';
import { SentryIngest } from './support/ingest';
import { freePorts, TEST_SECRETS } from './support/platform';
import './support/timeout';

const root = repoRoot();

interface Exit {
  code: number | null;
  output: string;
  ms: number;
}

function run(args: string[], env: NodeJS.ProcessEnv): Promise<Exit> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd: root,
      env: { PATH: process.env.PATH, NODE_ENV: 'test', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => resolve({ code, output, ms: Date.now() - started }));
  });
}

describe('a service whose MongoDB is unreachable', () => {
  test('when MongoDB never answers, then start-up retries with backoff until MONGO_CONNECT_TIMEOUT_MS and exits 1 naming the cause', async () => {
    const [port, closed] = await freePorts(2);

    const exit = await run(['--import', './services/user/dist/instrument.js', './services/user/dist/main.js'], {
      ...TEST_SECRETS,
      USER_PORT: String(port),
      MONGO_URL: `mongodb://127.0.0.1:${closed}`,
      MONGO_CONNECT_TIMEOUT_MS: '5000',
      SENTRY_ENABLED: 'false',
    });

    expect(exit.code).toBe(1);
    const retries = exit.output.split('\n').filter((l) => l.includes('mongodb not reachable yet; retrying'));
    expect(retries.length).toBeGreaterThanOrEqual(1);
    expect(exit.output).toMatch(/mongodb was not reachable within 5 s \(MONGO_CONNECT_TIMEOUT_MS\)/);
    expect(exit.output).toContain('ECONNREFUSED');
    // It gave up near the bound, not at once and not long after.
    expect(exit.ms).toBeGreaterThan(4000);
    expect(exit.ms).toBeLessThan(20_000);
  });

  test('when a query runs through mongoose, then its span names the operation and collection and holds no document values', async () => {
    const ingest = new SentryIngest();
    await ingest.start();
    try {
      const [closed] = await freePorts(1);
      // The service's own instrument file, then the store's mongoose path against a closed port.
      const script = `
        const Sentry = require('@sentry/node');
        const { MongoStore } = require('./shared/dist/store/mongo.js');
        (async () => {
          const store = new MongoStore('mongodb://127.0.0.1:${closed}', 'casino_user');
          const players = store.collection({ name: 'players', schema: { email: String, emailKey: String } });
          await Sentry.startSpan({ name: 'lookup', op: 'test' }, async () => {
            await players.findOne({ emailKey: 'ada.secret@example.com' }).catch((err) => console.log('error:', err.name));
          });
          await store.close();
          await Sentry.flush(5000);
        })();`;
      const exit = await run(['--import', './services/user/dist/instrument.js', '-e', script], {
        ...TEST_SECRETS,
        SENTRY_DSN_USER: ingest.dsn(7),
      });

      expect(exit.output).toContain('error: StoreUnavailableError');
      const span = ingest.spans().find((s) => s.attributes['db.collection.name'] === 'players');
      expect(span).toMatchObject({
        name: 'findOne players',
        op: 'db',
        attributes: expect.objectContaining({
          'db.system.name': 'mongodb',
          'db.operation.name': 'findOne',
          'db.query.text': '{"emailKey":"?"}',
          'service.name': 'user',
        }),
      });
      expect(ingest.envelopes.map((e) => e.raw).join('\n')).not.toContain('ada.secret');
      // It failed at once, not after mongoose's 10 s command buffer.
      expect(span!.end - span!.start).toBeLessThan(1);
    } finally {
      await ingest.stop();
    }
  });
});
