/**
 * The run's MongoDB global setup, as far as a machine without MongoDB can check it: the skip, a
 * MONGO_URL that does not answer, and a mongod that does not start each end the way they should.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MONGO_SKIPPED_VARIABLE, MONGO_URL_VARIABLE } from '@casino/shared/testing/stores';
import mongoSetup, { findMongod } from './support/mongo-setup';

const saved = { ...process.env };
let dirs: string[] = [];

/** A folder holding a `mongod` shell script: it answers `--version`, and otherwise does `body`. */
function fakeMongod(body: string, mode = 0o755): string {
  const dir = mkdtempSync(join(tmpdir(), 'casino-fake-mongod-'));
  dirs.push(dir);
  const path = join(dir, 'mongod');
  writeFileSync(path, `#!/bin/sh\nif [ "$1" = "--version" ]; then echo "db version v8.0.4"; exit 0; fi\n${body}\n`);
  chmodSync(path, mode);
  return dir;
}

/** The environment of a machine with no MongoDB: no MONGO_URL, no mongod, PATH as given. */
function machine(path: string, env: Record<string, string> = {}): void {
  for (const key of ['MONGO_URL', 'MONGOMS_SYSTEM_BINARY', 'MONGOMS_DOWNLOAD', MONGO_URL_VARIABLE, MONGO_SKIPPED_VARIABLE])
    delete process.env[key];
  Object.assign(process.env, { PATH: path, ...env });
}

let lines: string[];
beforeEach(() => {
  lines = [];
  jest.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
  // mongodb-memory-server reports a failed start on the console too.
  jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  jest.spyOn(console, 'error').mockImplementation(() => undefined);
});

afterEach(() => {
  jest.restoreAllMocks();
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  Object.assign(process.env, saved);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  dirs = [];
});

describe('the MongoDB global setup', () => {
  test('when MONGO_URL is not set and no mongod is on PATH, then the MongoDB half is skipped with one line saying why', async () => {
    machine(fakeMongod('exit 1', 0o644));

    await mongoSetup();

    expect(process.env[MONGO_URL_VARIABLE]).toBeUndefined();
    expect(process.env[MONGO_SKIPPED_VARIABLE]).toBe('MONGO_URL is not set and no mongod binary was found');
    expect(lines).toEqual([
      'MongoDB half skipped: MONGO_URL is not set and no mongod binary was found (run MONGO_URL=mongodb://127.0.0.1:27017 npm test)',
    ]);
  });

  test('when MONGO_URL points at a closed port, then the run stops within seconds saying so, and nothing is skipped', async () => {
    machine(process.env.PATH ?? '', { MONGO_URL: 'mongodb://127.0.0.1:1' });
    const started = Date.now();

    await expect(mongoSetup()).rejects.toThrow(/MONGO_URL points at 127\.0\.0\.1:1, which is not reachable .*unset MONGO_URL/);

    expect(Date.now() - started).toBeLessThan(10_000);
    expect(process.env[MONGO_URL_VARIABLE]).toBeUndefined();
    expect(process.env[MONGO_SKIPPED_VARIABLE]).toBeUndefined();
    expect(lines).toEqual([]);
  });

  test('when MONGOMS_SYSTEM_BINARY names no executable, then the run stops naming it', async () => {
    machine('', { MONGOMS_SYSTEM_BINARY: join(tmpdir(), 'no-such-dir', 'mongod') });

    await expect(mongoSetup()).rejects.toThrow(/MONGOMS_SYSTEM_BINARY=.*no-such-dir\/mongod is not an executable file/);

    expect(process.env[MONGO_SKIPPED_VARIABLE]).toBeUndefined();
  });

  test('when the mongod on PATH exits at start, then the run stops saying it did not start as a replica set', async () => {
    const dir = fakeMongod('exit 14');
    machine(dir);

    await expect(mongoSetup()).rejects.toThrow(`${join(dir, 'mongod')} did not start as a single-node replica set`);

    expect(process.env[MONGO_URL_VARIABLE]).toBeUndefined();
    expect(process.env[MONGO_SKIPPED_VARIABLE]).toBeUndefined();
  });

  test('when PATH is searched, then the first executable mongod is found and a file that is not executable is passed over', () => {
    const notExecutable = fakeMongod('exit 1', 0o644);
    const executable = fakeMongod('exit 1');

    expect(findMongod({ PATH: [notExecutable, executable].join(':') })).toBe(join(executable, 'mongod'));
    expect(findMongod({ PATH: notExecutable })).toBeUndefined();
  });

  test('when MONGOMS_SYSTEM_BINARY is set, then it wins over PATH, and it must be executable', () => {
    const onPath = fakeMongod('exit 1');
    const given = fakeMongod('exit 1');
    const notExecutable = fakeMongod('exit 1', 0o644);

    expect(findMongod({ PATH: onPath, MONGOMS_SYSTEM_BINARY: join(given, 'mongod') })).toBe(join(given, 'mongod'));
    expect(() => findMongod({ PATH: onPath, MONGOMS_SYSTEM_BINARY: join(notExecutable, 'mongod') })).toThrow('is not an executable file');
  });
});
