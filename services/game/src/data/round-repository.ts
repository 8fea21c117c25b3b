import {
  addTotals,
  type CollectionSpec,
  DuplicateKeyError,
  type RetentionPolicy,
  retireOldest,
  type Store,
  sumsBy,
  type Totals,
  type WalletView,
} from '@casino/shared';
import type { Round, RoundFailure, RoundStatus } from '../domain/round';
import type { LineWin } from '../domain/slots';

/** A round as stored: one document whose fields fill in as the round goes on. */
export interface RoundRecord {
  _id: string;
  playerId: string;
  gameId: string;
  stake: number;
  idempotencyKey: string;
  status: RoundStatus;
  reels: string[][] | null;
  lines: LineWin[];
  win: number | null;
  wallet: WalletView | null;
  /** The problem a failed round answered with, so a replay answers the same. */
  failure: RoundFailure | null;
  /** Whether wager counted the stake: null until settled, false while it still has to be sent. */
  wagerRecorded: boolean | null;
  createdAt: Date;
  updatedAt: Date;
}

/** A round as it starts: nothing taken, drawn or paid yet. */
export function startedRound(fields: Pick<RoundRecord, '_id' | 'playerId' | 'gameId' | 'stake' | 'idempotencyKey'>, at: Date): RoundRecord {
  return {
    ...fields,
    status: 'started',
    reels: null,
    lines: [],
    win: null,
    wallet: null,
    failure: null,
    wagerRecorded: null,
    createdAt: at,
    updatedAt: at,
  };
}

/** The round a record holds, with what its status promises; a record that breaks that is corrupt. */
export function toRound(record: RoundRecord): Round {
  const { _id: id, playerId, gameId, stake, idempotencyKey, createdAt, updatedAt, wallet, reels, win, failure, wagerRecorded } = record;
  const base = { id, playerId, gameId, stake, idempotencyKey, createdAt, updatedAt };
  const corrupt = (missing: string) => new Error(`round ${id} is ${record.status} but has no ${missing}`);
  switch (record.status) {
    case 'started':
      return { ...base, status: 'started' };
    case 'failed':
      if (!failure) throw corrupt('failure');
      return { ...base, status: 'failed', failure };
  }
  if (!wallet) throw corrupt('wallet');
  if (record.status === 'debited') return { ...base, status: 'debited', wallet };
  if (!reels || win === null) throw corrupt('draw');
  const drawn = { ...base, wallet, reels, lines: record.lines, win };
  if (record.status === 'drawn') return { ...drawn, status: 'drawn' };
  return { ...drawn, status: 'settled', wagerRecorded: wagerRecorded ?? false };
}

export const roundsSpec: CollectionSpec = {
  name: 'rounds',
  indexes: [
    { fields: { playerId: 1, idempotencyKey: 1 }, unique: true },
    { fields: { playerId: 1, createdAt: -1 } },
    // The recovery pass looks for rounds left half-way, oldest first.
    { fields: { status: 1, updatedAt: 1 } },
  ],
  schema: {
    playerId: { type: String, required: true },
    gameId: { type: String, required: true },
    stake: { type: Number, required: true, min: 1 },
    idempotencyKey: { type: String, required: true },
    status: { type: String, required: true, enum: ['started', 'debited', 'drawn', 'settled', 'failed'] },
    reels: { type: [[String]], default: null },
    lines: [{ _id: false, line: Number, symbols: [String], multiplier: Number, win: Number }],
    win: { type: Number, default: null },
    wallet: { type: { _id: false, currency: String, cash: Number, bonus: Number, total: Number }, default: null },
    failure: { type: { _id: false, status: Number, slug: String, title: String, detail: String }, default: null },
    wagerRecorded: { type: Boolean, default: null },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
};

/** What retired rounds add to the tally: one document, `all`. */
export const retiredRoundsSpec: CollectionSpec = {
  name: 'rounds_retired',
  schema: { settled: { type: Number, default: 0 }, failed: { type: Number, default: 0 }, wins: { type: Number, default: 0 } },
};

/** Rounds nothing will advance or resend again: failed, or settled with wager told. */
export const FINISHED_ROUNDS = { status: { $in: ['settled', 'failed'] }, wagerRecorded: { $ne: false } };

export class RoundRepository {
  private readonly rounds;
  private readonly retired;

  constructor(private readonly store: Store) {
    this.rounds = store.collection<RoundRecord>(roundsSpec);
    this.retired = store.collection<Totals>(retiredRoundsSpec);
  }

  /** Stores a new round; returns the existing one instead if the key was used before. */
  async start(round: RoundRecord): Promise<RoundRecord> {
    try {
      await this.rounds.insertOne(round);
      return round;
    } catch (err) {
      if (!(err instanceof DuplicateKeyError)) throw err;
      const existing = await this.byKey(round.playerId, round.idempotencyKey);
      if (!existing) throw err;
      return existing;
    }
  }

  byKey(playerId: string, idempotencyKey: string): Promise<RoundRecord | null> {
    return this.rounds.findOne({ playerId, idempotencyKey });
  }

  async byId(id: string): Promise<RoundRecord> {
    const round = await this.rounds.findOne({ _id: id });
    if (!round) throw new Error(`round ${id} vanished`);
    return round;
  }

  /**
   * Moves a round on from `from`, only if it is still there: of two requests advancing the same
   * round, one wins and the other gets null and reads what the winner wrote.
   */
  advance(id: string, from: RoundStatus, changes: Partial<RoundRecord>, at: Date): Promise<RoundRecord | null> {
    return this.rounds.findOneAndUpdate({ _id: id, status: from }, { $set: { ...changes, updatedAt: at } });
  }

  recent(playerId: string, limit: number): Promise<RoundRecord[]> {
    return this.rounds.find({ playerId, status: 'settled' }, { sort: { createdAt: -1 }, limit });
  }

  /** Rounds that took the stake but stopped before settling, untouched since `before`, oldest first. */
  unfinished(before: Date, limit: number): Promise<RoundRecord[]> {
    return this.rounds.find({ status: { $in: ['debited', 'drawn'] }, updatedAt: { $lt: before } }, { sort: { updatedAt: 1 }, limit });
  }

  /** Settled rounds whose stake wager has not counted yet, untouched since `before`, oldest first. */
  wagersNotRecorded(before: Date, limit: number): Promise<RoundRecord[]> {
    return this.rounds.find({ status: 'settled', wagerRecorded: false, updatedAt: { $lt: before } }, { sort: { updatedAt: 1 }, limit });
  }

  async markWagerRecorded(id: string): Promise<void> {
    await this.rounds.updateOne({ _id: id, wagerRecorded: false }, { $set: { wagerRecorded: true } });
  }

  /** Rounds by status, and how many took a stake and paid a win, for reconciliation. */
  async tally(): Promise<{ byStatus: Partial<Record<RoundStatus, number>>; wins: number }> {
    const [live, wins, retired] = await Promise.all([
      this.rounds.aggregate<{ _id: RoundStatus; count: number }>([{ $group: { _id: '$status', count: { $sum: 1 } } }]),
      this.rounds.count({ status: 'settled', win: { $gt: 0 } }),
      this.retired.findOne({ _id: 'all' }),
    ]);
    const byStatus: Partial<Record<RoundStatus, number>> = Object.fromEntries(live.map((s) => [s._id, s.count]));
    for (const status of ['settled', 'failed'] as const) {
      if (retired?.[status]) byStatus[status] = (byStatus[status] ?? 0) + retired[status];
    }
    return { byStatus, wins: wins + (retired?.wins ?? 0) };
  }

  /** Retires the oldest finished rounds beyond the policy, counting them in the tally's totals. */
  retire(policy: RetentionPolicy, now: Date): Promise<number> {
    return retireOldest(
      this.store,
      policy,
      {
        collection: this.rounds,
        finished: FINISHED_ROUNDS,
        dateField: 'createdAt',
        carry: (batch) =>
          addTotals(
            this.retired,
            sumsBy(
              batch,
              () => 'all',
              (r) => ({ [r.status]: 1, wins: r.status === 'settled' && (r.win ?? 0) > 0 ? 1 : 0 }),
            ),
          ),
      },
      now,
    );
  }
}
