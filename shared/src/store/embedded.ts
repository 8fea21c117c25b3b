import { getClient, hasSpanStreamingEnabled } from '@sentry/core';
import type * as Mingo from 'mingo';
import { join } from 'node:path';
import { traced } from '../telemetry';
import { Journal } from './journal';
import { applyOperationHint } from './operation-hint';
import {
  type Collection,
  type CollectionSpec,
  type Document,
  DuplicateKeyError,
  type Filter,
  type FindOptions,
  type IndexSpec,
  indexName,
  type Sort,
  type Store,
  type Update,
  type UpdateResult,
} from './types';

type Row = Document & Record<string, unknown>;

function getPath(doc: Row, path: string): unknown {
  let value: unknown = doc;
  for (const part of path.split('.')) value = (value as Record<string, unknown> | undefined)?.[part];
  return value;
}

// Equality-index keys: Dates and primitives compare by value.
function keyOf(value: unknown): string {
  return value instanceof Date ? `d:${value.getTime()}` : JSON.stringify(value ?? null);
}

/** Query shape with every value replaced by `?`, as the mongoose integration records it. */
function redactQuery(value: unknown, depth = 0): unknown {
  if (depth > 10) return '?';
  if (Array.isArray(value)) return value.map((v) => redactQuery(v, depth + 1));
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactQuery(v, depth + 1)]));
  }
  return '?';
}

/**
 * A deep copy that rebuilds Dates in this module's realm. structuredClone can hand back Dates of
 * another realm (under Jest, for one), which mingo then fails to recognise and sorts by the second.
 */
export function clone<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (Array.isArray(value)) {
    const out: unknown[] = new Array(value.length);
    for (let i = 0; i < value.length; i++) out[i] = clone(value[i]);
    return out as T;
  }
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(value)) out[k] = clone((value as Record<string, unknown>)[k]);
  return out as T;
}

const yieldToLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

let mingoModule: typeof Mingo | undefined;
/**
 * mingo, loaded at the first query or update the store's own tests cannot answer: loading it costs
 * a process about 200 ms of CPU at start (its ~300 modules), and a service whose lookups are all
 * plain equalities never needs it.
 */
function mingo(): typeof Mingo {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (mingoModule ??= require('mingo') as typeof Mingo);
}

class UniqueIndex {
  readonly name: string;
  private readonly keys = new Map<string, string>();
  private readonly partial?: (doc: Row) => boolean;

  constructor(private readonly spec: IndexSpec) {
    this.name = indexName(spec);
    const { partial } = spec;
    if (partial) {
      const fast = simpleMatch(partial);
      let query: Mingo.Query | undefined;
      this.partial = (doc) => fast?.(doc) ?? (query ??= new (mingo().Query)(partial)).test(doc);
    }
  }

  private keyFor(doc: Row): string | undefined {
    if (this.partial && !this.partial(doc)) return undefined;
    return Object.keys(this.spec.fields)
      .map((f) => keyOf(getPath(doc, f)))
      .join('\u0000');
  }

  /** The `_id` of another document already holding this document's key, if any. */
  conflict(doc: Row): string | undefined {
    const key = this.keyFor(doc);
    const holder = key === undefined ? undefined : this.keys.get(key);
    return holder !== undefined && holder !== doc._id ? holder : undefined;
  }

  add(doc: Row): void {
    const key = this.keyFor(doc);
    if (key !== undefined) this.keys.set(key, doc._id);
  }

  remove(doc: Row): void {
    const key = this.keyFor(doc);
    if (key !== undefined && this.keys.get(key) === doc._id) this.keys.delete(key);
  }
}

/** Ids by the value of one field: turns `{walletId: x, ...}` lookups from a scan into a bucket. */
class FieldIndex {
  private readonly buckets = new Map<string, Set<string>>();
  constructor(readonly field: string) {}

  add(doc: Row): void {
    const key = keyOf(getPath(doc, this.field));
    let bucket = this.buckets.get(key);
    if (!bucket) this.buckets.set(key, (bucket = new Set()));
    bucket.add(doc._id);
  }

  remove(doc: Row): void {
    const key = keyOf(getPath(doc, this.field));
    const bucket = this.buckets.get(key);
    bucket?.delete(doc._id);
    if (bucket?.size === 0) this.buckets.delete(key);
  }

  ids(value: unknown): Set<string> {
    return this.buckets.get(keyOf(value)) ?? new Set();
  }
}

type Test = (values: unknown[]) => boolean;
const COMPARISONS = new Set(['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin']);

/** Whether any of `values` equals `expected` as MongoDB compares: null also matches a missing field. */
function anyEqual(values: unknown[], expected: unknown): boolean {
  if (expected === null) return values.some((v) => v === null || v === undefined);
  if (expected instanceof Date) {
    const time = expected.getTime();
    return values.some((v) => v instanceof Date && v.getTime() === time);
  }
  // A string, number or boolean equals only itself (keyOf would say the same, at a JSON.stringify a value).
  return values.includes(expected);
}

/** An order comparison, true only between values of one kind (numbers, strings or Dates), as in MongoDB. */
function ordered(op: string, bound: unknown): Test | null {
  const kind = bound instanceof Date ? 'date' : typeof bound;
  if (kind !== 'number' && kind !== 'string' && kind !== 'date') return null;
  const rank = (v: unknown) => (v instanceof Date ? v.getTime() : (v as number | string));
  const b = rank(bound);
  const holds = {
    $gt: (a: number | string) => a > b,
    $gte: (a: number | string) => a >= b,
    $lt: (a: number | string) => a < b,
    $lte: (a: number | string) => a <= b,
  }[op as '$gt'];
  return (values) => values.some((v) => (v instanceof Date ? 'date' : typeof v) === kind && holds(rank(v)));
}

/** One field's condition as a test over the values at its path; null for one this does not know. */
function fieldTest(condition: unknown): Test | null {
  if (isPlainEquality(condition)) return (values) => anyEqual(values, condition);
  if (!isPlainObject(condition)) return null;
  const tests: Test[] = [];
  for (const [op, operand] of Object.entries(condition)) {
    if (!COMPARISONS.has(op)) return null;
    if (op === '$in' || op === '$nin') {
      if (!Array.isArray(operand) || !operand.every(isPlainEquality)) return null;
      const any: Test = (values) => operand.some((x) => anyEqual(values, x));
      tests.push(op === '$in' ? any : (values) => !any(values));
    } else if (op === '$eq' || op === '$ne') {
      if (!isPlainEquality(operand)) return null;
      tests.push(op === '$eq' ? (values) => anyEqual(values, operand) : (values) => !anyEqual(values, operand));
    } else {
      const test = ordered(op, operand);
      if (!test) return null;
      tests.push(test);
    }
  }
  return (values) => tests.every((t) => t(values));
}

/**
 * The values a filter's path reaches, as MongoDB reads them: through arrays of documents, and each
 * element of an array at the end. Undefined where its rules go further (arrays of arrays, an index
 * in the path, a path ending at a document, an array that yields nothing).
 */
function valuesAt(value: unknown, parts: readonly string[], at = 0): unknown[] | undefined {
  if (at === parts.length) {
    if (Array.isArray(value)) return value.every(isPlainEquality) && value.length > 0 ? value : undefined;
    return isPlainObject(value) ? undefined : [value];
  }
  if (Array.isArray(value)) {
    if (/^\d+$/.test(parts[at]!) || !value.every(isPlainObject)) return undefined;
    const found: unknown[] = [];
    for (const element of value) {
      const inner = valuesAt(element, parts, at);
      if (!inner) return undefined;
      for (const v of inner) found.push(v);
    }
    return found.length ? found : undefined;
  }
  return isPlainObject(value) ? valuesAt(value[parts[at]!], parts, at + 1) : [undefined];
}

/**
 * A filter of fields compared with plain values (equality, `$ne`, `$gt`..., `$in`, `$nin`: every
 * lookup the services make) as a test that needs no query engine, where mingo sets up its operator
 * tables on every query. The test answers undefined for a document where MongoDB's rules go
 * further (see valuesAt), and the caller then asks mingo. Null for any other filter.
 */
export function simpleMatch(filter: Filter): ((doc: Row) => boolean | undefined) | null {
  const fields: [string[], Test][] = [];
  for (const [path, condition] of Object.entries(filter)) {
    const test = path.startsWith('$') ? null : fieldTest(condition);
    if (!test) return null;
    fields.push([path.split('.'), test]);
  }
  return (doc) => {
    let answer: boolean | undefined = true;
    for (const [parts, test] of fields) {
      const values = valuesAt(doc, parts);
      if (!values) answer = undefined;
      else if (!test(values)) return false;
    }
    return answer;
  };
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date);

/** The value at `path`, or `blocked` where a part on the way is neither missing nor a plain object. */
function valueAt(doc: Row, path: string): { value: unknown } | 'blocked' {
  let value: unknown = doc;
  for (const part of path.split('.')) {
    if (value === undefined) return { value };
    if (!isPlainObject(value)) return 'blocked';
    value = value[part];
  }
  return { value };
}

/** Sets `path` to `value`, making the missing objects on the way (valueAt has checked the way). */
function setAt(doc: Row, path: string, value: unknown): void {
  const parts = path.split('.');
  let holder: Record<string, unknown> = doc;
  for (const part of parts.slice(0, -1)) holder = (holder[part] ??= {}) as Record<string, unknown>;
  holder[parts.at(-1)!] = value;
}

function unsetAt(doc: Row, path: string): void {
  const last = path.lastIndexOf('.');
  if (last === -1) {
    delete doc[path];
    return;
  }
  const holder = valueAt(doc, path.slice(0, last));
  if (holder !== 'blocked' && isPlainObject(holder.value)) delete holder.value[path.slice(last + 1)];
}

/** A copy of `doc` that shares everything but the objects on `paths`, the only ones setAt and unsetAt change. */
function pathCopy(doc: Row, paths: readonly string[]): Row {
  const copy: Row = { ...doc };
  for (const path of paths) {
    let from: Record<string, unknown> = doc;
    let to: Record<string, unknown> = copy;
    for (const part of path.split('.').slice(0, -1)) {
      const child = from[part];
      if (!isPlainObject(child)) break;
      if (to[part] === child) to[part] = { ...child };
      from = child;
      to = to[part] as Record<string, unknown>;
    }
  }
  return copy;
}

/** Deep equality of stored values (plain objects, arrays, Dates, primitives), stopping at the first difference. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  }
  if (!isPlainObject(a) || !isPlainObject(b)) return false;
  const keys = Object.keys(a).filter((k) => a[k] !== undefined);
  if (keys.length !== Object.keys(b).filter((k) => b[k] !== undefined).length) return false;
  return keys.every((k) => sameValue(a[k], b[k]));
}

/**
 * The array a `$push` leaves: one value appended, or `$each`'s values with an optional `$slice`
 * (negative keeps the last n, positive the first n). Undefined for any other modifier.
 */
function pushedItems(item: unknown, array: unknown[]): unknown[] | undefined {
  if (!isPlainObject(item) || !Object.keys(item).some((k) => k.startsWith('$'))) return [...array, clone(item)];
  const { $each, $slice, ...others } = item;
  if (Object.keys(others).length || !Array.isArray($each)) return undefined;
  const all = [...array, ...$each.map((v) => clone(v))];
  if ($slice === undefined) return all;
  if (typeof $slice !== 'number' || !Number.isInteger($slice)) return undefined;
  return $slice < 0 ? all.slice($slice) : all.slice(0, $slice);
}

/**
 * The array a `$pull` of `{ field: value, ... }` leaves: without the documents whose fields equal
 * those plain values. Undefined for any other condition, or an array that is not all documents.
 */
function pulledItems(condition: unknown, array: unknown[]): unknown[] | undefined {
  if (!isPlainObject(condition)) return undefined;
  const fields = Object.entries(condition);
  if (!fields.length || fields.some(([k, v]) => k.includes('.') || k.startsWith('$') || !isPlainEquality(v))) return undefined;
  if (!array.every(isPlainObject)) return undefined;
  return array.filter((item) => !fields.every(([k, v]) => sameValue((item as Record<string, unknown>)[k], v)));
}

/**
 * `$set`, `$inc`, `$push` (one value, or `$each` with `$slice`), `$pull` (documents by equal fields) and `$unset`
 * on plain paths, applied to `doc` in place without a query engine (mingo sets up its operator
 * tables on every update). False, with `doc` untouched, for any update where MongoDB's rules go
 * further: positional paths, a path through an array or a value, other `$push` modifiers or a push
 * onto a non-array, other `$pull` conditions, `$inc` of a non-number, overlapping paths; the caller
 * then asks mingo.
 */
export function applySimpleUpdate(doc: Row, modifier: Omit<Update, '$setOnInsert'>): boolean {
  const { $set = {}, $inc = {}, $push = {}, $pull = {}, $unset = {}, ...rest } = modifier;
  if (Object.keys(rest).length) return false;
  const paths = [$set, $inc, $push, $pull, $unset].flatMap((op) => Object.keys(op));
  const overlapping = (p: string) => paths.some((q) => q.startsWith(`${p}.`));
  if (new Set(paths).size !== paths.length || paths.some((p) => p.includes('$') || p.split('.')[0] === '_id' || overlapping(p)))
    return false;
  const current = new Map<string, unknown>();
  for (const path of paths) {
    const found = valueAt(doc, path);
    if (found === 'blocked') return false;
    current.set(path, found.value);
  }
  for (const [path, by] of Object.entries($inc)) {
    const value = current.get(path);
    if (typeof by !== 'number' || (value !== undefined && typeof value !== 'number')) return false;
  }
  const pushes = new Map<string, unknown[]>();
  for (const [path, item] of Object.entries($push)) {
    const value = current.get(path);
    if (value !== undefined && !Array.isArray(value)) return false;
    const items = pushedItems(item, (value as unknown[] | undefined) ?? []);
    if (!items) return false;
    pushes.set(path, items);
  }
  for (const [path, condition] of Object.entries($pull)) {
    const value = current.get(path);
    if (value === undefined) continue;
    if (!Array.isArray(value)) return false;
    const items = pulledItems(condition, value);
    if (!items) return false;
    pushes.set(path, items);
  }
  for (const [path, value] of Object.entries($set)) setAt(doc, path, clone(value));
  for (const [path, by] of Object.entries($inc)) setAt(doc, path, ((current.get(path) as number | undefined) ?? 0) + by);
  for (const [path, items] of pushes) setAt(doc, path, items);
  for (const path of Object.keys($unset)) unsetAt(doc, path);
  return true;
}

function isPlainEquality(value: unknown): boolean {
  return value === null || value instanceof Date || ['string', 'number', 'boolean'].includes(typeof value);
}

export class EmbeddedCollection<T extends Document> implements Collection<T> {
  readonly name: string;
  private readonly docs = new Map<string, Row>();
  private readonly unique: UniqueIndex[];
  private readonly fieldIndexes: FieldIndex[];

  constructor(
    spec: CollectionSpec,
    private readonly database: string,
    private readonly journal?: Journal,
  ) {
    this.name = spec.name;
    const indexes = spec.indexes ?? [];
    this.unique = indexes.filter((i) => i.unique).map((i) => new UniqueIndex(i));
    const leading = new Set(indexes.map((i) => Object.keys(i.fields)[0]!));
    this.fieldIndexes = [...leading].map((f) => new FieldIndex(f));
  }

  /** A span shaped like the mongoose integration's: op `db`, named by operation and collection. */
  private async op<R>(operation: string, query: Filter | Filter[] | undefined, fn: () => R): Promise<R> {
    return traced(
      () => {
        const client = getClient();
        const name = client && hasSpanStreamingEnabled(client) ? `${operation} ${this.name}` : `embedded.${this.name}.${operation}`;
        const queryText = query && Object.keys(query).length ? JSON.stringify(redactQuery(query)) : undefined;
        return {
          name,
          op: 'db',
          attributes: {
            'sentry.origin': 'auto.db.embedded',
            'db.system.name': 'embedded',
            'db.operation.name': operation,
            'db.collection.name': this.name,
            'db.namespace': this.database,
            ...(queryText ? { 'db.query.text': queryText } : {}),
          },
        };
      },
      async () => {
        // Every operation crosses an event-loop turn, as a network round trip would, so concurrent
        // requests interleave between operations exactly as they can against MongoDB.
        await yieldToLoop();
        await applyOperationHint();
        return fn();
      },
    );
  }

  private candidates(filter: Filter): Iterable<Row> {
    if (typeof filter._id === 'string') {
      const doc = this.docs.get(filter._id);
      return doc ? [doc] : [];
    }
    const ids = (filter._id as { $in?: unknown } | undefined)?.$in;
    if (Array.isArray(ids)) return [...new Set(ids)].flatMap((id) => this.docs.get(id as string) ?? []);
    for (const index of this.fieldIndexes) {
      const value = filter[index.field];
      if (value !== undefined && isPlainEquality(value)) {
        return [...index.ids(value)].map((id) => this.docs.get(id)!);
      }
    }
    return this.docs.values();
  }

  private matching(filter: Filter, options: FindOptions = {}): Row[] {
    const fast = options.sort || options.skip ? null : simpleMatch(filter);
    if (fast) {
      const found: Row[] = [];
      for (const doc of this.candidates(filter)) {
        const matched = fast(doc);
        if (matched === undefined) return this.matchingWithMingo(filter, options);
        if (matched) found.push(doc);
        if (options.limit && found.length >= options.limit) break;
      }
      return found;
    }
    return this.matchingWithMingo(filter, options);
  }

  private matchingWithMingo(filter: Filter, options: FindOptions): Row[] {
    let cursor = mingo().find<Row>([...this.candidates(filter)], filter);
    if (options.sort) cursor = cursor.sort(options.sort);
    if (options.skip) cursor = cursor.skip(options.skip);
    if (options.limit) cursor = cursor.limit(options.limit);
    return cursor.all() as Row[];
  }

  private checkUnique(doc: Row): void {
    for (const index of this.unique) {
      if (index.conflict(doc) !== undefined) throw new DuplicateKeyError(this.name, index.name);
    }
  }

  private write(before: Row | undefined, after: Row): void {
    if (before) for (const index of [...this.unique, ...this.fieldIndexes]) index.remove(before);
    this.docs.set(after._id, after);
    for (const index of [...this.unique, ...this.fieldIndexes]) index.add(after);
    this.journal?.put(this.name, after, !before);
  }

  /** Documents read back from the journal, indexed and not journaled again. */
  load(rows: Iterable<Row>): void {
    for (const row of rows) {
      this.docs.set(row._id, row);
      for (const index of [...this.unique, ...this.fieldIndexes]) index.add(row);
    }
  }

  /** Every document, as stored. */
  rows(): Iterable<Row> {
    return this.docs.values();
  }

  /**
   * The document after `update`, as a new version: the simple path copies only the objects on the
   * updated paths and shares the rest with `doc`, which stays as it was (stored versions are never
   * changed in place); mingo works on a whole copy.
   */
  private applyUpdate(doc: Row, update: Update, inserting: boolean): Row {
    const { $setOnInsert, ...modifier } = update;
    let next = doc;
    if (inserting && $setOnInsert) {
      next = clone(next);
      if (!applySimpleUpdate(next, { $set: $setOnInsert })) mingo().update(next, { $set: $setOnInsert });
    }
    // Nothing to change: the stored version itself, which no one changes in place.
    if (!Object.keys(modifier).length) return next;
    const touched = pathCopy(
      next,
      Object.values(modifier).flatMap((op) => Object.keys(op as object)),
    );
    if (applySimpleUpdate(touched, modifier)) return touched;
    const whole = clone(next);
    mingo().update(whole, modifier as Parameters<typeof Mingo.update>[1]);
    return whole;
  }

  private upsertBase(filter: Filter): Row {
    const base: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(filter)) if (!k.startsWith('$') && isPlainEquality(v)) base[k] = v;
    return base as Row;
  }

  /** Finds, updates and checks indexes in one synchronous step: nothing can interleave. */
  private updateFirst(filter: Filter, update: Update, upsert: boolean, sort?: Sort): { doc: Row | null; result: UpdateResult } {
    const current = this.matching(filter, { sort, limit: 1 })[0];
    if (current) {
      const next = this.applyUpdate(current, update, false);
      if (next._id !== current._id) throw new Error(`cannot change _id in ${this.name}`);
      this.checkUnique(next);
      const modified = next !== current && !sameValue(next, current);
      if (modified) this.write(current, next);
      return { doc: next, result: { matched: 1, modified: modified ? 1 : 0, upserted: false } };
    }
    if (!upsert) return { doc: null, result: { matched: 0, modified: 0, upserted: false } };
    const created = this.applyUpdate(this.upsertBase(filter), update, true);
    if (typeof created._id !== 'string') throw new Error(`an upsert into ${this.name} needs a string _id`);
    // As in MongoDB: an upsert whose filter names an existing _id but does not match it collides.
    if (this.docs.has(created._id)) throw new DuplicateKeyError(this.name, indexName({ fields: { _id: 1 } }));
    this.checkUnique(created);
    this.write(undefined, created);
    return { doc: created, result: { matched: 0, modified: 0, upserted: true } };
  }

  insertOne(doc: T): Promise<void> {
    return this.op('insertOne', undefined, () => {
      const row = clone(doc) as unknown as Row;
      if (this.docs.has(row._id)) throw new DuplicateKeyError(this.name, indexName({ fields: { _id: 1 } }));
      this.checkUnique(row);
      this.write(undefined, row);
    });
  }

  findOne(filter: Filter, options: { sort?: Sort } = {}): Promise<T | null> {
    return this.op('findOne', filter, () => {
      const doc = this.matching(filter, { ...options, limit: 1 })[0];
      return doc ? (clone(doc) as unknown as T) : null;
    });
  }

  find(filter: Filter, options: FindOptions = {}): Promise<T[]> {
    return this.op('find', filter, () => clone(this.matching(filter, options)) as unknown as T[]);
  }

  count(filter: Filter): Promise<number> {
    return this.op('countDocuments', filter, () => this.matching(filter).length);
  }

  updateOne(filter: Filter, update: Update, options: { upsert?: boolean } = {}): Promise<UpdateResult> {
    return this.op('updateOne', filter, () => this.updateFirst(filter, update, options.upsert ?? false).result);
  }

  findOneAndUpdate(filter: Filter, update: Update, options: { upsert?: boolean; sort?: Sort } = {}): Promise<T | null> {
    return this.op('findOneAndUpdate', filter, () => {
      const { doc } = this.updateFirst(filter, update, options.upsert ?? false, options.sort);
      return doc ? (clone(doc) as unknown as T) : null;
    });
  }

  deleteMany(filter: Filter): Promise<number> {
    return this.op('deleteMany', filter, () => {
      const doomed = this.matching(filter);
      for (const doc of doomed) {
        for (const index of [...this.unique, ...this.fieldIndexes]) index.remove(doc);
        this.docs.delete(doc._id);
        this.journal?.delete(this.name, doc._id);
      }
      return doomed.length;
    });
  }

  aggregate<R>(pipeline: Record<string, unknown>[]): Promise<R[]> {
    // A leading $match can use the field indexes; mingo still applies it.
    const first = (pipeline[0]?.$match as Filter | undefined) ?? {};
    return this.op('aggregate', pipeline, () => clone(mingo().aggregate([...this.candidates(first)], pipeline)) as R[]);
  }
}

/** The default store: in-process, nothing to install, gone when the process ends. */
export class EmbeddedStore implements Store {
  readonly kind = 'embedded' as const;
  private readonly collections = new Map<string, EmbeddedCollection<Document>>();
  private readonly journal: Journal | undefined;
  /** Documents the journal held for collections no repository has asked for yet. */
  private readonly pending = new Map<string, Map<string, Row>>();
  private replayed = false;

  /** One process holds every document, so there is no half-written state to outlive a crash. */
  readonly transactional = false;

  /**
   * In memory only, or, given `dataDir`, journaled to `<dataDir>/<database>.jsonl` so that a
   * service killed and started again (by `npm run demo`, say) finds its data (see journal.ts).
   */
  constructor(
    readonly database: string,
    options: { dataDir?: string } = {},
  ) {
    this.journal = options.dataDir ? new Journal(join(options.dataDir, `${database}.jsonl`), () => this.compact()) : undefined;
  }

  transaction<R>(work: () => Promise<R>): Promise<R> {
    return work();
  }

  collection<T extends Document>(spec: CollectionSpec): Collection<T> {
    let collection = this.collections.get(spec.name);
    if (!collection) {
      this.collections.set(spec.name, (collection = new EmbeddedCollection(spec, this.database, this.journal)));
      const held = this.pending.get(spec.name);
      if (held) {
        collection.load(held.values());
        this.pending.delete(spec.name);
      }
    }
    return collection as unknown as Collection<T>;
  }

  private compact(): void {
    this.journal!.rewrite([
      ...[...this.collections].map(([name, c]) => [name, c.rows()] as [string, Iterable<Row>]),
      ...[...this.pending].map(([name, rows]) => [name, rows.values()] as [string, Iterable<Row>]),
    ]);
  }

  async init(): Promise<void> {
    if (!this.journal || this.replayed) return;
    this.replayed = true;
    const docs = this.journal.read();
    for (const [name, rows] of docs) {
      const collection = this.collections.get(name);
      if (collection) collection.load(rows.values());
      else this.pending.set(name, rows);
    }
    this.compact();
  }

  async ping(): Promise<boolean> {
    return true;
  }

  async drop(): Promise<void> {
    for (const collection of this.collections.values()) await collection.deleteMany({});
  }

  async close(): Promise<void> {
    this.journal?.close();
  }
}
