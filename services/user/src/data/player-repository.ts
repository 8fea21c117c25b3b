import { type CollectionSpec, DuplicateKeyError, type Store } from '@casino/shared';
import { emailKey, type Player } from '../domain/players';

export interface PlayerDoc {
  _id: string;
  email: string;
  emailKey: string;
  displayName: string;
  passwordHash: string;
  selfExcludedUntil: Date | null;
  dailyDepositLimit: number;
  /** A raised limit waiting out its cooling-off; absent on players stored before there was one. */
  pendingDepositLimit?: { amount: number; effectiveAt: Date } | null;
  createdAt: Date;
  updatedAt: Date;
}

export const playersSpec: CollectionSpec = {
  name: 'players',
  indexes: [{ fields: { emailKey: 1 }, unique: true }],
  schema: {
    email: { type: String, required: true, maxlength: 254 },
    emailKey: { type: String, required: true, lowercase: true, maxlength: 254 },
    displayName: { type: String, required: true, maxlength: 40 },
    passwordHash: { type: String, required: true },
    selfExcludedUntil: { type: Date, default: null },
    dailyDepositLimit: { type: Number, required: true, min: 1 },
    pendingDepositLimit: { type: { _id: false, amount: { type: Number, min: 1 }, effectiveAt: Date }, default: null },
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
};

export class EmailTakenError extends Error {}

export const toPlayer = (doc: PlayerDoc): Player => ({
  id: doc._id,
  email: doc.email,
  displayName: doc.displayName,
  createdAt: doc.createdAt,
  selfExcludedUntil: doc.selfExcludedUntil ?? null,
  dailyDepositLimit: doc.dailyDepositLimit,
  pendingDepositLimit: doc.pendingDepositLimit ?? null,
});

export class PlayerRepository {
  private readonly players;

  constructor(store: Store) {
    this.players = store.collection<PlayerDoc>(playersSpec);
  }

  async create(player: Player, passwordHash: string): Promise<void> {
    try {
      await this.players.insertOne({
        _id: player.id,
        email: player.email,
        emailKey: emailKey(player.email),
        displayName: player.displayName,
        passwordHash,
        selfExcludedUntil: player.selfExcludedUntil,
        dailyDepositLimit: player.dailyDepositLimit,
        pendingDepositLimit: player.pendingDepositLimit,
        createdAt: player.createdAt,
        updatedAt: player.createdAt,
      });
    } catch (err) {
      if (err instanceof DuplicateKeyError) throw new EmailTakenError(player.email);
      throw err;
    }
  }

  async byId(id: string): Promise<Player | null> {
    const doc = await this.players.findOne({ _id: id });
    return doc && toPlayer(doc);
  }

  /** The player and their password hash, for checking a login. */
  async credentialsByEmail(email: string): Promise<{ player: Player; passwordHash: string } | null> {
    const doc = await this.players.findOne({ emailKey: emailKey(email) });
    return doc && { player: toPlayer(doc), passwordHash: doc.passwordHash };
  }

  async update(
    id: string,
    changes: Partial<Pick<Player, 'selfExcludedUntil' | 'dailyDepositLimit' | 'pendingDepositLimit'>>,
    now: Date,
  ): Promise<Player | null> {
    const doc = await this.players.findOneAndUpdate({ _id: id }, { $set: { ...changes, updatedAt: now } });
    return doc && toPlayer(doc);
  }
}
