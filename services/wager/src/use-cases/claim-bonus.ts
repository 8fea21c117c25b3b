import { randomUUID } from 'node:crypto';
import { annotate, Attr } from '@casino/shared';
import { ClaimConflictError } from '../data/bonus-repository';
import { type Bonus, bonusAmount, depositNoLongerHeld, expiresAt, findOffer, ONCE_PER_PLAYER, wageringRequired } from '../domain/bonuses';
import { WagerRuleError } from '../domain/errors';
import { activeBonus } from './active-bonus';
import type { WagerDeps } from './deps';

const ACTIVE = 'You already have an active bonus; finish or forfeit it first.';

/**
 * A bonus claimed on the player's qualifying deposit, credited as bonus money. A replay of the key
 * answers with the first claim's bonus, sending its credit again (the credit has a key of its own),
 * which finishes a claim that stopped half-way.
 */
export async function claimBonus(
  deps: WagerDeps,
  { playerId, idempotencyKey, offerId }: { playerId: string; idempotencyKey: string; offerId: string },
): Promise<{ bonus: Bonus; replayed: boolean }> {
  const { bonuses, peers, metrics, now } = deps;
  const replay = async (bonus: Bonus) => {
    if (bonus.offerId !== offerId) {
      throw new WagerRuleError('idempotency-key-reused', 'This Idempotency-Key was already used for a different request.');
    }
    await peers.creditBonus(playerId, bonus.id, bonus.amount);
    annotate({ [Attr.bonusId]: bonus.id, [Attr.idempotentReplay]: true });
    return { bonus, replayed: true };
  };
  const earlier = await bonuses.byKey(playerId, idempotencyKey);
  if (earlier) return replay(earlier);

  const offer = findOffer(offerId);
  if (!offer) throw new WagerRuleError('offer-not-found', `There is no offer ${offerId}.`);
  const refused = (error: WagerRuleError) => {
    metrics.count('bonusClaims', { offer_id: offer.id, status: 'rejected' });
    return error;
  };
  const status = await peers.playerStatus(playerId);
  if (status.status === 'self_excluded')
    throw refused(new WagerRuleError('self-excluded', 'Bonuses are closed while you are self-excluded.'));
  if (await activeBonus(deps, playerId)) throw refused(new WagerRuleError('bonus-active', ACTIVE));
  if (ONCE_PER_PLAYER.has(offer.id) && (await bonuses.hasClaimed(playerId, offer.id))) {
    throw refused(new WagerRuleError('offer-already-claimed', 'This offer can be claimed once per player.'));
  }
  const qualifying = await peers.qualifyingDeposit(playerId, offer.qualifyingDeposit);
  if (!qualifying) throw refused(new WagerRuleError('deposit-required', 'This offer needs a deposit first.'));
  const gone = depositNoLongerHeld(qualifying);
  if (gone) throw refused(new WagerRuleError('deposit-not-held', gone));
  const { deposit } = qualifying;

  const at = now();
  const amount = bonusAmount(offer, deposit.amount);
  // A deposit too small to earn a whole cent would store an empty bonus that payment refuses to credit.
  if (amount <= 0) throw refused(new WagerRuleError('deposit-too-small', 'That deposit is too small to earn this bonus.'));
  const bonus: Bonus = {
    id: randomUUID(),
    playerId,
    offerId: offer.id,
    status: 'active',
    amount,
    wageringRequired: wageringRequired(offer, amount),
    wagered: 0,
    depositId: deposit.id,
    createdAt: at,
    expiresAt: expiresAt(offer, at),
  };
  try {
    await bonuses.create(bonus, idempotencyKey);
  } catch (err) {
    if (!(err instanceof ClaimConflictError)) throw err;
    if (err.reason === 'replay') {
      const first = await bonuses.byKey(playerId, idempotencyKey);
      if (!first) throw err;
      return replay(first);
    }
    if (err.reason === 'deposit-used') {
      throw refused(new WagerRuleError('deposit-already-used', 'That deposit already earned a bonus; deposit again to claim this offer.'));
    }
    throw refused(new WagerRuleError('bonus-active', ACTIVE));
  }
  annotate({ [Attr.bonusId]: bonus.id, [Attr.amount]: amount });
  await peers.creditBonus(playerId, bonus.id, amount);
  metrics.count('bonusClaims', { offer_id: offer.id, status: 'claimed' });
  metrics.count('bonusCreditedCents', { offer_id: offer.id }, amount);
  return { bonus, replayed: false };
}
