import type { WagerDeps } from './deps';
import { endBonus } from './end-bonus';

const BATCH = 100;

/**
 * Ends the active bonuses whose time is up, forfeiting their bonus money, so a player who never
 * comes back does not hold one for ever (a player who does come back has it ended on first read).
 * A bonus that fails to end stays active and is taken up by the next run.
 */
export async function expireBonuses(deps: WagerDeps): Promise<{ expired: number; failed: number }> {
  const result = { expired: 0, failed: 0 };
  for (const bonus of await deps.bonuses.expiredActive(deps.now(), BATCH)) {
    try {
      await endBonus(deps, bonus, 'expired');
      result.expired++;
    } catch {
      result.failed++;
    }
  }
  if (result.failed)
    throw new Error(`${result.failed} of ${result.failed + result.expired} expired bonuses could not be ended; the next run retries them.`);
  return result;
}
