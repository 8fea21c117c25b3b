/**
 * The stores a repository test runs on: the embedded store always, and MongoDB whenever this test
 * run has one. The run's global setup (test/support/mongo-setup.ts, wired in the root
 * jest.config.js) decides once for every test file, and hands its answer to the workers in
 * MONGO_URL_VARIABLE (the server to use) or MONGO_SKIPPED_VARIABLE (why there is none). A backend
 * that cannot run registers its tests with describe.skip, so Jest counts them as skipped, never as
 * passed.
 */
import { randomUUID } from 'node:crypto';
import { createStore, type Store, type StoreKind } from '../store';

/** The MongoDB URL the test workers use: MONGO_URL, or the replica set the global setup started. */
export const MONGO_URL_VARIABLE = 'CASINO_TEST_MONGO_URL';
/** Why the MongoDB half of the tests is skipped, when it is. */
export const MONGO_SKIPPED_VARIABLE = 'CASINO_TEST_MONGO_SKIPPED';

export type TestMongo = { url: string; reason: null } | { url: null; reason: string };

/** What this test process was told about MongoDB. */
export function testMongo(env: NodeJS.ProcessEnv = process.env): TestMongo {
  const url = env[MONGO_URL_VARIABLE];
  if (url) return { url, reason: null };
  const skipped = env[MONGO_SKIPPED_VARIABLE];
  if (skipped) return { url: null, reason: skipped };
  // Jest was started without the root config (from a workspace, say): MONGO_URL alone decides.
  if (env.MONGO_URL) return { url: env.MONGO_URL, reason: null };
  return { url: null, reason: 'MONGO_URL is not set, and the root jest.config.js, whose global setup looks for a mongod, was not used' };
}

export interface StoreBackend {
  readonly kind: StoreKind;
  /** This test file's database: `casino_test_<suite>_<random>`, the same for every store it creates. */
  readonly database: string;
  /** The backend cannot run here: its tests are registered as skipped. */
  readonly skipped: boolean;
  /** Why it is skipped; null when it runs. */
  readonly reason: string | null;
  /** A store on this file's database. Call it from beforeAll, not while Jest collects the tests. */
  create(): Store;
  /** Drops everything the file wrote to its database and closes the store. */
  dispose(store: Store): Promise<void>;
}

/** A database name MongoDB accepts (under 64 characters, no dots or slashes), unique to this call. */
function databaseName(suite: string): string {
  const slug = suite
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_|_$/g, '')
    .slice(0, 30);
  return `casino_test_${slug}_${randomUUID().slice(0, 8)}`;
}

async function dispose(store: Store): Promise<void> {
  try {
    await store.drop();
  } finally {
    await store.close();
  }
}

/** The backends a test file runs its repository tests on: embedded, then MongoDB (maybe skipped). */
export function storeBackends(suite: string, env: NodeJS.ProcessEnv = process.env): StoreBackend[] {
  const database = databaseName(suite);
  const mongo = testMongo(env);
  return [
    { kind: 'embedded', database, skipped: false, reason: null, create: () => createStore({ mongoUrl: undefined, database }), dispose },
    {
      kind: 'mongodb',
      database,
      skipped: mongo.url === null,
      reason: mongo.reason,
      create() {
        if (mongo.url === null) throw new Error(`the MongoDB backend is skipped: ${mongo.reason}`);
        return createStore({ mongoUrl: mongo.url, database });
      },
      dispose,
    },
  ];
}

export interface BackendSuite extends StoreBackend {
  /**
   * Opens a store for the enclosing describe: before its tests, `open` builds what they need on it
   * (repositories declare their collections), then the store creates their indexes; after them,
   * the database is dropped. Returns a getter for what `open` built, plus the store.
   */
  use<T extends object>(open: (store: Store) => T): () => T & { store: Store };
}

// Jest's globals, typed just as far as this file uses them: the kit is compiled without Jest's types.
interface JestGlobals {
  describe: { (name: string, body: () => void): void; skip(name: string, body: () => void): void };
  beforeAll(fn: () => Promise<void>): void;
  afterAll(fn: () => Promise<void>): void;
}
const globals = (): JestGlobals => globalThis as unknown as JestGlobals;

function suiteOf(backend: StoreBackend): BackendSuite {
  return {
    ...backend,
    use<T extends object>(open: (store: Store) => T) {
      let opened: (T & { store: Store }) | undefined;
      globals().beforeAll(async () => {
        const store = backend.create();
        opened = { ...open(store), store };
        await store.init();
      });
      globals().afterAll(async () => {
        if (opened) await backend.dispose(opened.store);
      });
      return () => {
        if (!opened) throw new Error(`the ${backend.kind} store is not open: use() it inside a describe and read it inside a test`);
        return opened;
      };
    },
  };
}

/**
 * Registers `body` once per backend, as `<title> on embedded` and `<title> on mongodb`. A skipped
 * backend's describe is describe.skip, its title says why, and nothing in it opens a store.
 */
export function describeEachStore(title: string, body: (backend: BackendSuite) => void, env: NodeJS.ProcessEnv = process.env): void {
  for (const backend of storeBackends(title, env)) {
    if (backend.skipped) globals().describe.skip(`${title} on ${backend.kind} (skipped: ${backend.reason})`, () => body(suiteOf(backend)));
    else globals().describe(`${title} on ${backend.kind}`, () => body(suiteOf(backend)));
  }
}
