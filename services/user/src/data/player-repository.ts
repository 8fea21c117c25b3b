import { type CollectionSpec, DuplicateKeyError, scenarioApplied, type Store, StoreUnavailableError } from '@casino/shared';
import { withOperationHint } from '@casino/shared/store/operation-hint';
import { emailKey, type Player } from '../domain/players';

interface PlayerDoc {
  _id: string;
  email: string;
  emailKey: string;
  displayName: string;
  passwordHash: string;
  selfExcludedUntil: Date | null;
  dailyDepositLimit: number;
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
    createdAt: { type: Date, required: true },
    updatedAt: { type: Date, required: true },
  },
};

export class EmailTakenError extends Error {}

const toPlayer = (doc: PlayerDoc): Player => ({
  id: doc._id,
  email: doc.email,
  displayName: doc.displayName,
  createdAt: doc.createdAt,
  selfExcludedUntil: doc.selfExcludedUntil ?? null,
  dailyDepositLimit: doc.dailyDepositLimit,
});

export class PlayerRepository {
  private readonly players;

  constructor(private readonly store: Store) {
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
        createdAt: player.createdAt,
        updatedAt: player.createdAt,
      });
    } catch (err) {
      if (err instanceof DuplicateKeyError) throw new EmailTakenError(player.email);
      throw err;
    }
  }

  /**
   * The player by id. `slow` is the slow-query scenario: the same answer through a deliberately
   * unindexed read (see `slowFindById`).
   */
  async byId(id: string, options: { slow?: { ms: number } } = {}): Promise<Player | null> {
    const doc = options.slow ? await this.slowFindById(id, options.slow.ms) : await this.players.findOne({ _id: id });
    return doc && toPlayer(doc);
  }

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
  private async slowFindById(id: string, ms: number): Promise<PlayerDoc | null> {
    if (this.store.kind === 'mongodb') {
      const where = `function () { if (this._id !== ${JSON.stringify(id)}) return false; sleep(${Math.trunc(ms)}); return true; }`;
      try {
        return await this.players.findOne({ $where: where });
      } catch (err) {
        if (err instanceof StoreUnavailableError) throw err;
        return this.players.findOne({ $expr: { $eq: [{ $toString: '$_id' }, id] } });
      }
    }
    return withOperationHint({ delayMs: ms, inSpan: () => scenarioApplied('slow-query') }, () =>
      this.players.findOne({ $expr: { $eq: ['$_id', id] } }),
    );
  }

  /** The player and their password hash, for checking a login. */
  async credentialsByEmail(email: string): Promise<{ player: Player; passwordHash: string } | null> {
    const doc = await this.players.findOne({ emailKey: emailKey(email) });
    return doc && { player: toPlayer(doc), passwordHash: doc.passwordHash };
  }

  async update(id: string, changes: Partial<Pick<Player, 'selfExcludedUntil' | 'dailyDepositLimit'>>, now: Date): Promise<Player | null> {
    const doc = await this.players.findOneAndUpdate({ _id: id }, { $set: { ...changes, updatedAt: now } });
    return doc && toPlayer(doc);
  }
}
