/**
 * Jest global setup, run once for the whole run (root jest.config.js): finds the MongoDB the
 * repository tests run on, and tells the workers through the environment they inherit.
 *
 * 1. MONGO_URL is set: that server, which must answer, or the run stops here.
 * 2. A mongod binary (MONGOMS_SYSTEM_BINARY, or `mongod` on PATH): a single-node replica set of
 *    it, started with mongodb-memory-server-core and stopped by mongo-teardown.ts.
 * 3. MONGOMS_DOWNLOAD=1: the same, with a mongod that mongodb-memory-server downloads.
 * 4. None of these: the MongoDB half is skipped, and one line says why.
 */
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
// Requiring it downloads nothing: only starting a replica set without a systemBinary would.
import { MongoMemoryReplSet } from 'mongodb-memory-server-core';
import { createStore } from '../../shared/src/store';
import { MONGO_SKIPPED_VARIABLE, MONGO_URL_VARIABLE } from '../../shared/src/testing/stores';

/** The replica set this run started, for the teardown (global setup and teardown share globalThis). */
export const RUNNING = Symbol.for('casino.test.mongo');
type Holder = { [RUNNING]?: MongoMemoryReplSet };

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The mongod to start: MONGOMS_SYSTEM_BINARY when set (it must exist), else the first on PATH. */
export function findMongod(env: NodeJS.ProcessEnv): string | undefined {
  const given = env.MONGOMS_SYSTEM_BINARY;
  if (given) {
    if (!executable(given)) throw new Error(`MONGOMS_SYSTEM_BINARY=${given} is not an executable file`);
    return given;
  }
  return (env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, 'mongod'))
    .find(executable);
}

/** Where a URL points, without its credentials, for the log line. */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'the given address';
  }
}

/** Connects once and pings, within the store's 3 s server selection timeout. */
async function reachable(url: string): Promise<void> {
  const store = createStore({ mongoUrl: url, database: 'casino_test_probe' });
  try {
    await store.init();
    if (!(await store.ping())) throw new Error('it did not answer a ping');
  } finally {
    await store.close().catch(() => undefined);
  }
}

async function startReplSet(systemBinary: string | undefined): Promise<MongoMemoryReplSet> {
  // With a mongod of its own, mongodb-memory-server must never fall back to downloading one.
  if (systemBinary) process.env.MONGOMS_RUNTIME_DOWNLOAD = 'false';
  // A data directory of our own: the library leaves its own behind when a start fails.
  const dbPath = mkdtempSync(join(tmpdir(), 'casino-test-mongo-'));
  const replSet = new MongoMemoryReplSet({
    replSet: { count: 1, storageEngine: 'wiredTiger' },
    instanceOpts: [{ dbPath }],
    ...(systemBinary ? { binary: { systemBinary } } : {}),
  });
  try {
    await replSet.start();
    return replSet;
  } catch (err) {
    await replSet.stop({ doCleanup: false }).catch(() => undefined);
    rmSync(dbPath, { recursive: true, force: true });
    throw err;
  }
}

export default async function mongoSetup(): Promise<void> {
  const env = process.env;
  delete env[MONGO_URL_VARIABLE];
  delete env[MONGO_SKIPPED_VARIABLE];

  if (env.MONGO_URL) {
    try {
      await reachable(env.MONGO_URL);
    } catch (err) {
      throw new Error(
        `MONGO_URL points at ${hostOf(env.MONGO_URL)}, which is not reachable (${(err as Error).message}). ` +
          'Start MongoDB there, or unset MONGO_URL to run without the MongoDB half.',
        { cause: err },
      );
    }
    env[MONGO_URL_VARIABLE] = env.MONGO_URL;
    console.log(`MongoDB half runs against MONGO_URL (${hostOf(env.MONGO_URL)})`);
    return;
  }

  const mongod = findMongod(env);
  if (mongod || env.MONGOMS_DOWNLOAD === '1') {
    const replSet = await startReplSet(mongod).catch((err: Error) => {
      throw new Error(`${mongod ?? 'The downloaded mongod'} did not start as a single-node replica set (${err.message}).`, { cause: err });
    });
    (globalThis as Holder)[RUNNING] = replSet;
    env[MONGO_URL_VARIABLE] = replSet.getUri();
    console.log(`MongoDB half runs against a single-node replica set of ${mongod ?? 'a downloaded mongod'} (${hostOf(replSet.getUri())})`);
    return;
  }

  env[MONGO_SKIPPED_VARIABLE] = 'MONGO_URL is not set and no mongod binary was found';
  console.log(`MongoDB half skipped: ${env[MONGO_SKIPPED_VARIABLE]} (run MONGO_URL=mongodb://127.0.0.1:27017 npm test)`);
}
