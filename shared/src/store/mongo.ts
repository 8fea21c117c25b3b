import mongoose, { type Connection, type Model } from 'mongoose';
import {
  type Collection,
  type CollectionSpec,
  type Document,
  DuplicateKeyError,
  type Filter,
  type FindOptions,
  indexName,
  type Sort,
  type Store,
  type Update,
  type UpdateResult,
} from './types';

function duplicateKey(err: unknown, collection: string): DuplicateKeyError | undefined {
  const e = err as { code?: number; keyPattern?: Record<string, 1 | -1> };
  if (e?.code !== 11000) return undefined;
  return new DuplicateKeyError(collection, e.keyPattern ? indexName({ fields: e.keyPattern }) : 'unknown');
}

async function mapErrors<R>(collection: string, work: () => Promise<R>): Promise<R> {
  try {
    return await work();
  } catch (err) {
    throw duplicateKey(err, collection) ?? err;
  }
}

class MongooseCollection<T extends Document> implements Collection<T> {
  constructor(
    readonly name: string,
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    private readonly model: Model<any>,
  ) {}

  insertOne(doc: T): Promise<void> {
    return mapErrors(this.name, async () => {
      await this.model.create(doc);
    });
  }

  findOne(filter: Filter, options: { sort?: Sort } = {}): Promise<T | null> {
    return this.model.findOne(filter).sort(options.sort ?? {}).lean<T>().exec();
  }

  find(filter: Filter, options: FindOptions = {}): Promise<T[]> {
    let query = this.model.find(filter).sort(options.sort ?? {});
    if (options.skip) query = query.skip(options.skip);
    if (options.limit) query = query.limit(options.limit);
    return query.lean<T[]>().exec();
  }

  count(filter: Filter): Promise<number> {
    return this.model.countDocuments(filter).exec();
  }

  updateOne(filter: Filter, update: Update, options: { upsert?: boolean } = {}): Promise<UpdateResult> {
    return mapErrors(this.name, async () => {
      const r = await this.model.updateOne(filter, update, { upsert: options.upsert ?? false, runValidators: true }).exec();
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
        })
        .lean<T>()
        .exec(),
    );
  }

  async deleteMany(filter: Filter): Promise<number> {
    return (await this.model.deleteMany(filter).exec()).deletedCount;
  }
}

/** MongoDB through mongoose: one connection per service, to the service's own database. */
export class MongoStore implements Store {
  readonly kind = 'mongodb' as const;
  private readonly connection: Connection;
  private readonly collections = new Map<string, MongooseCollection<Document>>();

  constructor(
    url: string,
    readonly database: string,
  ) {
    this.connection = mongoose.createConnection(url, {
      dbName: database,
      autoIndex: false,
      serverSelectionTimeoutMS: 3000,
      maxPoolSize: 20,
    });
    // Connection errors surface through ping() and the failing operations; without a listener
    // an 'error' event would crash the process.
    this.connection.on('error', () => undefined);
  }

  collection<T extends Document>(spec: CollectionSpec): Collection<T> {
    let collection = this.collections.get(spec.name);
    if (!collection) {
      const schema = new mongoose.Schema({ _id: { type: String, required: true }, ...spec.schema } as mongoose.SchemaDefinition, {
        collection: spec.name,
        versionKey: false,
        strict: 'throw',
      });
      for (const index of spec.indexes ?? []) {
        schema.index(index.fields, {
          unique: index.unique ?? false,
          name: indexName(index),
          ...(index.partial ? { partialFilterExpression: index.partial } : {}),
        });
      }
      collection = new MongooseCollection(spec.name, this.connection.model(spec.name, schema));
      this.collections.set(spec.name, collection);
    }
    return collection as unknown as Collection<T>;
  }

  async init(): Promise<void> {
    await this.connection.asPromise();
    for (const model of Object.values(this.connection.models)) await model.createIndexes();
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

  async close(): Promise<void> {
    await this.connection.close();
  }
}
