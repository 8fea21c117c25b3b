import { formatCents, progressPercent } from '../lib/money';

/** How far an active bonus is through its wagering requirement. */
export function WageringBar({ wagered, required }: { wagered: number; required: number }) {
  const percent = progressPercent(wagered, required);
  const left = Math.max(0, required - wagered);
  return (
    <div className="wagering">
      <div
        className="bar"
        role="progressbar"
        aria-label="Wagering progress"
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={percent}
        aria-valuetext={`${percent}%: ${formatCents(wagered)} of ${formatCents(required)} wagered`}
      >
        <div className="bar-fill" style={{ width: `${percent}%` }} />
      </div>
      <p className="muted">
        {formatCents(wagered)} of {formatCents(required)} wagered ({percent}%)
        {left > 0 ? ` · ${formatCents(left)} to go` : ' · requirement met'}
      </p>
    </div>
  );
}
