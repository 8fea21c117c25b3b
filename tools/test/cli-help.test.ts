/** Every command people run answers --help with its usage, and does nothing else. */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const CLI = join(__dirname, '..', 'src', 'cli');
const DIST = join(__dirname, '..', 'dist', 'cli');
/** The modules in cli/ that are commands; admin-api is the admin client two of them share. */
const COMMANDS = ['bench', 'demo', 'profile', 'reconcile', 'scenario', 'seed', 'sentry-alerts', 'service-keys', 'soak', 'traffic'];

describe('the CLIs', () => {
  test('when the cli folder is listed, then every module but the shared admin client is one of the commands checked here', () => {
    const modules = readdirSync(CLI).map((f) => f.replace(/\.ts$/, ''));
    expect(modules.filter((m) => m !== 'admin-api').sort()).toEqual(COMMANDS);
  });

  test.each(COMMANDS.flatMap((c) => [[c, '--help'] as const, [c, '-h'] as const]))(
    'when %s is run with %s, then it prints its usage and exits 0 without starting anything',
    (command, flag) => {
      const run = spawnSync(process.execPath, [join(DIST, `${command}.js`), flag], {
        encoding: 'utf8',
        timeout: 20_000,
        env: { PATH: process.env.PATH, GATEWAY_URL: 'http://127.0.0.1:9', ADMIN_TOKEN: 'x'.repeat(24) },
      });

      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`^usage: npm run ${command === 'sentry-alerts' ? 'sentry:alerts' : command} `));
      expect(run.stdout).not.toMatch(/listening on|Spotlight ready/);
      expect(run.stderr).toBe('');
    },
  );
});
