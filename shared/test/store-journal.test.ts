import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CollectionSpec, EmbeddedStore } from '../src/store';

const spec: CollectionSpec = { name: 'wallets', indexes: [{ fields: { owner: 1 }, unique: true }], schema: {} };

describe('the embedded store with a data folder', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'casino-journal-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function open() {
    const store = new EmbeddedStore('casino_payment', { dataDir: dir });
    const wallets = store.collection<{ _id: string; owner: string; cash: number; at: Date; marks: { id: string }[] }>(spec);
    await store.init();
    return { store, wallets };
  }

  test('when a store is opened again on the same folder, then it finds what was written, updated and deleted, Dates as Dates, indexes as before', async () => {
    const first = await open();
    const at = new Date('2026-12-04T03:00:00.000Z');
    await first.wallets.insertOne({ _id: 'a', owner: 'ada', cash: 100, at, marks: [] });
    await first.wallets.insertOne({ _id: 'b', owner: 'bob', cash: 5, at, marks: [] });
    await first.wallets.updateOne({ _id: 'a' }, { $inc: { cash: 50 }, $push: { marks: { id: 'm1' } } });
    await first.wallets.deleteMany({ _id: 'b' });
    // No close: as a process killed outright leaves it.

    const second = await open();
    const a = await second.wallets.findOne({ _id: 'a' });

    expect(a).toEqual({ _id: 'a', owner: 'ada', cash: 150, at, marks: [{ id: 'm1' }] });
    expect(a!.at).toBeInstanceOf(Date);
    expect(await second.wallets.findOne({ _id: 'b' })).toBeNull();
    await expect(second.wallets.insertOne({ _id: 'c', owner: 'ada', cash: 0, at, marks: [] })).rejects.toThrow();
  });

  test('when the last line was torn by a kill mid-write, then every whole line before it still counts', async () => {
    const first = await open();
    await first.wallets.insertOne({ _id: 'a', owner: 'ada', cash: 1, at: new Date(0), marks: [] });
    appendFileSync(join(dir, 'casino_payment.jsonl'), '{"c":"wallets","id":"a","d":{"_id":"a","own');

    const second = await open();

    expect((await second.wallets.findOne({ _id: 'a' }))?.cash).toBe(1);
  });

  test('when a store opens, then it rewrites the file as one line a document, and the file stays bounded however often documents change', async () => {
    const first = await open();
    await first.wallets.insertOne({ _id: 'a', owner: 'ada', cash: 0, at: new Date(0), marks: [] });
    for (let i = 0; i < 25_000; i++) await first.wallets.updateOne({ _id: 'a' }, { $inc: { cash: 1 } });

    const grown = readFileSync(join(dir, 'casino_payment.jsonl'), 'utf8').split('\n').filter(Boolean).length;
    await open();
    const reopened = readFileSync(join(dir, 'casino_payment.jsonl'), 'utf8').split('\n').filter(Boolean).length;

    expect(grown).toBeLessThanOrEqual(10_001);
    expect(reopened).toBe(1);
  });

  test('when the file is a stranger’s, written with lines of collections no one asks for, then they are kept through a rewrite', async () => {
    writeFileSync(join(dir, 'casino_payment.jsonl'), '{"c":"ledger","id":"e1","d":{"_id":"e1","amount":5}}\n');
    const first = await open();
    await first.wallets.insertOne({ _id: 'a', owner: 'ada', cash: 0, at: new Date(0), marks: [] });

    const second = new EmbeddedStore('casino_payment', { dataDir: dir });
    await second.init();

    expect(await second.collection<{ _id: string; amount: number }>({ name: 'ledger', schema: {} }).findOne({ _id: 'e1' })).toEqual({
      _id: 'e1',
      amount: 5,
    });
  });
});
