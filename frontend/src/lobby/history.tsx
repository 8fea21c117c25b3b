import { useId } from 'react';
import type { Game, Round, Transaction } from '../api/types';
import { formatCents, formatChange } from '../lib/money';

const time = (iso: string) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const TYPES: Record<string, string> = {
  deposit: 'Deposit',
  withdrawal: 'Withdrawal',
  bet: 'Bet',
  win: 'Win',
  bonus_credit: 'Bonus credit',
  bonus_conversion: 'Bonus to cash',
  bonus_forfeit: 'Bonus forfeited',
};

/** The player's latest rounds and ledger entries. */
export function History({ rounds, transactions, games }: { rounds: Round[]; transactions: Transaction[]; games: Game[] }) {
  const id = useId();
  const name = (gameId: string) => games.find((g) => g.id === gameId)?.name ?? gameId;
  return (
    <section className="card history" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>History</h2>
      <div className="table-scroll">
        <table data-testid="rounds">
          <caption>Rounds</caption>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Game</th>
              <th scope="col" className="num">
                Stake
              </th>
              <th scope="col" className="num">
                Win
              </th>
            </tr>
          </thead>
          <tbody>
            {rounds.length === 0 && (
              <tr>
                <td colSpan={4} className="muted">
                  No rounds yet.
                </td>
              </tr>
            )}
            {rounds.map((r) => (
              <tr key={r.roundId}>
                <td>{time(r.createdAt)}</td>
                <td>{name(r.gameId)}</td>
                <td className="num">{formatCents(r.stake)}</td>
                <td className="num">{formatCents(r.win)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="table-scroll">
        <table data-testid="transactions">
          <caption>Transactions</caption>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Type</th>
              <th scope="col" className="num">
                Amount
              </th>
              <th scope="col" className="num">
                Balance after
              </th>
            </tr>
          </thead>
          <tbody>
            {transactions.length === 0 && (
              <tr>
                <td colSpan={4} className="muted">
                  No transactions yet.
                </td>
              </tr>
            )}
            {transactions.map((t) => (
              <tr key={t.id} data-type={t.type}>
                <td>{time(t.createdAt)}</td>
                <td>{TYPES[t.type] ?? t.type}</td>
                <td className="num">{formatChange(t.amount)}</td>
                <td className="num">{formatCents(t.balanceAfter)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
