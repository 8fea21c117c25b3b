/**
 * n-plus-one: payment's transaction list and wager's bonus history load the page's ids, then each
 * item with a findOne of its own, one after another.
 */
import { randomUUID } from 'node:crypto';
import type { ServiceName } from '@casino/shared';
import type { IngestedSpan } from '../support/ingest';
import { call } from '../support/platform';
import { newPlayer, type ObservedPlatform, serviceOf, startObservedPlatform, switchScenario, traceSpans } from './observed-platform';

/** The longest run of identical DB spans (name and query) under one parent, each starting after the one before ended. */
function longestSequentialRun(spans: IngestedSpan[]): { count: number; name: string; query: unknown } {
  const groups = new Map<string, IngestedSpan[]>();
  for (const s of spans) {
    const key = JSON.stringify([s.parentSpanId, s.name, s.attributes['db.query.text']]);
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  let best = { count: 0, name: '', query: undefined as unknown };
  for (const group of groups.values()) {
    const sorted = [...group].sort((a, b) => a.start - b.start);
    let run = 0;
    sorted.forEach((span, i) => {
      // Timestamps are float seconds: allow a microsecond of rounding.
      run = i > 0 && span.start >= sorted[i - 1]!.end - 1e-6 ? run + 1 : 1;
      if (run > best.count) best = { count: run, name: span.name, query: span.attributes['db.query.text'] };
    });
  }
  return best;
}

describe('n-plus-one', () => {
  let o: ObservedPlatform;

  beforeAll(async () => {
    o = await startObservedPlatform();
  }, 60_000);

  afterAll(async () => {
    await switchScenario(o.api, 'n-plus-one', false).catch(() => undefined);
    await o?.stop();
  });

  /** A player with 11 bonuses (each reload bonus forfeited to claim the next) and 44 ledger entries. */
  async function playerWithHistory(): Promise<string> {
    const token = await newPlayer(o.api, 0);
    for (let i = 0; i < 11; i++) {
      expect((await call(o.api, 'POST', '/wallet/deposits', { token, key: randomUUID(), body: { amount: 1_000 } })).status).toBe(201);
      expect((await call(o.api, 'POST', '/bonuses/offers/reload-50/claim', { token, body: {} })).status).toBe(201);
      expect(
        (await call(o.api, 'POST', '/wallet/withdrawals', { token, key: randomUUID(), body: { amount: 100, forfeitBonus: true } })).status,
      ).toBe(201);
    }
    return token;
  }

  /** The DB spans one list request made in `service`, once its spans have arrived. */
  async function dbSpans(traceId: string, service: ServiceName, collection: string): Promise<IngestedSpan[]> {
    const spans = await traceSpans(o.ingest, traceId, `the ${service} list request`, (all) =>
      all.some((s) => serviceOf(s) === service && s.op === 'http.server'),
    );
    return spans.filter((s) => serviceOf(s) === service && s.op === 'db' && s.attributes['db.collection.name'] === collection);
  }

  const serverSpan = async (traceId: string, service: ServiceName) =>
    (
      await traceSpans(o.ingest, traceId, `the ${service} server span`, (all) =>
        all.some((s) => serviceOf(s) === service && s.op === 'http.server'),
      )
    ).find((s) => serviceOf(s) === service && s.op === 'http.server')!;

  test.each([
    ['the transaction list', '/wallet/transactions?limit=20', 'payment', 'ledger', 20],
    ['the bonus history', '/bonuses?limit=20', 'wager', 'bonuses', 11],
  ] as const)(
    'when n-plus-one is on, then %s makes one findOne per item, one after another, and off it is one query',
    async (_what, path, service, collection, items) => {
      const token = await playerWithHistory();
      const list = () => call<{ items: { id: string }[] }>(o.api, 'GET', path, { token });

      const before = await list();
      await switchScenario(o.api, 'n-plus-one', true);
      const during = await list();
      await switchScenario(o.api, 'n-plus-one', false);
      const after = await list();

      // The same answer either way: only the way it is read changes.
      expect([before.status, during.status, after.status]).toEqual([200, 200, 200]);
      expect(before.body.items).toHaveLength(items);
      expect(during.body).toEqual(before.body);
      expect(after.body).toEqual(before.body);

      const [off, on, offAgain] = await Promise.all([before, during, after].map((r) => dbSpans(r.traceId, service, collection)));
      const run = longestSequentialRun(on!.filter((s) => s.attributes['db.operation.name'] === 'findOne'));
      console.log(
        `n-plus-one (${service}): off ${off!.length} query, on ${on!.length} queries, ${run.count} sequential identical "${run.name}" ${String(run.query)}`,
      );
      expect(off!.map((s) => s.attributes['db.operation.name'])).toEqual(['find']);
      expect(offAgain!.map((s) => s.attributes['db.operation.name'])).toEqual(['find']);
      expect(run.count).toBeGreaterThanOrEqual(10);
      expect(run.count).toBe(items);
      expect(on!.length).toBe(items + 1);
      // Marked: the N spans and the service's request span.
      expect(
        on!.filter((s) => s.attributes['db.operation.name'] === 'findOne').every((s) => s.attributes['casino.scenario'] === 'n-plus-one'),
      ).toBe(true);
      expect((await serverSpan(during.traceId, service)).attributes['casino.scenario']).toBe('n-plus-one');
      expect((await serverSpan(after.traceId, service)).attributes['casino.scenario']).toBeUndefined();
    },
  );
});
