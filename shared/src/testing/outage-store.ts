import type { Collection, CollectionSpec, Document, Store } from '../store';
import { StoreUnavailableError } from '../store/types';

/**
 * A store that can be switched off and on, for tests: while down, every operation fails the way
 * MongoDB's do when the server is unreachable (StoreUnavailableError) and ping answers false.
 * Lets a component test show what players get during an outage without a MongoDB to stop.
 */
export class OutageStore implements Store {
  down = false;

  constructor(private readonly inner: Store) {}

  get kind() {
    return this.inner.kind;
  }

  get database() {
    return this.inner.database;
  }

  get transactional() {
    return this.inner.transactional;
  }

  private check(): void {
    if (this.down) throw new StoreUnavailableError(this.inner.kind, new Error('connect ECONNREFUSED (outage simulated by the test)'));
  }

  collection<T extends Document>(spec: CollectionSpec): Collection<T> {
    const inner = this.inner.collection<T>(spec);
    const guarded =
      <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
      async (...args: A): Promise<R> => {
        this.check();
        return fn.apply(inner, args);
      };
    return {
      name: inner.name,
      insertOne: guarded(inner.insertOne),
      findOne: guarded(inner.findOne),
      find: guarded(inner.find),
      count: guarded(inner.count),
      updateOne: guarded(inner.updateOne),
      findOneAndUpdate: guarded(inner.findOneAndUpdate),
      deleteMany: guarded(inner.deleteMany),
      aggregate: <R>(pipeline: Record<string, unknown>[]) => guarded(inner.aggregate<R>)(pipeline),
    };
  }

  transaction<R>(work: () => Promise<R>): Promise<R> {
    return this.inner.transaction(work);
  }

  async init(): Promise<void> {
    this.check();
    await this.inner.init();
  }

  async ping(): Promise<boolean> {
    return !this.down && (await this.inner.ping());
  }

  drop(): Promise<void> {
    return this.inner.drop();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
