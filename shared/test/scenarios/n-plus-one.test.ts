import * as Sentry from '@sentry/node';
import { findOneByOne } from '@casino/shared/scenarios/n-plus-one';
import { EmbeddedStore } from '@casino/shared/store/embedded';
import { recordSpans } from '../recorded-spans';

const ended = recordSpans();

interface Entry {
  _id: string;
  walletId: string;
  createdAt: Date;
}

describe('findOneByOne, the n-plus-one read', () => {
  test('when a page is read one by one, then it is the same page as one find, read with one query per item, one after another, each marked', async () => {
    const entries = new EmbeddedStore('casino_test_n_plus_one').collection<Entry>({
      name: 'ledger',
      indexes: [{ fields: { walletId: 1, createdAt: -1 } }],
      schema: {},
    });
    for (let i = 0; i < 15; i++)
      await entries.insertOne({ _id: `e${i}`, walletId: i % 3 ? 'w1' : 'w2', createdAt: new Date(1_700_000_000_000 + (i % 4) * 1_000) });
    const page = { sort: { createdAt: -1, _id: 1 } as const, limit: 8 };
    const expected = await entries.find({ walletId: 'w1' }, page);
    ended.length = 0;

    const items = await Sentry.startSpan({ name: 'GET /wallets/:id/transactions', op: 'http.server', forceTransaction: true }, () =>
      findOneByOne(entries, { walletId: 'w1' }, page),
    );

    expect(items).toEqual(expected);
    expect(items).toHaveLength(8);
    const db = ended.filter((s) => s.attributes['sentry.op'] === 'db');
    expect(db.map((s) => s.attributes['db.operation.name'])).toEqual(['aggregate', ...Array<string>(8).fill('findOne')]);
    for (let i = 1; i < db.length; i++) expect(db[i]!.start).toBeGreaterThanOrEqual(db[i - 1]!.end);
    expect(db.slice(1).every((s) => s.attributes['casino.scenario'] === 'n-plus-one')).toBe(true);
  });
});
