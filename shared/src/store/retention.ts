/**
 * Retention: a collection that gains a document for every spin or money move keeps its newest
 * finished documents and folds older ones into carried totals, so reconciliation still sums
 * everything ever recorded while memory (or disk) stays bounded.
 */
import type { Collection, Document, Filter, Store } from './types';

/** A document of carried totals: counters only, one document per key (a wallet, a type, a bonus). */
export type Totals = Document & Record<string, number>;

export interface RetentionPolicy {
  /** Finished documents kept per collection; 0 keeps them all. */
  keep: number;
  /** Nothing younger is retired, however many there are: replays and recovery still find it. */
  minAgeMs: number;
}

/** Documents younger than this are never retired (RETAIN_RECORDS only sets how many are kept). */
export const RETENTION_MIN_AGE_MS = 10 * 60_000;

/** How often each service runs its retention pass. */
export const RETENTION_EVERY_MS = 30_000;

export interface Retirement<T extends Document> {
  collection: Collection<T>;
  /** Documents nothing reads or changes again except history views: settled rounds, applied entries. */
  finished: Filter;
  /** The date field that orders documents; the oldest are retired first. */
  dateField: keyof T & string;
  /** Adds a batch to the totals that stand for retired documents, just before they are deleted. */
  carry(batch: T[]): Promise<void>;
}

/**
 * Retires the oldest finished documents beyond `policy.keep`, in batches: each batch is carried
 * into the totals and deleted in one transaction where the store has them. Returns how many went.
 */
export async function retireOldest<T extends Document>(
  store: Store,
  policy: RetentionPolicy,
  retirement: Retirement<T>,
  now: Date,
  batchSize = 1000,
): Promise<number> {
  if (policy.keep <= 0) return 0;
  const { collection, finished, dateField } = retirement;
  const excess = (await collection.count(finished)) - policy.keep;
  const cutoff = new Date(now.getTime() - policy.minAgeMs);
  let retired = 0;
  while (retired < excess) {
    const batch = await collection.find(
      { ...finished, [dateField]: { $lt: cutoff } },
      { sort: { [dateField]: 1 }, limit: Math.min(batchSize, excess - retired) },
    );
    if (batch.length === 0) break;
    await store.transaction(async () => {
      await retirement.carry(batch);
      await collection.deleteMany({ _id: { $in: batch.map((doc) => doc._id) } });
    });
    retired += batch.length;
  }
  return retired;
}

/** Sums `value` over `docs` grouped by `key`: the shape every carry adds with `$inc`. */
export function sumsBy<T>(
  docs: readonly T[],
  key: (doc: T) => string,
  value: (doc: T) => Record<string, number>,
): Map<string, Record<string, number>> {
  const sums = new Map<string, Record<string, number>>();
  for (const doc of docs) {
    const k = key(doc);
    const into = sums.get(k) ?? {};
    for (const [field, n] of Object.entries(value(doc))) into[field] = (into[field] ?? 0) + n;
    sums.set(k, into);
  }
  return sums;
}

/** Adds each key's sums to its totals document, creating it on first use. */
export async function addTotals(totals: Collection<Totals>, sums: Map<string, Record<string, number>>): Promise<void> {
  for (const [key, inc] of sums) await totals.updateOne({ _id: key }, { $inc: inc }, { upsert: true });
}

/**
 * Live sums (from a `$group`, keyed by `_id`) plus the carried totals of retired documents whose
 * key starts with `prefix`: what the sums would be had nothing been retired.
 */
export function withCarried<S extends Document>(live: readonly S[], carried: readonly Totals[], prefix = ''): S[] {
  const sums = new Map<string, Totals>(live.map((s) => [s._id, { ...s } as unknown as Totals]));
  for (const totals of carried) {
    if (!totals._id.startsWith(prefix)) continue;
    const key = totals._id.slice(prefix.length);
    const into = sums.get(key) ?? ({ _id: key } as Totals);
    for (const [field, n] of Object.entries(totals)) if (field !== '_id') into[field] = (into[field] ?? 0) + (n as number);
    sums.set(key, into);
  }
  return [...sums.values()] as unknown as S[];
}
