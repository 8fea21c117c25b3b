import { useId, useMemo, useState } from 'react';
import type { Api } from '../api/client';
import type { Game, SpinResult, Wallet } from '../api/types';
import { ProblemNotice } from '../components/problem-notice';
import { formatCents } from '../lib/money';
import { useAction } from '../lib/use-action';

/** Symbols are drawn as coloured type, so they look the same on every system, emoji fonts or not. */
const SYMBOL_LABEL: Record<string, string> = { '7': '7', BAR: 'BAR', STAR: '★' };
const PRESETS = [10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000];
/** Reels turn at least this long, so a fast answer still reads as a spin. */
const MIN_SPIN_MS = 450;

/** The stakes a player may pick: preset amounts within the game's limits and on its step. */
export function stakeOptions(game: Game): number[] {
  const valid = (s: number) => s >= game.minStake && s <= game.maxStake && s % game.stakeStep === 0;
  return [...new Set([game.minStake, ...PRESETS, game.maxStake])].filter(valid).sort((a, b) => a - b);
}

const IDLE: string[][] = [
  ['7', 'CHERRY', 'BAR'],
  ['BELL', '7', 'LEMON'],
  ['PLUM', 'BAR', '7'],
];

/** A slot machine: the reels animate while the server draws; what they show is the server's result. */
export function SlotMachine({
  api,
  token,
  games,
  onSpun,
}: {
  api: Api;
  token: string;
  games: Game[];
  onSpun: (wallet: Wallet) => Promise<void>;
}) {
  const id = useId();
  const [gameId, setGameId] = useState<string>('');
  const game = games.find((g) => g.id === gameId) ?? games[0];
  const options = useMemo(() => (game ? stakeOptions(game) : []), [game]);
  const [chosen, setStake] = useState<number>(100);
  // A stake the new game does not offer becomes its nearest sensible one (1 EUR, or its minimum).
  const stake = options.includes(chosen) ? chosen : (options.find((o) => o >= 100) ?? options[0] ?? chosen);
  const [result, setResult] = useState<SpinResult | null>(null);

  const spin = useAction(
    'spin',
    async () => {
      if (!game) return;
      const path = `/games/${encodeURIComponent(game.id)}/spins`;
      const minimum = new Promise((r) => setTimeout(r, MIN_SPIN_MS));
      // Each press is a new bet, so each gets its own key; a press while one is running is ignored.
      try {
        const r = await api<SpinResult>('POST', path, { token, body: { stake }, idempotencyKey: crypto.randomUUID() });
        await minimum;
        setResult(r);
        return r.wallet;
      } catch (err) {
        await minimum;
        setResult(null);
        throw err;
      }
    },
    async (wallet) => {
      if (wallet) await onSpun(wallet);
    },
  );

  const reels = result?.reels ?? IDLE;
  const winning = new Set(result?.lines.filter((l) => l.win > 0).map((l) => l.line));
  return (
    <section className="card slot" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{game?.name ?? 'Slots'}</h2>
      <div className="row wrap">
        <label htmlFor={`${id}-game`}>Game</label>
        <select id={`${id}-game`} value={game?.id ?? ''} onChange={(e) => setGameId(e.target.value)}>
          {games.map((g) => (
            <option key={g.id} value={g.id}>
              {g.name} (RTP {g.rtp.toFixed(2)}%)
            </option>
          ))}
        </select>
        <label htmlFor={`${id}-stake`}>Stake</label>
        <select id={`${id}-stake`} value={stake} onChange={(e) => setStake(Number(e.target.value))}>
          {options.map((s) => (
            <option key={s} value={s}>
              {formatCents(s)}
            </option>
          ))}
        </select>
      </div>
      <div className={`reels${spin.pending ? ' spinning' : ''}`} aria-hidden={spin.pending} data-testid="reels">
        {reels.map((column, reel) => (
          <div className="reel" key={reel}>
            {column.map((symbol, row) => (
              <span className={`symbol sym-${symbol.toLowerCase()}`} key={`${reel}-${row}`} role="img" aria-label={symbol.toLowerCase()}>
                {SYMBOL_LABEL[symbol] ?? symbol.toLowerCase()}
              </span>
            ))}
          </div>
        ))}
      </div>
      <button type="button" className="primary spin" onClick={() => void spin.act()} disabled={spin.pending || !game}>
        {spin.pending ? 'Spinning…' : `Spin for ${formatCents(stake)}`}
      </button>
      <p aria-live="polite" className="spin-result" data-testid="spin-result">
        {spin.pending
          ? ''
          : result
            ? result.win > 0
              ? `You won ${formatCents(result.win)} on line ${[...winning].join(', ')}!`
              : 'No win this time.'
            : ''}
      </p>
      {spin.problem && <ProblemNotice problem={spin.problem} onDismiss={spin.clearProblem} />}
    </section>
  );
}
