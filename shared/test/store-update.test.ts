/** The embedded store's update fast path gives what MongoDB's rules (mingo) give, or steps aside. */
import { update as mingoUpdate } from 'mingo';
import { applySimpleUpdate, clone } from '@casino/shared/store/embedded';

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
