import { type CollectionSpec, DuplicateKeyError, type Store } from '@casino/shared';

interface DailyDepositsDoc {
  /** `<walletId>:<YYYY-MM-DD>`: one document per wallet and UTC day. */
  _id: string;
  walletId: string;
  day: string;
  total: number;
  updatedAt: Date;
}

export const dailyDepositsSpec: CollectionSpec = {
  name: 'daily_deposits',
  indexes: [{ fields: { walletId: 1, day: -1 } }],
  schema: {
    walletId: { type: String, required: true },
    day: { type: String, required: true, match: /^\d{4}-\d{2}-\d{2}$/ },
    total: { type: Number, required: true, min: 0 },
    updatedAt: { type: Date, required: true },
  },
};

/**
 * The day's deposits per wallet, for the daily limit. A deposit first reserves its amount with one
 * conditional upsert, so parallel deposits cannot all pass a check made before any of them lands.
 */
export class DepositLimitRepository {
  private readonly days;

  constructor(store: Store) {
    this.days = store.collection<DailyDepositsDoc>(dailyDepositsSpec);
  }

  /** Takes `amount` out of the day's limit; false, taking nothing, if that would pass the limit. */
  async reserve(walletId: string, day: string, amount: number, limit: number, at: Date): Promise<boolean> {
    if (amount > limit) return false;
    try {
      const doc = await this.days.findOneAndUpdate(
        { _id: `${walletId}:${day}`, total: { $lte: limit - amount } },
        { $inc: { total: amount }, $set: { updatedAt: at }, $setOnInsert: { walletId, day } },
        { upsert: true },
      );
      return doc !== null;
    } catch (err) {
      // The day's document exists but has no room: the upsert collides with it.
      if (err instanceof DuplicateKeyError) return false;
      throw err;
    }
  }

  /** Gives a reservation back: the deposit did not go through, or was a replay already counted. */
  async release(walletId: string, day: string, amount: number, at: Date): Promise<void> {
    await this.days.updateOne({ _id: `${walletId}:${day}` }, { $inc: { total: -amount }, $set: { updatedAt: at } });
  }

  async used(walletId: string, day: string): Promise<number> {
    return (await this.days.findOne({ _id: `${walletId}:${day}` }))?.total ?? 0;
  }
}
