/** The embedded store's filter fast path gives what MongoDB's rules (mingo) give, or steps aside. */
import { Query } from 'mingo';
import { simpleMatch } from '@casino/shared/store/embedded';

type Row = { _id: string } & Record<string, unknown>;

const at = new Date('2026-01-01T00:00:00Z');
const docs: Row[] = [
  { _id: 'w-1', cash: 100, bonus: 0, status: 'active', applied: [{ id: 'e-1', cash: 5 }, { id: 'e-2' }], at },
  { _id: 'w-2', cash: 0, status: null, applied: [], tags: ['a', 'b'], at: new Date(0) },
  { _id: 'w-3', cash: '100', meta: { tries: 2, when: at }, tags: [] },
  { _id: 'w-4', cash: 250.5, counted: false, countedRounds: ['r-1', 'r-2'], nested: [[1], [2]] },
  { _id: 'w-5', counted: true, applied: [{ id: 'e-3' }, 'odd'], meta: null },
];

const filters: [string, Record<string, unknown>][] = [
  ['plain equalities', { _id: 'w-1', status: 'active' }],
  ['equality with null, which a missing field also matches', { status: null }],
  ['a nested path', { 'meta.tries': 2 }],
  ['a nested Date', { 'meta.when': at }],
  ['$gte on numbers, where a string never compares', { cash: { $gte: 100 } }],
  ['$gt, $lt and $lte together', { cash: { $gt: 0, $lt: 300 }, bonus: { $lte: 0 } }],
  ['$lt on Dates', { at: { $lt: at } }],
  ['$gte on strings', { _id: { $gte: 'w-3' } }],
  ['$ne through an array of documents', { 'applied.id': { $ne: 'e-2' } }],
  ['$ne of an id nobody applied', { 'applied.id': { $ne: 'e-9' } }],
  ['equality through an array of documents', { 'applied.id': 'e-1' }],
  ['$ne against an array of strings', { countedRounds: { $ne: 'r-2' } }],
  ['equality against an array of strings', { tags: 'b' }],
  ['$ne null', { counted: { $ne: null } }],
  ['$ne false', { counted: { $ne: false } }],
  ['$in with null', { status: { $in: ['active', null] } }],
  ['$nin', { cash: { $nin: [0, 100] } }],
  ['$eq', { cash: { $eq: 0 } }],
  ['the wallet guard', { _id: 'w-1', 'applied.id': { $ne: 'e-3' }, cash: { $gte: 50 } }],
  ['an empty array', { tags: { $ne: 'a' } }],
  ['arrays of arrays', { nested: 1 }],
];

const declined: [string, Record<string, unknown>][] = [
  ['$or', { $or: [{ cash: 0 }, { cash: 100 }] }],
  ['$exists', { cash: { $exists: true } }],
  ['$elemMatch', { applied: { $elemMatch: { id: 'e-1' } } }],
  ['equality with a document', { meta: { tries: 2 } }],
  ['equality with an array', { tags: ['a', 'b'] }],
  ['$gt with null', { cash: { $gt: null } }],
  ['$in with a document', { status: { $in: [{ a: 1 }] } }],
  ['$regex', { status: { $regex: '^a' } }],
];

describe('simpleMatch', () => {
  test.each(filters)('when the filter is %s, then every answer it gives is mingo’s, and it answers most documents', (_name, filter) => {
    const match = simpleMatch(filter);
    expect(match).not.toBeNull();
    const query = new Query(filter);
    let answered = 0;
    for (const doc of docs) {
      const fast = match!(doc);
      if (fast === undefined) continue;
      answered++;
      expect([doc._id, fast]).toEqual([doc._id, query.test(doc)]);
    }
    expect(answered).toBeGreaterThanOrEqual(3);
  });

  test.each(declined)('when the filter uses %s, then it steps aside for mingo', (_name, filter) => {
    expect(simpleMatch(filter)).toBeNull();
  });

  test('when a wallet is guarded as payment guards it, then the fast path answers without mingo, both ways', () => {
    const wallet: Row = {
      _id: 'p-1',
      cash: 500,
      bonus: 0,
      applied: Array.from({ length: 100 }, (_, i) => ({ id: `e-${i}`, cash: 1, bonus: 0 })),
    };
    expect(simpleMatch({ _id: 'p-1', 'applied.id': { $ne: 'e-new' }, cash: { $gte: 300 } })!(wallet)).toBe(true);
    expect(simpleMatch({ _id: 'p-1', 'applied.id': { $ne: 'e-42' }, cash: { $gte: 300 } })!(wallet)).toBe(false);
    expect(simpleMatch({ _id: 'p-1', 'applied.id': { $ne: 'e-new' }, cash: { $gte: 600 } })!(wallet)).toBe(false);
  });
});
