import { type BonusDifference, type BonusReconciliation, type BonusState, type Store, type Totals, withCarried } from '@casino/shared';
import { isWageringComplete } from '../domain/bonuses';
import { type BonusDoc, bonusesSpec, retiredWagersSpec, type WagerDoc, wagersSpec } from '../data/bonus-repository';

/** A wager still undecided after this long was left by a request that stopped half-way. */
const STALE_AFTER_MS = 10_000;

/**
 * Checks every bonus against the wagers counted toward it: `wagered` must equal the sum of their
 * stakes, a completed bonus must have met its requirement, and an active one that has met it is
 * a completion that never happened. Reads only; repairs nothing.
 */
export async function reconcileBonuses(store: Store, now: Date = new Date()): Promise<BonusReconciliation> {
  const bonuses = store.collection<BonusDoc>(bonusesSpec);
  const wagers = store.collection<WagerDoc>(wagersSpec);
  const [all, live, undecided, carried] = await Promise.all([
    bonuses.find({}, { sort: { _id: 1 } }),
    wagers.aggregate<{ _id: string; stake: number; count: number }>([
      { $match: { counted: true } },
      { $group: { _id: '$bonusId', stake: { $sum: '$stake' }, count: { $sum: 1 } } },
    ]),
    wagers.find({ counted: null }),
    store.collection<Totals>(retiredWagersSpec).find({}),
  ]);
  const counted = withCarried(live, carried);

  const stakes = new Map(counted.map((c) => [c._id, c.stake]));
  const byId = new Map(all.map((b) => [b._id, b]));
  const differences: BonusDifference[] = [];
  for (const wager of undecided) {
    const bonus = byId.get(wager.bonusId);
    // Already in `wagered` (the request stopped before marking it): count it as the bonus does.
    if (bonus?.countedRounds.includes(wager._id)) {
      stakes.set(wager.bonusId, (stakes.get(wager.bonusId) ?? 0) + wager.stake);
    } else if (now.getTime() - wager.createdAt.getTime() > STALE_AFTER_MS) {
      differences.push({
        bonusId: wager.bonusId,
        playerId: wager.playerId,
        problem: 'uncounted-wager',
        detail: `round ${wager._id} (stake ${wager.stake}) was recorded but never counted`,
      });
    }
  }

  const byStatus: Partial<Record<BonusState, number>> = {};
  for (const bonus of all) {
    byStatus[bonus.status] = (byStatus[bonus.status] ?? 0) + 1;
    const stake = stakes.get(bonus._id) ?? 0;
    const at = { bonusId: bonus._id, playerId: bonus.playerId };
    if (bonus.wagered !== stake) {
      differences.push({ ...at, problem: 'wagered-mismatch', detail: `wagered ${bonus.wagered}, counted wagers sum to ${stake}` });
    }
    if (bonus.status === 'completed' && bonus.wagered < bonus.wageringRequired) {
      differences.push({
        ...at,
        problem: 'completed-short',
        detail: `completed with ${bonus.wagered} of ${bonus.wageringRequired} wagered`,
      });
    }
    if (bonus.status === 'active' && isWageringComplete(bonus)) {
      differences.push({
        ...at,
        problem: 'completion-pending',
        detail: `${bonus.wagered} of ${bonus.wageringRequired} wagered but still active`,
      });
    }
  }

  return {
    bonuses: all.length,
    wagers: counted.reduce((n, c) => n + c.count, 0),
    byStatus,
    amount: all.reduce((sum, b) => sum + b.amount, 0),
    activeBonusPlayers: all.filter((b) => b.status === 'active').map((b) => b.playerId),
    differences,
  };
}
