import { randomUUID } from 'node:crypto';
import { describeEachStore } from '@casino/shared/testing/stores';
import { FINISHED_ROUNDS, type RoundRecord, RoundRepository, roundsSpec, startedRound } from '../src/data/round-repository';

const wallet = (cash: number) => ({ currency: 'EUR' as const, cash, bonus: 0, total: cash });

/** A round just started by `playerId`, with a random id and key, at `at`. */
function newRound(playerId: string, at = new Date('2026-03-01T12:00:00.000Z'), changes: Partial<RoundRecord> = {}): RoundRecord {
  return {
    ...startedRound({ _id: randomUUID(), playerId, gameId: 'lucky-sevens', stake: 100, idempotencyKey: `spin-${randomUUID()}` }, at),
    ...changes,
  };
}

const reels = [
  ['PLUM', '7', 'CHERRY'],
  ['LEMON', '7', 'LEMON'],
  ['CHERRY', '7', 'BAR'],
];
const lines = [{ line: 1, symbols: ['7', '7', '7'], multiplier: 50, win: 5_000 }];

// Rounds and their state machine, held to the same behaviour on every store.
describeEachStore('round repository', (backend) => {
  const opened = backend.use((store) => ({ rounds: new RoundRepository(store) }));

  /** Walks a round through every step to settled, at the given time. */
  async function settle(round: RoundRecord): Promise<RoundRecord> {
    const { rounds } = opened();
    const at = round.createdAt;
    await rounds.start(round);
    await rounds.advance(round._id, 'started', { status: 'debited', wallet: wallet(9_900) }, at);
    await rounds.advance(round._id, 'debited', { status: 'drawn', reels, lines: [], win: 0 }, at);
    return (await rounds.advance(round._id, 'drawn', { status: 'settled' }, at))!;
  }

  describe('starting', () => {
    test('when a round is started, then it is found by id and by its key, as started', async () => {
      const { rounds } = opened();
      const round = newRound(randomUUID());

      const started = await rounds.start(round);

      expect(started).toEqual(round);
      expect(await rounds.byId(round._id)).toEqual(round);
      expect(await rounds.byKey(round.playerId, round.idempotencyKey)).toEqual(round);
    });

    test('when a round is started again with a used key, then the existing round comes back and no second one is stored', async () => {
      const { rounds } = opened();
      const first = newRound(randomUUID());
      await rounds.start(first);
      const second = newRound(first.playerId, new Date(), { idempotencyKey: first.idempotencyKey, stake: 500 });

      const again = await rounds.start(second);

      expect(again).toEqual(first);
      await expect(rounds.byId(second._id)).rejects.toThrow(/vanished/);
    });

    test('when 20 starts with one key race, then they all answer the same one round', async () => {
      const { rounds } = opened();
      const player = randomUUID();
      const key = `spin-${randomUUID()}`;

      const started = await Promise.all(
        Array.from({ length: 20 }, () => rounds.start(newRound(player, undefined, { idempotencyKey: key }))),
      );

      expect(new Set(started.map((r) => r._id)).size).toBe(1);
      expect(await rounds.byKey(player, key)).toEqual(started[0]);
    });

    test('when two players use the same key, then each gets a round of their own', async () => {
      const { rounds } = opened();
      const key = `spin-${randomUUID()}`;
      const [ada, bob] = [
        newRound(randomUUID(), undefined, { idempotencyKey: key }),
        newRound(randomUUID(), undefined, { idempotencyKey: key }),
      ];

      await rounds.start(ada);
      const bobs = await rounds.start(bob);

      expect(bobs._id).toBe(bob._id);
      expect((await rounds.byKey(ada.playerId, key))?._id).toBe(ada._id);
    });

    test('when a round id is unknown, then byId fails and byKey finds nothing', async () => {
      const { rounds } = opened();

      await expect(rounds.byId(randomUUID())).rejects.toThrow(/vanished/);
      expect(await rounds.byKey(randomUUID(), 'spin-unknown')).toBeNull();
    });
  });

  describe('the state machine', () => {
    test('when a round walks started, debited, drawn, settled, then each step returns the round after it with its changes', async () => {
      const { rounds } = opened();
      const round = newRound(randomUUID());
      await rounds.start(round);
      const later = new Date('2026-03-01T12:00:05.000Z');

      const debited = await rounds.advance(round._id, 'started', { status: 'debited', wallet: wallet(9_900) }, later);
      const drawn = await rounds.advance(round._id, 'debited', { status: 'drawn', reels, lines, win: 5_000 }, later);
      const settled = await rounds.advance(round._id, 'drawn', { status: 'settled', wallet: wallet(14_900) }, later);

      expect(debited).toMatchObject({ status: 'debited', wallet: wallet(9_900), updatedAt: later });
      expect(drawn).toMatchObject({ status: 'drawn', reels, lines, win: 5_000 });
      expect(settled).toEqual({ ...round, status: 'settled', reels, lines, win: 5_000, wallet: wallet(14_900), updatedAt: later });
      expect(await rounds.byId(round._id)).toEqual(settled);
    });

    test('when a step is asked from a status the round is not in, then nothing changes and the answer is null', async () => {
      const { rounds } = opened();
      const round = newRound(randomUUID());
      await rounds.start(round);

      const skipped = await rounds.advance(round._id, 'drawn', { status: 'settled' }, new Date());
      const backwards = await rounds.advance(round._id, 'debited', { status: 'started' }, new Date());

      expect([skipped, backwards]).toEqual([null, null]);
      expect(await rounds.byId(round._id)).toEqual(round);
    });

    test('when a stake is refused, then the round fails with the problem recorded, and a failed round moves no further', async () => {
      const { rounds } = opened();
      const round = newRound(randomUUID());
      await rounds.start(round);
      const failure = { status: 422, slug: 'insufficient-funds', title: 'Insufficient funds', detail: 'needs 100 cents, 50 available' };

      const failed = await rounds.advance(round._id, 'started', { status: 'failed', failure }, new Date());
      const debit = await rounds.advance(round._id, 'started', { status: 'debited', wallet: wallet(0) }, new Date());

      expect(failed).toMatchObject({ status: 'failed', failure });
      expect(debit).toBeNull();
      expect((await rounds.byId(round._id)).status).toBe('failed');
    });

    test('when ten requests advance the same round from the same step at once, then exactly one wins', async () => {
      const { rounds } = opened();
      const round = newRound(randomUUID());
      await rounds.start(round);

      const attempts = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          rounds.advance(round._id, 'started', { status: 'debited', wallet: wallet(1_000 + i) }, new Date()),
        ),
      );

      const winners = attempts.filter((r) => r !== null);
      expect(winners).toHaveLength(1);
      expect(await rounds.byId(round._id)).toMatchObject({ status: 'debited', wallet: winners[0]!.wallet });
    });
  });

  describe('recent rounds', () => {
    test('when a player has settled rounds, then they come newest first, only settled ones, and at most the limit', async () => {
      const { rounds } = opened();
      const player = randomUUID();
      const times = ['2026-03-01T12:00:02Z', '2026-03-01T12:00:04Z', '2026-03-01T12:00:01Z', '2026-03-01T12:00:03Z'];
      const settled = [];
      for (const t of times) settled.push(await settle(newRound(player, new Date(t))));
      await rounds.start(newRound(player, new Date('2026-03-01T12:00:09Z')));

      const all = await rounds.recent(player, 10);
      const two = await rounds.recent(player, 2);

      expect(all.map((r) => r.createdAt.toISOString())).toEqual([
        '2026-03-01T12:00:04.000Z',
        '2026-03-01T12:00:03.000Z',
        '2026-03-01T12:00:02.000Z',
        '2026-03-01T12:00:01.000Z',
      ]);
      expect(two.map((r) => r._id)).toEqual([settled[1]!._id, settled[3]!._id]);
      expect(await rounds.recent(randomUUID(), 10)).toEqual([]);
    });
  });

  describe('retention', () => {
    const OLD = new Date('2020-01-01T00:00:00.000Z');
    const minutes = (n: number) => new Date(OLD.getTime() + n * 60_000);

    test('when old finished rounds pass the bound, then the oldest are retired, the tally still counts them, and unfinished ones stay', async () => {
      const { rounds, store } = opened();
      const stored = store.collection<RoundRecord>(roundsSpec);
      const player = randomUUID();
      // The oldest rounds in the store, whatever else this file stored: two losses, a win, a failure.
      const lost = [await settle(newRound(player, OLD)), await settle(newRound(player, minutes(1)))];
      const started = newRound(player, minutes(2));
      await rounds.start(started);
      const won = await rounds.advance(
        (await settle(newRound(player, minutes(2))))._id,
        'settled',
        { status: 'settled', win: 5_000, lines },
        minutes(2),
      );
      const failed = newRound(player, minutes(3), {
        status: 'failed',
        failure: { status: 402, slug: 'insufficient-funds', title: 'x', detail: 'y' },
      });
      await rounds.start(failed);
      // Old, but not finished: the stake is taken, or wager has still to count it.
      const debited = newRound(player, OLD, { status: 'debited', wallet: wallet(9_900) });
      const unsent = newRound(player, OLD, { status: 'settled', wallet: wallet(9_900), reels, win: 0, wagerRecorded: false });
      await rounds.start(debited);
      await rounds.start(unsent);
      const before = await rounds.tally();
      const finished = await stored.count(FINISHED_ROUNDS);

      // Ten minutes is the least a round is kept, however many there are: at 12 min, the two oldest.
      expect(await rounds.retire({ keep: finished - 4, minAgeMs: 10 * 60_000 }, minutes(12))).toBe(2);
      expect(await rounds.retire({ keep: finished - 4, minAgeMs: 10 * 60_000 }, minutes(14))).toBe(2);
      expect(await rounds.retire({ keep: finished - 4, minAgeMs: 10 * 60_000 }, minutes(60))).toBe(0);

      expect(await rounds.tally()).toEqual(before);
      expect(await stored.count(FINISHED_ROUNDS)).toBe(finished - 4);
      for (const gone of [...lost, won!, failed]) expect(await stored.findOne({ _id: gone._id })).toBeNull();
      expect(await stored.findOne({ _id: started._id })).toMatchObject({ status: 'started' });
      expect(await stored.findOne({ _id: debited._id })).toMatchObject({ status: 'debited' });
      expect(await stored.findOne({ _id: unsent._id })).toMatchObject({ wagerRecorded: false });
    });

    test('when the rounds beyond the bound are younger than the least age, or the bound is 0, then none is retired', async () => {
      const { rounds, store } = opened();
      const finished = await store.collection<RoundRecord>(roundsSpec).count(FINISHED_ROUNDS);
      await settle(newRound(randomUUID(), OLD));

      expect(await rounds.retire({ keep: 0, minAgeMs: 0 }, minutes(60))).toBe(0);
      expect(await rounds.retire({ keep: finished, minAgeMs: 10 * 60_000 }, minutes(9))).toBe(0);
      expect(await store.collection<RoundRecord>(roundsSpec).count(FINISHED_ROUNDS)).toBe(finished + 1);
    });
  });

  describe('indexes', () => {
    test('when the store is initialised again, then it succeeds and a key still starts one round per player', async () => {
      const { rounds, store } = opened();
      const first = newRound(randomUUID());

      await store.init();
      await store.init();
      await rounds.start(first);
      const again = await rounds.start(newRound(first.playerId, undefined, { idempotencyKey: first.idempotencyKey }));

      expect(again._id).toBe(first._id);
    });
  });
});
