/** The embedded store's update fast path gives what MongoDB's rules (mingo) give, or steps aside. */
import { update as mingoUpdate } from 'mingo';
import { DuplicateKeyError } from '@casino/shared';
import { applySimpleUpdate, clone, EmbeddedStore, sameValue } from '@casino/shared/store/embedded';

type Row = { _id: string } & Record<string, unknown>;
const base = (): Row => ({
  _id: 'w-1',
  cash: 100,
  status: 'started',
  meta: { tries: 1, note: 'x' },
  applied: [{ id: 'e-1', cash: 5 }],
  at: new Date('2026-01-01T00:00:00Z'),
});

const handled: [string, Record<string, Record<string, unknown>>][] = [
  ['$set of a top-level field', { $set: { status: 'settled' } }],
  ['$set of a new nested field', { $set: { 'wallet.cash': 5, 'wallet.bonus': 0 } }],
  ['$set into an existing object', { $set: { 'meta.note': 'y' } }],
  [
    '$set of an object, a Date and an array',
    { $set: { failure: { status: 402, slug: 'x' }, settledAt: new Date(5), reels: [['A', 'B']] } },
  ],
  ['$inc of a field and a missing one', { $inc: { cash: -30, wins: 2, 'meta.tries': 1 } }],
  ['$push onto an array and a missing one', { $push: { applied: { id: 'e-2', cash: -10 }, history: 3 } }],
  ['$unset of a field, a nested one and a missing one', { $unset: { status: '', 'meta.note': '', nothing: '' } }],
  ['$push with $each and a negative $slice', { $push: { applied: { $each: [{ id: 'e-2' }, { id: 'e-3' }], $slice: -2 } } }],
  ['$push with $each and a positive $slice', { $push: { applied: { $each: [{ id: 'e-2' }], $slice: 1 } } }],
  ['$push with $each onto a missing array', { $push: { history: { $each: [1, 2] } } }],
  ['$pull of documents by a field', { $pull: { applied: { id: 'e-1' } } }],
  ['$pull that matches nothing, and one from a missing array', { $pull: { applied: { id: 'e-9' }, history: { id: 'e-1' } } }],
  [
    'all four together',
    { $set: { status: 'debited' }, $inc: { cash: -10 }, $push: { applied: { id: 'e-3', cash: -10 } }, $unset: { at: '' } },
  ],
];

const declined: [string, Record<string, Record<string, unknown>>][] = [
  ['$push with $position', { $push: { applied: { $each: [1, 2], $position: 0 } } }],
  ['$push with $each of a non-array', { $push: { applied: { $each: 1 } } }],
  ['$inc of a string', { $inc: { status: 1 } }],
  ['$push onto a non-array', { $push: { cash: 1 } }],
  ['a path through an array', { $set: { 'applied.0.cash': 7 } }],
  ['a path through a value', { $set: { 'cash.x': 1 } }],
  ['a positional path', { $set: { 'applied.$.cash': 7 } }],
  ['overlapping paths', { $set: { meta: {} }, $inc: { 'meta.tries': 1 } }],
  ['$pull with an operator', { $pull: { applied: { cash: { $gt: 1 } } } }],
  ['$pull of a plain value', { $pull: { applied: 'e-1' } }],
  ['$pull from a non-array', { $pull: { cash: { id: 'e-1' } } }],
  ['an operator it does not know', { $min: { cash: 1 } }],
];

describe('applySimpleUpdate', () => {
  test.each(handled)('when the update is %s, then the document is what mingo makes of it', (_name, update) => {
    const fast = base();
    const slow = base();
    expect(applySimpleUpdate(fast, update)).toBe(true);
    mingoUpdate(slow, update as Parameters<typeof mingoUpdate>[1]);
    expect(fast).toEqual(slow);
  });

  test.each(declined)('when the update is %s, then it steps aside and leaves the document untouched', (_name, update) => {
    const doc = base();
    expect(applySimpleUpdate(doc, update)).toBe(false);
    expect(doc).toEqual(base());
  });

  test("when a value is set or pushed, then the document holds its own copy, not the caller's object", () => {
    const doc = base();
    const failure = { status: 402 };
    const entry = { id: 'e-9' };
    applySimpleUpdate(doc, { $set: { failure }, $push: { applied: entry } });
    failure.status = 500;
    entry.id = 'changed';
    expect(doc.failure).toEqual({ status: 402 });
    expect((doc.applied as { id: string }[]).at(-1)).toEqual({ id: 'e-9' });
    expect(clone(doc)).toEqual(doc);
  });
});

describe('updates in the embedded store', () => {
  const spec = { name: 'wallets', indexes: [{ fields: { email: 1 as const }, unique: true }], schema: {} };
  type Wallet = { _id: string; email: string; cash: number; meta: { note: string; tries: number }; applied: { id: string }[] };
  const wallet = (id: string, email: string): Wallet => ({
    _id: id,
    email,
    cash: 100,
    meta: { note: 'n', tries: 1 },
    applied: [{ id: 'e-1' }],
  });

  test('when an update breaks a unique index, then the stored document is exactly as before, nested fields and arrays included', async () => {
    const wallets = new EmbeddedStore('casino_test').collection<Wallet>(spec);
    await wallets.insertOne(wallet('w-1', 'ada@example.com'));
    await wallets.insertOne(wallet('w-2', 'bob@example.com'));

    await expect(
      wallets.updateOne(
        { _id: 'w-2' },
        {
          $set: { email: 'ada@example.com', 'meta.note': 'changed' },
          $inc: { 'meta.tries': 1, cash: -50 },
          $push: { applied: { id: 'e-2' } },
        },
      ),
    ).rejects.toBeInstanceOf(DuplicateKeyError);

    expect(await wallets.findOne({ _id: 'w-2' })).toEqual(wallet('w-2', 'bob@example.com'));
  });

  test('when an update sets what is already there, then it matches and modifies nothing; a real change is one modification', async () => {
    const wallets = new EmbeddedStore('casino_test').collection<Wallet>(spec);
    await wallets.insertOne(wallet('w-1', 'ada@example.com'));

    expect(await wallets.updateOne({ _id: 'w-1' }, { $set: { 'meta.note': 'n', cash: 100 } })).toEqual({
      matched: 1,
      modified: 0,
      upserted: false,
    });
    expect(await wallets.updateOne({ _id: 'w-1' }, { $push: { applied: { $each: [], $slice: -5 } } })).toEqual({
      matched: 1,
      modified: 0,
      upserted: false,
    });
    expect(await wallets.updateOne({ _id: 'w-1' }, { $set: { 'meta.note': 'm' } })).toEqual({ matched: 1, modified: 1, upserted: false });
    expect(await wallets.findOne({ _id: 'w-1' })).toMatchObject({ meta: { note: 'm', tries: 1 }, applied: [{ id: 'e-1' }] });
  });
});

describe('sameValue', () => {
  const at = new Date('2026-01-01T00:00:00Z');
  test.each([
    [{ a: 1, b: [1, { c: at }] }, { b: [1, { c: new Date(at.getTime()) }], a: 1 }, true],
    [{ a: 1 }, { a: 1, b: undefined }, true],
    [{ a: 1 }, { a: 2 }, false],
    [[1, 2], [1, 2, 3], false],
    [{ a: [1] }, { a: { 0: 1 } }, false],
    [at, new Date(0), false],
    [null, undefined, false],
    ['1', 1, false],
  ])('when %j is compared with %j, then they are the same: %s', (a, b, same) => {
    expect(sameValue(a, b)).toBe(same);
  });
});
