// The operations scripts at the repository's root (start-prod.sh, backup.sh): shellcheck-clean, and
// run on temporary copies with stub docker/docker-compose/npx first on PATH, so nothing real runs.
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { repoRoot } from '@casino/tools/launcher';

const ROOT = repoRoot();
/** The root manifest, the lock, and every workspace's manifest as the root package.json names them. */
const WORKSPACES = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces.flatMap((w) =>
  w.endsWith('/*') ? readdirSync(join(ROOT, w.slice(0, -2))).map((d) => `${w.slice(0, -2)}/${d}`) : [w],
);
const PACKAGE_FILES = ['package.json', 'package-lock.json', ...WORKSPACES.map((w) => `${w}/package.json`)].filter((f) =>
  existsSync(join(ROOT, f)),
);
const MANIFESTS = PACKAGE_FILES.filter((f) => f.endsWith('/package.json') || f === 'package.json');

const SECRETS = {
  JWT_SECRET: 'scripts-test-jwt-secret-0123456789abcdef',
  ADMIN_TOKEN: 'scripts-test-admin-token-0123',
  SENTRY_AUTH_TOKEN: 'sntrys_scripts-test-auth-token-must-not-print',
};

/**
 * Stubs that log every call to $STUB_LOG. docker: `compose version` answers (unless STUB_NO_COMPOSE),
 * `compose ps -q mongo` names a container (unless STUB_MONGO_DOWN), `inspect` reports it running, or
 * every stack container with the health in STUB_HEALTH, `mongodump` writes a few bytes.
 */
const STUBS: Record<string, string> = {
  docker: `#!/usr/bin/env bash
echo "docker $*" >> "$STUB_LOG"
case " $* " in
  *" compose version "*) [[ -z \${STUB_NO_COMPOSE:-} ]] || exit 1 ;;
  *" ps -q mongo "*) [[ -n \${STUB_MONGO_DOWN:-} ]] || echo mongo-container ;;
  *" ps -a -q "*) printf 'c1\\nc2\\n' ;;
  *" inspect --format {{.State.Running}} "*) echo true ;;
  *" inspect "*) echo "mongo running healthy 0"; echo "gateway running \${STUB_HEALTH:-healthy} 0" ;;
  *" mongodump "*) printf 'archive' ;;
esac
exit 0
`,
  'docker-compose': `#!/usr/bin/env bash
echo "docker-compose $*" >> "$STUB_LOG"
exit 0
`,
  npx: `#!/usr/bin/env bash
echo "npx $*" >> "$STUB_LOG"
exit 0
`,
};

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Every call the stubs got, one a line. */
  calls: string[];
}

const temps: string[] = [];
afterAll(() => temps.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

/** Runs a script with a bare environment: the stubs, then node's and the system's directories. */
function runScript(script: string, args: string[], env: NodeJS.ProcessEnv = {}, cwd = tmpdir()): Run {
  const stubs = tempDir('casino-stubs-');
  for (const [name, text] of Object.entries(STUBS)) {
    writeFileSync(join(stubs, name), text);
    chmodSync(join(stubs, name), 0o755);
  }
  const log = join(stubs, 'calls.log');
  const result = spawnSync('bash', [script, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 60_000,
    env: {
      PATH: [stubs, dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(':'),
      HOME: process.env.HOME,
      STUB_LOG: log,
      ...env,
    },
  });
  const calls = existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean) : [];
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, calls };
}

/** A copy of what start-prod.sh works on: the script, every package.json, the lock file and a .env. */
function copyOfRepo(env: Record<string, string>): string {
  const dir = tempDir('casino-release-');
  for (const file of [...PACKAGE_FILES, 'start-prod.sh', '.env.example', 'docker-compose.yml']) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    copyFileSync(join(ROOT, file), join(dir, file));
  }
  writeFileSync(
    join(dir, '.env'),
    Object.entries(env)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(''),
  );
  // A repository without a remote, as a fresh clone's copy would be without its origin.
  spawnSync('git', ['init', '-q', dir]);
  return dir;
}

/** Every file under dir with its content and modification time. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files[relative(dir, path)] = `${statSync(path).mtimeMs} ${readFileSync(path, 'base64')}`;
  }
  return files;
}

const version = (dir: string, file: string) => (JSON.parse(readFileSync(join(dir, file), 'utf8')) as { version: string }).version;

/** Where each needle first appears in the text, failing on a missing one. */
function positions(text: string, needles: string[]): number[] {
  return needles.map((needle) => {
    const at = text.indexOf(needle);
    if (at < 0) throw new Error(`"${needle}" is not in the output:\n${text}`);
    return at;
  });
}

describe('shell scripts', () => {
  test('when shellcheck checks every *.sh in the repository and .ci/run, then it finds nothing', () => {
    const probe = spawnSync('shellcheck', ['--version'], { encoding: 'utf8' });
    if (probe.error || probe.status !== 0) {
      throw new Error('shellcheck is not installed: apt-get install -y shellcheck (.ci/run installs it)');
    }
    const scripts = readdirSync(ROOT, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.sh'))
      .map((e) => relative(ROOT, join(e.parentPath, e.name)))
      .filter((f) => !f.split('/').some((part) => part === 'node_modules' || part === '.git'));
    expect(scripts).toEqual(expect.arrayContaining(['start-prod.sh', 'backup.sh']));
    const result = spawnSync('shellcheck', ['--format=gcc', ...scripts, '.ci/run'], { cwd: ROOT, encoding: 'utf8' });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('start-prod.sh', () => {
  test('when .env sets names that are not settings of the platform (NODE_OPTIONS, BASH_ENV, LD_PRELOAD), then they are named, ignored and reach no command', () => {
    const hooks = tempDir('casino-hooks-');
    const marker = join(hooks, 'ran');
    writeFileSync(join(hooks, 'hook.js'), `require('fs').appendFileSync(${JSON.stringify(marker)}, 'node ');`);
    writeFileSync(join(hooks, 'hook.sh'), `echo bash >> ${JSON.stringify(marker)}`);
    const dir = copyOfRepo({
      ...SECRETS,
      SENTRY_ORG: 'acme',
      SENTRY_PROJECT: 'casino',
      NODE_OPTIONS: `--require ${join(hooks, 'hook.js')}`,
      BASH_ENV: join(hooks, 'hook.sh'),
      LD_PRELOAD: join(hooks, 'missing.so'),
    });

    const run = runScript(join(dir, 'start-prod.sh'), ['--dry-run']);

    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toContain('ignored, not settings of the platform: BASH_ENV, LD_PRELOAD, NODE_OPTIONS');
    expect(existsSync(marker)).toBe(false);
    // The settings themselves still count: with the token, release tracking runs.
    expect(run.stdout).toContain('releases new casino@0.1.1');
  });

  test('when it runs with --dry-run, then it prints every step with its commands in order and the next version, and changes nothing', () => {
    const dir = copyOfRepo({ ...SECRETS, SENTRY_ORG: 'acme', SENTRY_PROJECT: 'casino', NODE_ENV: 'production' });
    const before = snapshot(dir);

    const run = runScript(join(dir, 'start-prod.sh'), ['--dry-run']);

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const steps = positions(run.stdout, [
      `Load the settings from ${join(dir, '.env')}`,
      'required: JWT_SECRET set (hidden), ADMIN_TOKEN set (hidden)',
      'Bump the version: 0.1.0 -> 0.1.1',
      'next version: 0.1.1',
      'export SENTRY_RELEASE=casino@0.1.1',
      `+ docker compose --env-file ${join(dir, '.env')} build gateway`,
      `+ docker compose --env-file ${join(dir, '.env')} build --parallel`,
      '+ npx --yes @sentry/cli@',
      'releases new casino@0.1.1',
      'releases set-commits casino@0.1.1 --local',
      'create frontend',
      'sourcemaps upload --release casino@0.1.1',
      'releases finalize casino@0.1.1',
      ' up -d',
      'Wait until every container is healthy (at most 180 s)',
      'deploys new --release casino@0.1.1 -e production',
      'http://localhost:3000',
      'http://localhost:3000/console',
      'http://localhost:8080/api/v1',
      'http://localhost:8080/api-docs',
      'http://localhost:3001',
      'http://localhost:9090',
      'http://localhost:8969',
    ]);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    for (const file of MANIFESTS) expect(run.stdout).toContain(`"version": "0.1.1" in ${file}`);
    for (const secret of Object.values(SECRETS)) expect(run.stdout).not.toContain(secret);
    // Nothing on disk changed, and docker was only asked which Compose it has.
    expect(snapshot(dir)).toEqual(before);
    for (const file of MANIFESTS) expect(version(dir, file)).toBe('0.1.0');
    expect(run.calls).toEqual(['docker compose version']);
  });

  test('when only docker-compose is installed and SENTRY_AUTH_TOKEN is unset, then --dry-run builds with docker-compose and skips the Sentry steps', () => {
    const dir = copyOfRepo({ JWT_SECRET: SECRETS.JWT_SECRET, ADMIN_TOKEN: SECRETS.ADMIN_TOKEN });

    const run = runScript(join(dir, 'start-prod.sh'), ['--dry-run', '--no-bump', '--timeout', '60'], { STUB_NO_COMPOSE: '1' });

    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Keep the version (--no-bump): 0.1.0');
    expect(run.stdout).toContain(`+ docker-compose --env-file ${join(dir, '.env')} build --parallel`);
    expect(run.stdout).toContain('Sentry release: skipped (SENTRY_AUTH_TOKEN is not set)');
    expect(run.stdout).toContain('(at most 60 s)');
    expect(run.stdout).not.toContain('npx');
    expect(run.calls).toEqual(['docker compose version', 'docker-compose version']);
  });

  test('when it runs with --only bump, then every package.json and the lock file go from 0.1.0 to 0.1.1, with the workspaces pinned to each other moved along', () => {
    const dir = copyOfRepo({});

    const run = runScript(join(dir, 'start-prod.sh'), ['--only', 'bump']);

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Version 0.1.0 -> 0.1.1');
    expect(MANIFESTS.length).toBeGreaterThanOrEqual(8);
    for (const file of MANIFESTS) expect([file, version(dir, file)]).toEqual([file, '0.1.1']);
    const gateway = JSON.parse(readFileSync(join(dir, 'services/gateway/package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(gateway.dependencies['@casino/shared']).toBe('0.1.1');
    const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')) as {
      version: string;
      packages: Record<string, { version?: string }>;
    };
    expect(lock.version).toBe('0.1.1');
    for (const key of ['', 'shared', 'frontend', 'services/gateway', 'services/wager'])
      expect([key, lock.packages[key]?.version]).toEqual([key, '0.1.1']);
    // Nothing else in the lock file moved.
    expect(lock.packages['node_modules/react']?.version).toBe(
      (JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as typeof lock).packages['node_modules/react']?.version,
    );
    expect(run.calls).toEqual([]);
  });

  test('when JWT_SECRET is missing from .env, then it stops before anything else and names it, saying what is optional', () => {
    const dir = copyOfRepo({
      ADMIN_TOKEN: SECRETS.ADMIN_TOKEN,
      SENTRY_AUTH_TOKEN: SECRETS.SENTRY_AUTH_TOKEN,
      SENTRY_ORG: 'acme',
      SENTRY_PROJECT: 'casino',
    });
    const before = snapshot(dir);

    const run = runScript(join(dir, 'start-prod.sh'), []);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('JWT_SECRET is missing');
    expect(run.stderr).not.toContain('ADMIN_TOKEN is missing');
    expect(run.stderr).toMatch(/Optional: SENTRY_AUTH_TOKEN, SENTRY_ORG, SENTRY_PROJECT, SENTRY_URL/);
    expect(run.stdout + run.stderr).not.toContain(SECRETS.ADMIN_TOKEN);
    expect(run.stdout + run.stderr).not.toContain(SECRETS.SENTRY_AUTH_TOKEN);
    expect(snapshot(dir)).toEqual(before);
    expect(run.calls).toEqual([]);
  });

  test('when both secrets are missing, then one message names both', () => {
    const dir = copyOfRepo({ NODE_ENV: 'production' });

    const run = runScript(join(dir, 'start-prod.sh'), ['--dry-run']);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('JWT_SECRET is missing');
    expect(run.stderr).toContain('ADMIN_TOKEN is missing');
  });

  test('when a container is still starting at the end of --timeout, then it fails naming that service', () => {
    const dir = copyOfRepo({ JWT_SECRET: SECRETS.JWT_SECRET, ADMIN_TOKEN: SECRETS.ADMIN_TOKEN });

    const run = runScript(join(dir, 'start-prod.sh'), ['--no-bump', '--timeout', '1'], { STUB_HEALTH: 'starting' });

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('not healthy after 1 s: gateway (starting)');
    expect(run.stderr).not.toContain('mongo');
    expect(run.calls).toContain(`docker compose --env-file ${join(dir, '.env')} up -d`);
  });
});

describe('backup.sh', () => {
  const BACKUP = join(ROOT, 'backup.sh');
  const daysAgo = (days: number) => new Date(Date.now() - days * 86_400_000);

  test('when it runs with --dry-run, then it prints the mongodump command and exactly its own archives past the retention, and deletes nothing', () => {
    const dir = tempDir('casino-backups-');
    const old = ['casino-20240101T000000Z.archive.gz', 'casino-20240102T030405Z.archive.gz'];
    const kept = ['casino-29991231T000000Z.archive.gz', 'casino-manual.archive.gz', 'notes.txt', 'casino-20240101T000000Z.archive.gz.bak'];
    for (const name of [...old, ...kept]) writeFileSync(join(dir, name), 'x');
    for (const name of [...old, ...kept.slice(1)]) utimesSync(join(dir, name), daysAgo(40), daysAgo(40));
    utimesSync(join(dir, kept[0]!), daysAgo(5), daysAgo(5));
    const before = snapshot(dir);

    const run = runScript(BACKUP, ['--dry-run', '--dir', dir]);

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      new RegExp(`\\+ docker compose exec -T mongo mongodump --archive --gzip > ${dir}/casino-\\d{8}T\\d{6}Z\\.archive\\.gz\\n`),
    );
    const deleted = [...run.stdout.matchAll(/^\+ rm -- (.*)$/gm)].map((m) => m[1]);
    expect(deleted).toEqual(old.map((name) => join(dir, name)));
    expect(snapshot(dir)).toEqual(before);
    expect(run.calls).toEqual([
      'docker compose version',
      'docker compose ps -q mongo',
      'docker inspect --format {{.State.Running}} mongo-container',
    ]);
  });

  test('when it runs for real, then it writes a new archive that only its owner can read, and deletes only its own archives past --retention-days', () => {
    const dir = tempDir('casino-backups-');
    writeFileSync(join(dir, 'casino-20240101T000000Z.archive.gz'), 'x');
    writeFileSync(join(dir, 'casino-20240105T000000Z.archive.gz'), 'x');
    writeFileSync(join(dir, 'other.archive.gz'), 'x');
    utimesSync(join(dir, 'casino-20240101T000000Z.archive.gz'), daysAgo(8), daysAgo(8));
    utimesSync(join(dir, 'casino-20240105T000000Z.archive.gz'), daysAgo(3), daysAgo(3));
    utimesSync(join(dir, 'other.archive.gz'), daysAgo(8), daysAgo(8));

    const run = runScript(BACKUP, ['--dir', dir, '--retention-days', '7']);

    expect(run.code).toBe(0);
    const files = readdirSync(dir).sort();
    expect(files).toHaveLength(3);
    expect(files).toEqual(expect.arrayContaining(['casino-20240105T000000Z.archive.gz', 'other.archive.gz']));
    const made = files.find((f) => /^casino-\d{8}T\d{6}Z\.archive\.gz$/.test(f) && f !== 'casino-20240105T000000Z.archive.gz')!;
    expect(readFileSync(join(dir, made), 'utf8')).toBe('archive');
    expect((statSync(join(dir, made)).mode & 0o777).toString(8)).toBe('600');
  });

  test('when the directory is new, then it is made so that only its owner can enter it', () => {
    const dir = join(tempDir('casino-backups-'), 'backups');

    expect(runScript(BACKUP, ['--dir', dir]).code).toBe(0);

    expect((statSync(dir).mode & 0o777).toString(8)).toBe('700');
    expect(readdirSync(dir).map((f) => (statSync(join(dir, f)).mode & 0o777).toString(8))).toEqual(['600']);
  });

  test('when the mongo container is not running, then it fails saying so and writes nothing', () => {
    const dir = join(tempDir('casino-backups-'), 'backups');

    const run = runScript(BACKUP, ['--dir', dir], { STUB_MONGO_DOWN: '1' });

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('the mongo container is not running');
    expect(existsSync(dir)).toBe(false);
  });

  test.each(['abc', '1.5', '-3', '0', '30days', ''])('when --retention-days is %j, then it refuses it before doing anything', (value) => {
    const run = runScript(BACKUP, ['--retention-days', value, '--dry-run']);

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/--retention-days (must be a whole number of days, 1 or more|needs a value)/);
    expect(run.calls).toEqual([]);
  });
});
