import type { PlayerProfile, PlayerStatus } from '@casino/shared/contracts';

/** Daily deposit limit a new player starts with: 5,000.00 EUR. Players may set their own. */
export const DEFAULT_DAILY_DEPOSIT_LIMIT = 500_000;

export interface Player {
  id: string;
  email: string;
  displayName: string;
  createdAt: Date;
  selfExcludedUntil: Date | null;
  dailyDepositLimit: number;
}

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

export function toStatus(player: Pick<Player, 'id' | 'selfExcludedUntil' | 'dailyDepositLimit'>, now: Date): PlayerStatus {
  const until = player.selfExcludedUntil;
  const excluded = until !== null && until > now;
  return {
    id: player.id,
    status: excluded ? 'self_excluded' : 'active',
    selfExcludedUntil: excluded ? until.toISOString() : null,
    dailyDepositLimit: player.dailyDepositLimit,
  };
}

/** An exclusion can be extended but never shortened: the later of the one running and the one asked for. */
export function extendedExclusion(current: Date | null, asked: Date): Date {
  return current && current > asked ? current : asked;
}
