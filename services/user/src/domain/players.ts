import type { PlayerProfile, PlayerStatus } from '@casino/shared/contracts';
import { UserRuleError } from './errors';

/** Daily deposit limit a new player starts with: 5,000.00 EUR. Players may set their own. */
export const DEFAULT_DAILY_DEPOSIT_LIMIT = 500_000;

/** A raised deposit limit waiting out its cooling-off period. */
export interface PendingLimit {
  amount: number;
  effectiveAt: Date;
}

export interface Player {
  id: string;
  email: string;
  displayName: string;
  createdAt: Date;
  selfExcludedUntil: Date | null;
  /** The limit set last, unless `pendingDepositLimit` has since come into force. */
  dailyDepositLimit: number;
  pendingDepositLimit: PendingLimit | null;
}

type Limits = Pick<Player, 'dailyDepositLimit' | 'pendingDepositLimit'>;

/** The daily deposit limit in force at `now`: a raised one once its cooling-off has passed. */
export function limitInForce(player: Limits, now: Date): number {
  const pending = player.pendingDepositLimit;
  return pending && pending.effectiveAt <= now ? pending.amount : player.dailyDepositLimit;
}

/**
 * A new daily deposit limit, as responsible-gambling rules have it: a lower one at once (and any
 * raise still waiting is dropped), a higher one only after `coolingOffMs`, and none higher while
 * the player is self-excluded.
 */
export function limitChange(player: Limits & Pick<Player, 'selfExcludedUntil'>, asked: number, now: Date, coolingOffMs: number): Limits {
  const inForce = limitInForce(player, now);
  if (asked <= inForce || coolingOffMs === 0) {
    if (asked > inForce && isExcluded(player, now)) throw raiseWhileExcluded(player);
    return { dailyDepositLimit: asked, pendingDepositLimit: null };
  }
  if (isExcluded(player, now)) throw raiseWhileExcluded(player);
  return { dailyDepositLimit: inForce, pendingDepositLimit: { amount: asked, effectiveAt: new Date(now.getTime() + coolingOffMs) } };
}

const isExcluded = (player: Pick<Player, 'selfExcludedUntil'>, now: Date) =>
  player.selfExcludedUntil !== null && player.selfExcludedUntil > now;

const raiseWhileExcluded = (player: Pick<Player, 'selfExcludedUntil'>) =>
  new UserRuleError(
    'self-excluded',
    `The deposit limit cannot be raised while you are self-excluded (until ${player.selfExcludedUntil!.toISOString()}).`,
  );

/** Emails are unique whatever their case: this is the key they are unique by. */
export function emailKey(email: string): string {
  return email.trim().toLowerCase();
}

/** A display name from the email's local part, kept to what display names allow. */
export function defaultDisplayName(email: string): string {
  const local = email.split('@')[0] ?? '';
  const cleaned = local.replace(/[^\p{L}\p{N} ._'-]/gu, '').slice(0, 40);
  return cleaned || 'Player';
}

export function selfExclusionEnd(now: Date, days: number): Date {
  return new Date(now.getTime() + days * 86_400_000);
}

export function toProfile(player: Player): PlayerProfile {
  return { id: player.id, email: player.email, displayName: player.displayName, createdAt: player.createdAt.toISOString() };
}

export function toStatus(player: Pick<Player, 'id' | 'selfExcludedUntil'> & Limits, now: Date): PlayerStatus {
  const until = player.selfExcludedUntil;
  const excluded = until !== null && until > now;
  const pending = player.pendingDepositLimit;
  return {
    id: player.id,
    status: excluded ? 'self_excluded' : 'active',
    selfExcludedUntil: excluded ? until.toISOString() : null,
    dailyDepositLimit: limitInForce(player, now),
    pendingDepositLimit:
      pending && pending.effectiveAt > now ? { amount: pending.amount, effectiveAt: pending.effectiveAt.toISOString() } : null,
  };
}

/** An exclusion can be extended but never shortened: the later of the one running and the one asked for. */
export function extendedExclusion(current: Date | null, asked: Date): Date {
  return current && current > asked ? current : asked;
}
