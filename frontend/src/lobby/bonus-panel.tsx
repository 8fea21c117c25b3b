import { useId } from 'react';
import type { Api } from '../api/client';
import { ApiError } from '../api/problem';
import type { Bonus, Offer } from '../api/types';
import { ProblemNotice } from '../components/problem-notice';
import { WageringBar } from '../components/wagering-bar';
import { useIdempotencyKey } from '../lib/idempotency';
import { formatCents } from '../lib/money';
import { useAction } from '../lib/use-action';

/** The offers a player can claim, and the active bonus with its wagering progress. */
export function BonusPanel({
  api,
  token,
  offers,
  active,
  onClaimed,
}: {
  api: Api;
  token: string;
  offers: Offer[];
  active: Bonus | null;
  onClaimed: () => Promise<void>;
}) {
  const id = useId();
  const keys = useIdempotencyKey();
  const claim = useAction(
    'claim bonus',
    async (offer: Offer) => {
      const path = `/bonuses/offers/${encodeURIComponent(offer.id)}/claim`;
      try {
        await api('POST', path, { token, body: {}, idempotencyKey: keys.keyFor(path) });
        keys.settled(null);
      } catch (err) {
        if (err instanceof ApiError) keys.settled(err.problem);
        throw err;
      }
    },
    onClaimed,
  );

  return (
    <section className="card bonuses" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Bonuses</h2>
      {active ? (
        <div className="active-bonus" data-testid="active-bonus">
          <p>
            Active bonus: <strong>{formatCents(active.amount)}</strong>, wager {formatCents(active.wageringRequired)} to turn it into cash.
            Expires {new Date(active.expiresAt).toLocaleDateString()}.
          </p>
          <WageringBar wagered={active.wagered} required={active.wageringRequired} />
        </div>
      ) : (
        <p className="muted">No active bonus.</p>
      )}
      <ul className="offers">
        {offers.map((o) => (
          <li key={o.id}>
            <div>
              <strong>{o.name}</strong>
              <p className="muted">
                {o.matchPercent}% of your {o.qualifyingDeposit} deposit, up to {formatCents(o.maxAmount)}; wager it {o.wageringMultiplier}×
                within {o.validDays} days.
              </p>
            </div>
            <button
              type="button"
              onClick={() => void claim.act(o)}
              disabled={claim.pending || active !== null}
              aria-label={`Claim ${o.name}`}
            >
              Claim
            </button>
          </li>
        ))}
      </ul>
      {claim.problem && <ProblemNotice problem={claim.problem} onDismiss={claim.clearProblem} />}
    </section>
  );
}
