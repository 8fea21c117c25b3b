/**
 * The store contract as tests: one suite, run against every Store implementation, so the embedded
 * store and MongoDB are held to the same semantics. Each test makes its own collection.
 */
import { randomUUID } from 'node:crypto';
import { type Collection, type Document, DuplicateKeyError, type IndexSpec } from '@casino/shared/store';
import type { BackendSuite } from '@casino/shared/testing/stores';

interface Player extends Document {
  email: string;
  name: string;
  level: number;
  createdAt: Date;
  nickname?: string;
}

interface Wallet extends Document {
  playerId: string;
  cash: number;
  history?: number[];
  applied?: { id: string; amount: number }[];
  note?: string;
  createdAt?: Date;
  updatedAt?: Date;
}

interface Bonus extends Document {
  playerId: string;
  status: 'active' | 'completed';
  depositId: string;
}

const playerSchema = { email: String, name: String, level: Number, createdAt: Date, nickname: String };
const walletSchema = {
  playerId: String,
  cash: Number,
  history: { type: [Number], default: undefined },
  applied: { type: [{ _id: false, id: String, amount: Number }], default: undefined },
  note: String,
  createdAt: Date,
  updatedAt: Date,
};
const bonusSchema = { playerId: String, status: String, depositId: String };

async function duplicate(work: Promise<unknown>): Promise<DuplicateKeyError> {
  try {
    await work;
  } catch (err) {
    if (err instanceof DuplicateKeyError) return err;
    throw err;
  }
  throw new Error('expected a DuplicateKeyError, but the write succeeded');
}

/**
 * The contract suite for one backend: registered inside describeEachStore, which makes it a
 * describe.skip, counted as skipped, when the backend cannot run here.
 */
export function storeContract(backend: BackendSuite): void {
  const opened = backend.use(() => ({}));
  let made = 0;

  /** A fresh collection with its own name, indexes created. */
  async function collection<T extends Document>(schema: Record<string, unknown>, indexes: IndexSpec[] = []): Promise<Collection<T>> {
    const { store } = opened();
    const c = store.collection<T>({ name: `contract_${++made}_${randomUUID().slice(0, 8)}`, indexes, schema });
    await store.init();
    return c;
  }

  const players = () => collection<Player>(playerSchema, [{ fields: { email: 1 }, unique: true }]);
  const wallets = () => collection<Wallet>(walletSchema, [{ fields: { playerId: 1 }, unique: true }]);
  const player = (n: number, extra: Partial<Player> = {}): Player => ({
    _id: `p-${n}`,
    email: `p${n}@example.com`,
    name: `Player ${n}`,
    level: n,
    createdAt: new Date(Date.UTC(2026, 0, n)),
    ...extra,
  });

  describe('reading', () => {
    test('when a document is inserted, then it is found by _id and by another field, as it was written', async () => {
      const c = await players();
      const ada = player(1, { name: 'Ada' });
      await c.insertOne(ada);

      expect(await c.findOne({ _id: 'p-1' })).toEqual(ada);
      expect(await c.findOne({ name: 'Ada' })).toEqual(ada);
      expect(await c.findOne({ email: 'p1@example.com', level: 1 })).toEqual(ada);
    });

    test('when nothing matches, then findOne is null, find is empty and count is zero', async () => {
      const c = await players();
      await c.insertOne(player(1));

      expect(await c.findOne({ _id: 'p-2' })).toBeNull();
      expect(await c.find({ level: { $gt: 5 } })).toEqual([]);
      expect(await c.count({ name: 'nobody' })).toBe(0);
    });

    test('when find is sorted, skipped and limited, then it returns that page in that order', async () => {
      const c = await players();
      for (const n of [3, 1, 5, 2, 4]) await c.insertOne(player(n));

      const page = await c.find({}, { sort: { level: -1 }, skip: 1, limit: 2 });
      const all = await c.find({ level: { $gte: 2 } }, { sort: { createdAt: 1 } });

      expect(page.map((p) => p._id)).toEqual(['p-4', 'p-3']);
      expect(all.map((p) => p._id)).toEqual(['p-2', 'p-3', 'p-4', 'p-5']);
    });

    test('when sorting by two fields, then the second breaks ties of the first', async () => {
      const c = await players();
      await c.insertOne(player(1, { name: 'B' }));
      await c.insertOne(player(2, { name: 'A', level: 1 }));
      await c.insertOne(player(3, { name: 'A', level: 9 }));

      const sorted = await c.find({}, { sort: { name: 1, level: -1 } });

      expect(sorted.map((p) => p._id)).toEqual(['p-3', 'p-2', 'p-1']);
    });

    test('when findOne is given a sort, then it returns the first in that order', async () => {
      const c = await players();
      for (const n of [2, 7, 4]) await c.insertOne(player(n));

      expect((await c.findOne({}, { sort: { level: -1 } }))?._id).toBe('p-7');
      expect((await c.findOne({}, { sort: { level: 1 } }))?._id).toBe('p-2');
    });

    test('when documents are counted with a filter, then only the matching ones count', async () => {
      const c = await players();
      for (const n of [1, 2, 3, 4, 5, 6]) await c.insertOne(player(n));

      expect(await c.count({})).toBe(6);
      expect(await c.count({ level: { $lte: 2 } })).toBe(2);
      expect(await c.count({ level: { $in: [1, 3, 5, 7] } })).toBe(3);
    });

    test('when Dates are stored, then they come back as Dates and compare with $gte and $lt', async () => {
      const c = await players();
      for (const n of [1, 10, 20]) await c.insertOne(player(n));

      const found = await c.findOne({ _id: 'p-10' });
      const recent = await c.find({ createdAt: { $gte: new Date('2026-01-10T00:00:00Z'), $lt: new Date('2026-01-20T00:00:00Z') } });

      // A Date, checked by its tag: a structured clone may come from another realm than Jest's.
      expect(Object.prototype.toString.call(found?.createdAt)).toBe('[object Date]');
      expect(found?.createdAt.toISOString()).toBe('2026-01-10T00:00:00.000Z');
      expect(recent.map((p) => p._id)).toEqual(['p-10']);
    });

    test('when a returned document is changed by the caller, then the stored one is not', async () => {
      const c = await players();
      const original = player(1);
      await c.insertOne(original);
      original.name = 'changed after insert';

      const one = await c.findOne({ _id: 'p-1' });
      one!.name = 'changed';
      one!.createdAt.setUTCFullYear(1999);
      const many = await c.find({});
      many[0]!.level = 99;

      expect(await c.findOne({ _id: 'p-1' })).toEqual(player(1));
    });
  });

  describe('unique indexes', () => {
    test('when a second document has the same unique value, then it is a DuplicateKeyError naming the index, and it is not stored', async () => {
      const c = await players();
      await c.insertOne(player(1, { email: 'same@example.com' }));

      const err = await duplicate(c.insertOne(player(2, { email: 'same@example.com' })));

      expect(err.index).toBe('email_1');
      expect(err.collection).toBe(c.name);
      expect(await c.count({})).toBe(1);
      expect(await c.findOne({ _id: 'p-2' })).toBeNull();
    });

    test('when a second document has the same _id, then it is a DuplicateKeyError and the first is kept', async () => {
      const c = await players();
      await c.insertOne(player(1, { name: 'first' }));

      const err = await duplicate(c.insertOne(player(1, { email: 'other@example.com', name: 'second' })));

      expect(err.index).toBe('_id_1');
      expect((await c.findOne({ _id: 'p-1' }))?.name).toBe('first');
    });

    test('when an update would give a document an already taken unique value, then it fails and changes nothing', async () => {
      const c = await players();
      await c.insertOne(player(1));
      await c.insertOne(player(2));

      const err = await duplicate(c.updateOne({ _id: 'p-2' }, { $set: { email: 'p1@example.com', name: 'renamed' } }));

      expect(err.index).toBe('email_1');
      expect(await c.findOne({ _id: 'p-2' })).toEqual(player(2));
    });

    test('when a compound unique index is used, then only the same combination is a duplicate', async () => {
      const c = await collection<Bonus>(bonusSchema, [{ fields: { playerId: 1, depositId: 1 }, unique: true }]);
      await c.insertOne({ _id: 'b-1', playerId: 'p-1', status: 'completed', depositId: 'd-1' });
      await c.insertOne({ _id: 'b-2', playerId: 'p-1', status: 'completed', depositId: 'd-2' });
      await c.insertOne({ _id: 'b-3', playerId: 'p-2', status: 'completed', depositId: 'd-1' });

      const err = await duplicate(c.insertOne({ _id: 'b-4', playerId: 'p-1', status: 'completed', depositId: 'd-1' }));

      expect(err.index).toBe('playerId_1_depositId_1');
      expect(await c.count({})).toBe(3);
    });

    test('when a unique index is partial, then only documents matching its filter are unique: one active bonus per player', async () => {
      const c = await collection<Bonus>(bonusSchema, [{ fields: { playerId: 1 }, unique: true, partial: { status: 'active' } }]);
      await c.insertOne({ _id: 'b-1', playerId: 'p-1', status: 'active', depositId: 'd-1' });
      await c.insertOne({ _id: 'b-2', playerId: 'p-1', status: 'completed', depositId: 'd-2' });
      await c.insertOne({ _id: 'b-3', playerId: 'p-1', status: 'completed', depositId: 'd-3' });
      await c.insertOne({ _id: 'b-4', playerId: 'p-2', status: 'active', depositId: 'd-4' });

      const err = await duplicate(c.insertOne({ _id: 'b-5', playerId: 'p-1', status: 'active', depositId: 'd-5' }));

      expect(err.index).toBe('playerId_1');
      expect(await c.count({ playerId: 'p-1' })).toBe(3);
    });

    test('when the active document of a partial unique index leaves the filter, then another may become active', async () => {
      const c = await collection<Bonus>(bonusSchema, [{ fields: { playerId: 1 }, unique: true, partial: { status: 'active' } }]);
      await c.insertOne({ _id: 'b-1', playerId: 'p-1', status: 'active', depositId: 'd-1' });
      await c.insertOne({ _id: 'b-2', playerId: 'p-1', status: 'completed', depositId: 'd-2' });

      await duplicate(c.updateOne({ _id: 'b-2' }, { $set: { status: 'active' } }));
      await c.updateOne({ _id: 'b-1' }, { $set: { status: 'completed' } });
      await c.updateOne({ _id: 'b-2' }, { $set: { status: 'active' } });

      expect((await c.find({ playerId: 'p-1', status: 'active' })).map((b) => b._id)).toEqual(['b-2']);
    });

    test('when a document is deleted, then its unique value is free again', async () => {
      const c = await players();
      await c.insertOne(player(1, { email: 'reuse@example.com' }));

      await c.deleteMany({ _id: 'p-1' });
      await c.insertOne(player(2, { email: 'reuse@example.com' }));

      expect((await c.findOne({ email: 'reuse@example.com' }))?._id).toBe('p-2');
    });
  });

  describe('updates', () => {
    test('when updateOne uses $inc, $set, $push with $each and $slice, and $unset, then each applies and the result says so', async () => {
      const c = await wallets();
      await c.insertOne({ _id: 'w-1', playerId: 'p-1', cash: 100, history: [1, 2, 3], note: 'to remove' });

      const result = await c.updateOne(
        { _id: 'w-1' },
        {
          $inc: { cash: -30 },
          $set: { updatedAt: new Date('2026-02-01T00:00:00Z') },
          $push: { history: { $each: [4, 5], $slice: -3 } },
          $unset: { note: '' },
        },
      );

      expect(result).toEqual({ matched: 1, modified: 1, upserted: false });
      expect(await c.findOne({ _id: 'w-1' })).toEqual({
        _id: 'w-1',
        playerId: 'p-1',
        cash: 70,
        history: [3, 4, 5],
        updatedAt: new Date('2026-02-01T00:00:00Z'),
      });
    });

    test('when updateOne matches nothing, then nothing is written and the result says so', async () => {
      const c = await wallets();
      await c.insertOne({ _id: 'w-1', playerId: 'p-1', cash: 100 });

      const result = await c.updateOne({ _id: 'w-2' }, { $inc: { cash: 5 } });

      expect(result).toEqual({ matched: 0, modified: 0, upserted: false });
      expect(await c.count({})).toBe(1);
    });

    test('when an update changes nothing, then it matched but modified nothing', async () => {
      const c = await wallets();
      await c.insertOne({ _id: 'w-1', playerId: 'p-1', cash: 100 });

      expect(await c.updateOne({ _id: 'w-1' }, { $set: { cash: 100 } })).toEqual({ matched: 1, modified: 0, upserted: false });
    });

    test('when an upsert inserts, then $setOnInsert applies; when it updates, then $setOnInsert is ignored', async () => {
      const c = await wallets();
      const created = new Date('2026-01-01T00:00:00Z');

      const first = await c.updateOne(
        { _id: 'w-1' },
        { $setOnInsert: { playerId: 'p-1', createdAt: created }, $inc: { cash: 50 } },
        { upsert: true },
      );
      const second = await c.updateOne(
        { _id: 'w-1' },
        { $setOnInsert: { playerId: 'p-other', createdAt: new Date() }, $inc: { cash: 25 } },
        { upsert: true },
      );

      expect(first).toEqual({ matched: 0, modified: 0, upserted: true });
      expect(second).toEqual({ matched: 1, modified: 1, upserted: false });
      expect(await c.findOne({ _id: 'w-1' })).toEqual({ _id: 'w-1', playerId: 'p-1', createdAt: created, cash: 75 });
    });

    test('when an upsert filters on a field, then the inserted document takes that field from the filter', async () => {
      const c = await wallets();

      const doc = await c.findOneAndUpdate({ _id: 'w-9', playerId: 'p-9' }, { $setOnInsert: { cash: 0 } }, { upsert: true });

      expect(doc).toEqual({ _id: 'w-9', playerId: 'p-9', cash: 0 });
    });

    test('when findOneAndUpdate matches, then it returns the document as it is after the update', async () => {
      const c = await wallets();
      await c.insertOne({ _id: 'w-1', playerId: 'p-1', cash: 100 });

      const after = await c.findOneAndUpdate({ playerId: 'p-1' }, { $inc: { cash: 25 }, $set: { note: 'topped up' } });

      expect(after).toEqual({ _id: 'w-1', playerId: 'p-1', cash: 125, note: 'topped up' });
    });

    test('when findOneAndUpdate matches nothing, then it returns null and inserts nothing', async () => {
      const c = await wallets();

      expect(await c.findOneAndUpdate({ _id: 'w-404' }, { $inc: { cash: 1 } })).toBeNull();
      expect(await c.count({})).toBe(0);
    });

    test('when findOneAndUpdate has a sort, then it updates the first document in that order', async () => {
      const c = await collection<Wallet>(walletSchema);
      await c.insertOne({ _id: 'w-1', playerId: 'p-1', cash: 10 });
      await c.insertOne({ _id: 'w-2', playerId: 'p-1', cash: 30 });
      await c.insertOne({ _id: 'w-3', playerId: 'p-1', cash: 20 });

      const updated = await c.findOneAndUpdate({ playerId: 'p-1' }, { $set: { note: 'richest' } }, { sort: { cash: -1 } });

      expect(updated?._id).toBe('w-2');
      expect((await c.find({ note: 'richest' })).map((w) => w._id)).toEqual(['w-2']);
    });

    test('when the condition of a conditional update fails, then nothing matches and the document is unchanged', async () => {
      const c = await wallets();
      await c.insertOne({ _id: 'w-1', playerId: 'p-1', cash: 50 });

      const debit = await c.findOneAndUpdate({ _id: 'w-1', cash: { $gte: 100 } }, { $inc: { cash: -100 } });
      const result = await c.updateOne({ _id: 'w-1', cash: { $gte: 100 } }, { $inc: { cash: -100 } });

      expect(debit).toBeNull();
      expect(result.matched).toBe(0);
      expect((await c.findOne({ _id: 'w-1' }))?.cash).toBe(50);
    });

    test('when $ne is used on a field of an array of subdocuments, then it matches only if no element has that value', async () => {
      const c = await wallets();
      await c.insertOne({
        _id: 'w-1',
        playerId: 'p-1',
        cash: 0,
        applied: [
          { id: 'tx-1', amount: 10 },
          { id: 'tx-2', amount: 20 },
        ],
      });

      // Applying an entry once: the guard stops the second application of tx-2.
      const again = await c.findOneAndUpdate(
        { _id: 'w-1', 'applied.id': { $ne: 'tx-2' } },
        { $inc: { cash: 20 }, $push: { applied: { id: 'tx-2', amount: 20 } } },
      );
      const fresh = await c.findOneAndUpdate(
        { _id: 'w-1', 'applied.id': { $ne: 'tx-3' } },
        { $inc: { cash: 30 }, $push: { applied: { id: 'tx-3', amount: 30 } } },
      );

      expect(again).toBeNull();
      expect(fresh).toEqual({
        _id: 'w-1',
        playerId: 'p-1',
        cash: 30,
        applied: [
          { id: 'tx-1', amount: 10 },
          { id: 'tx-2', amount: 20 },
          { id: 'tx-3', amount: 30 },
        ],
      });
    });

    test('when many conditional debits race on one document, then the balance never goes below zero and exactly the affordable ones succeed', async () => {
      const c = await wallets();
      await c.insertOne({ _id: 'w-1', playerId: 'p-1', cash: 500 });

      const results = await Promise.all(
        Array.from({ length: 100 }, () => c.findOneAndUpdate({ _id: 'w-1', cash: { $gte: 10 } }, { $inc: { cash: -10 } })),
      );

      const succeeded = results.filter((r) => r !== null);
      expect(succeeded).toHaveLength(50);
      expect(succeeded.every((r) => r!.cash >= 0)).toBe(true);
      expect(new Set(succeeded.map((r) => r!.cash)).size).toBe(50);
      expect((await c.findOne({ _id: 'w-1' }))?.cash).toBe(0);
    });

    test('when concurrent upserts insert the same unique value, then one wins and the others are DuplicateKeyErrors', async () => {
      const c = await wallets();

      const outcomes = await Promise.allSettled(
        Array.from({ length: 10 }, (_, i) =>
          c.updateOne({ _id: `w-${i}` }, { $setOnInsert: { playerId: 'p-1', cash: i } }, { upsert: true }),
        ),
      );

      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      const errors = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected').map((o) => o.reason as unknown);
      expect(errors).toHaveLength(9);
      expect(errors.every((e) => e instanceof DuplicateKeyError && e.index === 'playerId_1')).toBe(true);
      expect(await c.count({ playerId: 'p-1' })).toBe(1);
    });
  });

  describe('deleting', () => {
    test('when deleteMany is given a filter, then exactly the matching documents go and their number is returned', async () => {
      const c = await players();
      for (const n of [1, 2, 3, 4, 5]) await c.insertOne(player(n));

      const deleted = await c.deleteMany({ level: { $gte: 4 } });
      const none = await c.deleteMany({ level: 99 });

      expect(deleted).toBe(2);
      expect(none).toBe(0);
      expect((await c.find({}, { sort: { level: 1 } })).map((p) => p._id)).toEqual(['p-1', 'p-2', 'p-3']);
    });
  });

  describe('aggregating', () => {
    test('when a pipeline matches, groups and sorts, then each group holds the sums and counts of its documents', async () => {
      const c = await wallets();
      const rows: [string, string, number][] = [
        ['w-1', 'a', 100],
        ['w-2', 'a', 250],
        ['w-3', 'b', -40],
        ['w-4', 'b', 15],
        ['w-5', 'c', 7],
      ];
      for (const [id, note, cash] of rows) await c.insertOne({ _id: id, playerId: id, note, cash });

      const groups = await c.aggregate<{ _id: string; cash: number; count: number }>([
        { $match: { note: { $in: ['a', 'b'] } } },
        { $group: { _id: '$note', cash: { $sum: '$cash' }, count: { $sum: 1 } } },
        { $sort: { _id: 1 } },
      ]);

      expect(groups).toEqual([
        { _id: 'a', cash: 350, count: 2 },
        { _id: 'b', cash: -25, count: 2 },
      ]);
    });

    test('when nothing matches the pipeline, then it returns no groups', async () => {
      const c = await wallets();
      await c.insertOne({ _id: 'w-1', playerId: 'p-1', cash: 5 });

      expect(await c.aggregate([{ $match: { cash: { $gt: 100 } } }, { $group: { _id: null, n: { $sum: 1 } } }])).toEqual([]);
    });
  });

  describe('transactions', () => {
    test('when the work succeeds, then its writes are kept and its result comes back', async () => {
      const { store } = opened();
      const c = await wallets();

      const result = await store.transaction(async () => {
        await c.insertOne({ _id: 'w-1', playerId: 'p-1', cash: 10 });
        await c.updateOne({ _id: 'w-1' }, { $inc: { cash: 5 } });
        return 'done';
      });

      expect(result).toBe('done');
      expect(await c.findOne({ _id: 'w-1' })).toMatchObject({ cash: 15 });
    });

    test('when the work fails half-way, then the error comes back, and the first write is undone only where the store is transactional', async () => {
      const { store } = opened();
      const c = await wallets();
      await c.insertOne({ _id: 'w-1', playerId: 'p-1', cash: 10 });

      const failed = store.transaction(async () => {
        await c.updateOne({ _id: 'w-1' }, { $inc: { cash: 5 } });
        throw new Error('stopped half-way');
      });

      await expect(failed).rejects.toThrow('stopped half-way');
      // A replica set rolls the update back; elsewhere it stays, which is why callers must be safe without.
      expect(await c.findOne({ _id: 'w-1' })).toMatchObject({ cash: store.transactional ? 10 : 15 });
    });
  });
}
