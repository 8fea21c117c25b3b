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
}

export type StoreKind = 'embedded' | 'mongodb';

export interface Store {
  readonly kind: StoreKind;
  /** Database name: each service owns its own. */
  readonly database: string;
  collection<T extends Document>(spec: CollectionSpec): Collection<T>;
  /** Creates the declared indexes; safe to call on every start. */
  init(): Promise<void>;
  ping(): Promise<boolean>;
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

export function indexName(spec: IndexSpec): string {
  return Object.entries(spec.fields)
    .map(([field, dir]) => `${field}_${dir}`)
    .join('_');
}
