/**
 * The store contract: the slice of MongoDB's collection API the services use, with the same
 * semantics in both implementations (embedded in-process, and MongoDB through mongoose).
 * Documents are plain objects with a string `_id`; filters and updates are MongoDB's.
 */
export type Document = { _id: string };
export type Filter = Record<string, unknown>;
export type Sort = Record<string, 1 | -1>;

export interface Update {
  $set?: Record<string, unknown>;
  $setOnInsert?: Record<string, unknown>;
  $inc?: Record<string, number>;
  $push?: Record<string, unknown>;
  /** Removes the array elements that match a condition. */
  $pull?: Record<string, unknown>;
  $unset?: Record<string, ''>;
}

export interface IndexSpec {
  fields: Record<string, 1 | -1>;
  unique?: boolean;
  /** Only documents matching this filter are indexed (MongoDB partialFilterExpression). */
  partial?: Filter;
}

export interface CollectionSpec {
  name: string;
  indexes?: IndexSpec[];
  /**
   * Field definitions in mongoose's schema syntax. MongoDB validates writes against them; the
   * embedded store relies on the repository's types.
   */
  schema: Record<string, unknown>;
}

export interface FindOptions {
  sort?: Sort;
  limit?: number;
  skip?: number;
}

export interface UpdateResult {
  matched: number;
  modified: number;
  upserted: boolean;
}

export interface Collection<T extends Document> {
  readonly name: string;
  insertOne(doc: T): Promise<void>;
  findOne(filter: Filter, options?: { sort?: Sort }): Promise<T | null>;
  find(filter: Filter, options?: FindOptions): Promise<T[]>;
  count(filter: Filter): Promise<number>;
  updateOne(filter: Filter, update: Update, options?: { upsert?: boolean }): Promise<UpdateResult>;
  /** Updates the first match and returns it as it is after the update; null when nothing matched. */
  findOneAndUpdate(filter: Filter, update: Update, options?: { upsert?: boolean; sort?: Sort }): Promise<T | null>;
  deleteMany(filter: Filter): Promise<number>;
  /** Runs an aggregation pipeline (`$match`, `$group`, `$sort`, ...) over the collection. */
  aggregate<R>(pipeline: Record<string, unknown>[]): Promise<R[]>;
}

export type StoreKind = 'embedded' | 'mongodb';

export interface Store {
  readonly kind: StoreKind;
  /** Database name: each service owns its own. */
  readonly database: string;
  collection<T extends Document>(spec: CollectionSpec): Collection<T>;
  /**
   * True when `transaction` makes its writes atomic: MongoDB as a replica set or sharded cluster.
   * Known once `init` has run.
   */
  readonly transactional: boolean;
  /**
   * Runs `work` so that its writes commit together, where the store can (see `transactional`);
   * elsewhere it simply runs it, and callers must stay safe if it stops half-way. `work` may run
   * more than once when a transaction is retried, so it must be safe to repeat.
   */
  transaction<R>(work: () => Promise<R>): Promise<R>;
  /** Connects and creates the declared indexes; safe to call on every start. */
  init(): Promise<void>;
  ping(): Promise<boolean>;
  /** Deletes every collection of this database: for tests and for resetting demo data. */
  drop(): Promise<void>;
  close(): Promise<void>;
}

/** A write broke a unique index. `index` names it by its fields, e.g. `walletId_1_idempotencyKey_1`. */
export class DuplicateKeyError extends Error {
  override name = 'DuplicateKeyError';
  constructor(
    readonly collection: string,
    readonly index: string,
  ) {
    super(`duplicate key in ${collection} index ${index}`);
  }
}

/** The store cannot be reached right now: callers answer 503 and the client may retry. */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
  constructor(
    readonly store: StoreKind,
    cause: unknown,
  ) {
    super(`${store === 'mongodb' ? 'MongoDB' : 'the store'} is unreachable: ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }
}

const UNREACHABLE_ERRORS = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoNotConnectedError',
  'MongoTopologyClosedError',
  'MongoServerClosedError',
  'MongoPoolClearedError',
]);
/** Server answers that mean "not now": a restart, a step-down or an election in progress. */
const UNAVAILABLE_CODES = new Set([91, 189, 10107, 11600, 11602, 13435, 13436]);

/**
 * Whether a driver error means the database is unreachable or restarting, rather than that the
 * request itself is wrong. Judged by name and code, so that it needs no driver loaded.
 */
export function isUnreachable(err: unknown): boolean {
  const e = err as { name?: string; code?: number; message?: string; errorLabels?: string[] | Set<string> } | null;
  if (!e || typeof e !== 'object') return false;
  if (e.name && UNREACHABLE_ERRORS.has(e.name)) return true;
  if (typeof e.code === 'number' && UNAVAILABLE_CODES.has(e.code)) return true;
  const labels = e.errorLabels ? [...e.errorLabels] : [];
  if (labels.includes('TransientTransactionError') || labels.includes('ResetPool')) return true;
  // mongoose refuses operations outright while it has no connection (bufferCommands off).
  return (
    e.name === 'MongooseError' && /initial connection|buffering timed out|connection .*closed|client was closed/i.test(e.message ?? '')
  );
}

export function indexName(spec: IndexSpec): string {
  return Object.entries(spec.fields)
    .map(([field, dir]) => `${field}_${dir}`)
    .join('_');
}
