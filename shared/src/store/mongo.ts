import { AsyncLocalStorage } from 'node:async_hooks';
import mongoose, { type ClientSession, type Connection, type Model } from 'mongoose';
import {
  type Collection,
  type CollectionSpec,
  type Document,
  DuplicateKeyError,
  type Filter,
  type FindOptions,
  indexName,
  isUnreachable,
  type Sort,
  type Store,
  StoreUnavailableError,
  type Update,
  type UpdateResult,
} from './types';

/** How long an operation waits for a reachable server before the request gets a 503. */
const SERVER_SELECTION_TIMEOUT_MS = 3000;

function translate(err: unknown, collection: string): unknown {
  const e = err as { code?: number; keyPattern?: Record<string, 1 | -1> };
  if (e?.code === 11000) return new DuplicateKeyError(collection, e.keyPattern ? indexName({ fields: e.keyPattern }) : 'unknown');
  if (isUnreachable(err)) return new StoreUnavailableError('mongodb', err);
  return err;
}

async function mapErrors<R>(collection: string, work: () => Promise<R>): Promise<R> {
  try {
    return await work();
  } catch (err) {
    throw translate(err, collection);
  }
}

/**
 * One collection through a mongoose model. Inside `MongoStore.transaction`, every operation joins
 * the transaction's session, found through async context rather than passed by every caller.
 */
class MongooseCollection<T extends Document> implements Collection<T> {
  constructor(
    readonly name: string,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    private readonly model: Model<any>,
    private readonly sessions: AsyncLocalStorage<ClientSession>,
  ) {}

  private get session(): ClientSession | null {
    return this.sessions.getStore() ?? null;
  }

  insertOne(doc: T): Promise<void> {
    return mapErrors(this.name, async () => {
      const session = this.session;
      await this.model.create([doc], session ? { session } : {});
    });
  }

  findOne(filter: Filter, options: { sort?: Sort } = {}): Promise<T | null> {
    return mapErrors(this.name, () =>
      this.model
        .findOne(filter)
        .sort(options.sort ?? {})
        .session(this.session)
        .lean<T>()
        .exec(),
    );
  }

  find(filter: Filter, options: FindOptions = {}): Promise<T[]> {
    let query = this.model
      .find(filter)
      .sort(options.sort ?? {})
      .session(this.session);
    if (options.skip) query = query.skip(options.skip);
    if (options.limit) query = query.limit(options.limit);
    return mapErrors(this.name, () => query.lean<T[]>().exec());
  }

  count(filter: Filter): Promise<number> {
    return mapErrors(this.name, () => this.model.countDocuments(filter).session(this.session).exec());
  }

  updateOne(filter: Filter, update: Update, options: { upsert?: boolean } = {}): Promise<UpdateResult> {
    return mapErrors(this.name, async () => {
      const r = await this.model
        .updateOne(filter, update, { upsert: options.upsert ?? false, runValidators: true, session: this.session ?? undefined })
        .exec();
      return { matched: r.matchedCount, modified: r.modifiedCount, upserted: r.upsertedCount > 0 };
    });
  }

  findOneAndUpdate(filter: Filter, update: Update, options: { upsert?: boolean; sort?: Sort } = {}): Promise<T | null> {
    return mapErrors(this.name, () =>
      this.model
        .findOneAndUpdate(filter, update, {
          upsert: options.upsert ?? false,
          sort: options.sort,
          returnDocument: 'after',
          runValidators: true,
          session: this.session ?? undefined,
        })
        .lean<T>()
        .exec(),
    );
  }

  deleteMany(filter: Filter): Promise<number> {
    return mapErrors(this.name, async () => (await this.model.deleteMany(filter).session(this.session).exec()).deletedCount);
  }

  aggregate<R>(pipeline: Record<string, unknown>[]): Promise<R[]> {
    return mapErrors(this.name, () =>
      this.model
        .aggregate<R>(pipeline as unknown as mongoose.PipelineStage[])
        .session(this.session)
        .exec(),
    );
  }
}

/**
 * MongoDB through mongoose: one connection per service, to the service's own database.
 *
 * Commands are not buffered while disconnected: a request fails at once with a
 * StoreUnavailableError (a 503 for the caller) instead of hanging, and the driver reconnects on
 * its own when the server returns.
 */
export class MongoStore implements Store {
  readonly kind = 'mongodb' as const;
  private readonly connection: Connection;
  private readonly collections = new Map<string, MongooseCollection<Document>>();
  private readonly sessions = new AsyncLocalStorage<ClientSession>();
  private opened: Promise<unknown> | undefined;
  private replicated = false;

  constructor(
    private readonly url: string,
    readonly database: string,
  ) {
    this.connection = mongoose.createConnection();
    // Connection errors surface through ping() and the failing operations; without a listener
    // an 'error' event would crash the process.
    this.connection.on('error', () => undefined);
  }

  get transactional(): boolean {
    return this.replicated;
  }

  collection<T extends Document>(spec: CollectionSpec): Collection<T> {
    let collection = this.collections.get(spec.name);
    if (!collection) {
      const schema = new mongoose.Schema({ _id: { type: String, required: true }, ...spec.schema } as mongoose.SchemaDefinition, {
        collection: spec.name,
        versionKey: false,
        strict: 'throw',
        // Also before the first connection: fail at once rather than queue for 10 s.
        bufferCommands: false,
      });
      for (const index of spec.indexes ?? []) {
        schema.index(index.fields, {
          unique: index.unique ?? false,
          name: indexName(index),
          ...(index.partial ? { partialFilterExpression: index.partial } : {}),
        });
      }
      collection = new MongooseCollection(spec.name, this.connection.model(spec.name, schema), this.sessions);
      this.collections.set(spec.name, collection);
    }
    return collection as unknown as Collection<T>;
  }

  /** Opens the connection, or opens it again if the first attempt failed. */
  private async connect(): Promise<void> {
    if (this.connection.readyState === mongoose.ConnectionStates.connected) return;
    this.opened ??= this.connection
      .openUri(this.url, {
        dbName: this.database,
        autoIndex: false,
        autoCreate: true,
        bufferCommands: false,
        serverSelectionTimeoutMS: SERVER_SELECTION_TIMEOUT_MS,
        maxPoolSize: 20,
      })
      .finally(() => {
        this.opened = undefined;
      });
    await this.opened;
  }

  async init(): Promise<void> {
    try {
      await this.connect();
      const hello = (await this.connection.db!.admin().command({ hello: 1 })) as { setName?: string; msg?: string };
      this.replicated = Boolean(hello.setName) || hello.msg === 'isdbgrid';
      // createIndexes is a no-op for an index that already exists with the same definition.
      for (const model of Object.values(this.connection.models)) await model.createIndexes();
    } catch (err) {
      throw translate(err, 'init');
    }
  }

  async transaction<R>(work: () => Promise<R>): Promise<R> {
    if (!this.replicated) return work();
    try {
      return await this.connection.transaction((session) => this.sessions.run(session, work));
    } catch (err) {
      throw translate(err, 'transaction');
    }
  }

  async ping(): Promise<boolean> {
    try {
      if (this.connection.readyState !== mongoose.ConnectionStates.connected || !this.connection.db) return false;
      await this.connection.db.admin().ping();
      return true;
    } catch {
      return false;
    }
  }

  async drop(): Promise<void> {
    await this.connect();
    await this.connection.dropDatabase();
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}
