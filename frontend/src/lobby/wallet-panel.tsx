import { type FormEvent, useId, useState } from 'react';
import type { Api } from '../api/client';
import { ApiError } from '../api/problem';
import type { Transaction, Wallet } from '../api/types';
import { ProblemNotice } from '../components/problem-notice';
import { useIdempotencyKey } from '../lib/idempotency';
import { formatCents, parseEuros } from '../lib/money';
import { useAction } from '../lib/use-action';

const QUICK = [1_000, 5_000, 10_000];

/** Cash, bonus and total, with deposit and withdrawal. */
export function WalletPanel({
  api,
  token,
  wallet,
  hasOpenBonus,
  onChange,
}: {
  api: Api;
  token: string;
  wallet: Wallet | null;
  hasOpenBonus: boolean;
  onChange: (w: Wallet) => Promise<void>;
}) {
  const id = useId();
  const [amount, setAmount] = useState('50');
  const [mode, setMode] = useState<'deposit' | 'withdraw'>('deposit');
  const [forfeit, setForfeit] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const keys = useIdempotencyKey();
  const cents = parseEuros(amount);

  const move = useAction(
    mode === 'deposit' ? 'deposit' : 'withdraw',
    async (value: number) => {
      const body = mode === 'deposit' ? { amount: value } : { amount: value, ...(forfeit ? { forfeitBonus: true } : {}) };
      const path = mode === 'deposit' ? '/wallet/deposits' : '/wallet/withdrawals';
      try {
        const r = await api<{ transaction: Transaction; wallet: Wallet }>('POST', path, {
          token,
          body,
          idempotencyKey: keys.keyFor({ path, body }),
        });
        keys.settled(null);
        setDone(`${mode === 'deposit' ? 'Deposited' : 'Withdrew'} ${formatCents(value)}.`);
        return r.wallet;
      } catch (err) {
        if (err instanceof ApiError) keys.settled(err.problem);
        throw err;
      }
    },
    onChange,
  );

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    setDone(null);
    if (cents !== null && cents > 0) void move.act(cents);
  };

  return (
    <section className="card wallet" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Wallet</h2>
      <dl className="balances" data-testid="wallet">
        <div>
          <dt>Cash</dt>
          <dd data-testid="wallet-cash">{wallet ? formatCents(wallet.cash) : '…'}</dd>
        </div>
        <div>
          <dt>Bonus</dt>
          <dd data-testid="wallet-bonus">{wallet ? formatCents(wallet.bonus) : '…'}</dd>
        </div>
        <div className="total">
          <dt>Total</dt>
          <dd data-testid="wallet-total">{wallet ? formatCents(wallet.total) : '…'}</dd>
        </div>
      </dl>
      <div className="tabs" role="group" aria-label="Money">
        <button type="button" aria-pressed={mode === 'deposit'} onClick={() => setMode('deposit')}>
          Deposit
        </button>
        <button type="button" aria-pressed={mode === 'withdraw'} onClick={() => setMode('withdraw')}>
          Withdraw
        </button>
      </div>
      <form onSubmit={onSubmit} noValidate>
        <label htmlFor={`${id}-amount`}>Amount in EUR</label>
        <div className="row">
          <input
            id={`${id}-amount`}
            inputMode="decimal"
            value={amount}
            aria-invalid={cents === null || cents <= 0}
            aria-describedby={`${id}-amount-hint`}
            onChange={(e) => setAmount(e.target.value)}
          />
          <button type="submit" className="primary" disabled={move.pending || cents === null || cents <= 0}>
            {move.pending
              ? 'Working…'
              : `${mode === 'deposit' ? 'Deposit' : 'Withdraw'}${cents !== null && cents > 0 ? ` ${formatCents(cents)}` : ''}`}
          </button>
        </div>
        <p id={`${id}-amount-hint`} className="muted">
          {cents === null || cents <= 0
            ? 'Enter an amount such as 25 or 25.50.'
            : `${mode === 'deposit' ? 'Deposit' : 'Withdraw'} ${formatCents(cents)}.`}
        </p>
        {mode === 'deposit' && (
          <div className="chips" role="group" aria-label="Quick amounts">
            {QUICK.map((q) => (
              <button type="button" key={q} onClick={() => setAmount(String(q / 100))}>
                {formatCents(q)}
              </button>
            ))}
          </div>
        )}
        {mode === 'withdraw' && hasOpenBonus && (
          <label className="check">
            <input type="checkbox" checked={forfeit} onChange={(e) => setForfeit(e.target.checked)} /> Forfeit my open bonus to withdraw
          </label>
        )}
      </form>
      <p aria-live="polite" className="ok">
        {done}
      </p>
      {move.problem && <ProblemNotice problem={move.problem} onDismiss={move.clearProblem} />}
    </section>
  );
}
