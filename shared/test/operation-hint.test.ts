import * as Sentry from '@sentry/node';
import { EmbeddedStore } from '@casino/shared/store/embedded';
import { withOperationHint } from '@casino/shared/store/operation-hint';
import { opOf, recordSpans } from './recorded-spans';

const ended = recordSpans();

const players = () => new EmbeddedStore('casino_test_hint').collection<{ _id: string; name: string }>({ name: 'players', schema: {} });

describe('operation hints in the embedded store', () => {
  test('when an operation runs under a hint, then the delay and the callback happen inside its DB span', async () => {
    const collection = players();
    await collection.insertOne({ _id: 'p1', name: 'Ada' });
    const seen: unknown[] = [];
    ended.length = 0;

    const found = await withOperationHint({ delayMs: 60, inSpan: () => seen.push(opOf(Sentry.getActiveSpan())) }, () =>
      collection.findOne({ _id: 'p1' }),
    );

    expect(found).toEqual({ _id: 'p1', name: 'Ada' });
    expect(seen).toEqual(['db']);
    const db = ended.filter((s) => s.attributes['sentry.op'] === 'db');
    expect(db).toHaveLength(1);
    expect((db[0]!.end - db[0]!.start) * 1_000).toBeGreaterThanOrEqual(55);
  });

  test('when operations run outside the hint, even right after it, then they are not delayed and the callback is not run', async () => {
    const collection = players();
    const seen: string[] = [];
    await withOperationHint({ delayMs: 200, inSpan: () => seen.push('hinted') }, () => collection.insertOne({ _id: 'p2', name: 'Bob' }));

    const start = performance.now();
    await collection.findOne({ _id: 'p2' });
    await Promise.all([collection.count({}), collection.find({ name: 'Bob' })]);

    expect(performance.now() - start).toBeLessThan(100);
    expect(seen).toEqual(['hinted']);
  });
});
