import {
  addTotals,
  type CollectionSpec,
  DuplicateKeyError,
  type RetentionPolicy,
  retireOldest,
  type Store,
  sumsBy,
  type Totals,
} from '@casino/shared';
import type { Bonus } from '../domain/bonuses';
import type { BonusState } from '@casino/shared';
import { findOneByOne } from '@casino/shared/scenarios/n-plus-one';

/** How many recently counted rounds a bonus remembers: enough to finish any interrupted count. */
const COUNTED_MEMORY = 200;

export interface BonusDoc extends Omit<Bonus, 'id'> {
  _id: string;
  idempotencyKey: string;
  settledAt: Date | null;
  /** The most recent rounds whose stake `wagered` includes, oldest first. */
  countedRounds: string[];
}

export interface WagerDoc {
  /** The round: a round's stake counts once. */
  _id: string;
  playerId: string;
  bonusId: string;
  stake: number;
  /** Whether the stake went into the bonus's `wagered`: null until decided, false if the bonus had ended. */
  counted: boolean | null;
  createdAt: Date;
}

export const bonusesSpec: CollectionSpec = {
  name: 'bonuses',
  indexes: [
    { fields: { playerId: 1, idempotencyKey: 1 }, unique: true },
    // One active bonus per player, enforced by the store even under concurrent claims.
    { fields: { playerId: 1 }, unique: true, partial: { status: 'active' } },
    // A deposit qualifies for one bonus.
    { fields: { playerId: 1, depositId: 1 }, unique: true },
    { fields: { playerId: 1, offerId: 1 } },
    { fields: { playerId: 1, createdAt: -1 } },
    // The expiry job looks for active bonuses whose time is up, soonest first.
    { fields: { status: 1, expiresAt: 1 } },
  ],
  schema: {
    playerId: { type: String, required: true },
    offerId: { type: String, required: true },
    status: { type: String, required: true, enum: ['active', 'completed', 'forfeited', 'expired'] },
    amount: { type: Number, required: true, min: 0 },
    wageringRequired: { type: Number, required: true, min: 0 },
    wagered: { type: Number, required: true, min: 0 },
    depositId: { type: String, required: true },
    idempotencyKey: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    settledAt: { type: Date, default: null },
    countedRounds: { type: [String], default: [] },
  },
};

export const wagersSpec: CollectionSpec = {
  name: 'wagers',
  indexes: [{ fields: { bonusId: 1 } }],
  schema: {
    playerId: { type: String, required: true },
    bonusId: { type: String, required: true },
    stake: { type: Number, required: true, min: 1 },
    counted: { type: Boolean, default: null },
    createdAt: { type: Date, required: true },
  },
};

/** What retired wagers add to reconciliation: per bonus, the counted stakes and how many. */
export const retiredWagersSpec: CollectionSpec = {
  name: 'wagers_retired',
  schema: { stake: { type: Number, default: 0 }, count: { type: Number, default: 0 } },
};

/** Why a new bonus could not be stored. */
export class ClaimConflictError extends Error {
  constructor(readonly reason: 'bonus-active' | 'deposit-used' | 'replay') {
    super(reason);
  }
}

const toBonus = ({ _id, idempotencyKey: _k, settledAt: _s, countedRounds: _c, ...rest }: BonusDoc): Bonus => ({ id: _id, ...rest });

export class BonusRepository {
  private readonly bonuses;
  private readonly wagers;

  constructor(private readonly store: Store) {
    this.bonuses = store.collection<BonusDoc>(bonusesSpec);
    this.wagers = store.collection<WagerDoc>(wagersSpec);
  }

  /** Retires the oldest decided wagers beyond the policy, carrying counted stakes per bonus. */
  retire(policy: RetentionPolicy, now: Date): Promise<number> {
    const carried = this.store.collection<Totals>(retiredWagersSpec);
    return retireOldest(
      this.store,
      policy,
      {
        collection: this.wagers,
        finished: { counted: { $ne: null } },
        dateField: 'createdAt',
        carry: (batch) =>
          addTotals(
            carried,
            sumsBy(
              batch.filter((w) => w.counted),
              (w) => w.bonusId,
              (w) => ({ stake: w.stake, count: 1 }),
            ),
          ),
      },
      now,
    );
  }

  async create(bonus: Bonus, idempotencyKey: string): Promise<void> {
    try {
      await this.bonuses.insertOne({ ...bonus, _id: bonus.id, idempotencyKey, settledAt: null, countedRounds: [] } as BonusDoc);
    } catch (err) {
      if (!(err instanceof DuplicateKeyError)) throw err;
      if (err.index.includes('idempotencyKey')) throw new ClaimConflictError('replay');
      throw new ClaimConflictError(err.index.includes('depositId') ? 'deposit-used' : 'bonus-active');
    }
  }

  async byKey(playerId: string, idempotencyKey: string): Promise<Bonus | null> {
    const doc = await this.bonuses.findOne({ playerId, idempotencyKey });
    return doc && toBonus(doc);
  }

  async active(playerId: string): Promise<Bonus | null> {
    const doc = await this.bonuses.findOne({ playerId, status: 'active' });
    return doc && toBonus(doc);
  }

  /** Active bonuses whose time was up at `now`, the longest expired first. */
  async expiredActive(now: Date, limit: number): Promise<Bonus[]> {
    const docs = await this.bonuses.find({ status: 'active', expiresAt: { $lte: now } }, { sort: { expiresAt: 1 }, limit });
    return docs.map(toBonus);
  }

  async hasClaimed(playerId: string, offerId: string): Promise<boolean> {
    return (await this.bonuses.count({ playerId, offerId })) > 0;
  }

  /** The player's bonuses, newest first; `oneByOne` is the n-plus-one scenario. */
  async history(playerId: string, limit: number, options: { oneByOne?: boolean } = {}): Promise<Bonus[]> {
    const page = { sort: { createdAt: -1 } as const, limit };
    const docs = options.oneByOne ? await findOneByOne(this.bonuses, { playerId }, page) : await this.bonuses.find({ playerId }, page);
    return docs.map(toBonus);
  }

  /** Moves an active bonus to a final state; null if it was no longer active (someone else settled it). */
  async settle(id: string, status: Exclude<BonusState, 'active'>, at: Date): Promise<Bonus | null> {
    const doc = await this.bonuses.findOneAndUpdate({ _id: id, status: 'active' }, { $set: { status, settledAt: at } });
    return doc && toBonus(doc);
  }

  /**
   * Counts a round's stake toward the bonus once. The wager is recorded first under the round's id,
   * then added to the bonus by one conditional update that also remembers the round, then marked
   * counted: a retried or concurrent call for the same round finds the round remembered and adds
   * nothing, and one that stopped half-way is finished by the next call. Returns the bonus after,
   * or null if this call counted nothing new.
   */
  async addWager(bonus: Bonus, roundId: string, stake: number, at: Date): Promise<Bonus | null> {
    let wager: WagerDoc = { _id: roundId, playerId: bonus.playerId, bonusId: bonus.id, stake, counted: null, createdAt: at };
    try {
      await this.wagers.insertOne(wager);
    } catch (err) {
      if (!(err instanceof DuplicateKeyError)) throw err;
      const existing = await this.wagers.findOne({ _id: roundId });
      if (!existing || existing.counted !== null) return null;
      wager = existing;
    }
    return this.store.transaction(async () => {
      const doc = await this.bonuses.findOneAndUpdate(
        { _id: wager.bonusId, status: 'active', countedRounds: { $ne: roundId } },
        { $inc: { wagered: wager.stake }, $push: { countedRounds: { $each: [roundId], $slice: -COUNTED_MEMORY } } },
      );
      const counted = doc !== null || (await this.bonuses.count({ _id: wager.bonusId, countedRounds: roundId })) > 0;
      await this.wagers.updateOne({ _id: roundId, counted: null }, { $set: { counted } });
      return doc && toBonus(doc);
    });
  }
}
