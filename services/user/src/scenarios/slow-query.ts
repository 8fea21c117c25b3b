import { scenarioApplied, type Store, StoreUnavailableError } from '@casino/shared';
import { withOperationHint } from '@casino/shared/store/operation-hint';
import { type PlayerDoc, playersSpec, toPlayer } from '../data/player-repository';
import type { Player } from '../domain/players';

/**
 * The slow-query scenario's read: a real slow pattern rather than a sleep beside a fast query.
 *
 * - MongoDB: `$where` runs JavaScript on every player, which no index can serve, so the server
 *   scans the collection (COLLSCAN in explain, a slow-query line in its log and profiler). On
 *   the match it sleeps `ms` in the server, so the query lasts about `ms` however few players
 *   there are, and more over a large seeded collection. Server-side JavaScript is on by default
 *   (`$where` is deprecated since MongoDB 8.0), but a server may refuse it
 *   (`security.javascriptEnabled: false`, some hosted tiers): there the read falls back to
 *   `$expr` on `$toString` of the id, still a full unindexed scan, whose time then depends on
 *   the collection's size alone.
 * - Embedded store: the same kind of scan (an `$expr` filter cannot use the id lookup), and the
 *   `ms` is spent inside the operation's DB span, which is marked with the scenario.
 *
 * The id is a checked UUID and `ms` a bounded integer; both are serialised, never spliced raw.
 */
export function slowPlayerRead(store: Store): (id: string, ms: number) => Promise<Player | null> {
  const players = store.collection<PlayerDoc>(playersSpec);
  const find = async (id: string, ms: number): Promise<PlayerDoc | null> => {
    if (store.kind === 'mongodb') {
      const where = `function () { if (this._id !== ${JSON.stringify(id)}) return false; sleep(${Math.trunc(ms)}); return true; }`;
      try {
        return await players.findOne({ $where: where });
      } catch (err) {
        if (err instanceof StoreUnavailableError) throw err;
        return players.findOne({ $expr: { $eq: [{ $toString: '$_id' }, id] } });
      }
    }
    return withOperationHint({ delayMs: ms, inSpan: () => scenarioApplied('slow-query') }, () =>
      players.findOne({ $expr: { $eq: ['$_id', id] } }),
    );
  };
  return async (id, ms) => {
    const doc = await find(id, ms);
    return doc && toPlayer(doc);
  };
}
