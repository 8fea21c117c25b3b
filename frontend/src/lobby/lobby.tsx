import { useCallback, useEffect, useRef, useState } from 'react';
import type { Api } from '../api/client';
import { ApiError, type Problem } from '../api/problem';
import type { Bonus, Game, Items, Offer, Round, Transaction, Wallet } from '../api/types';
import { ProblemNotice } from '../components/problem-notice';
import { ReportProblem } from '../components/report-problem';
import { canReport } from '../lib/feedback';
import { reportProblem } from '../lib/report-problem';
import { AuthPanel } from './auth-panel';
import { BonusPanel } from './bonus-panel';
import { History } from './history';
import { type Session, useSession } from './session';
import { SlotMachine } from './slot-machine';
import { WalletPanel } from './wallet-panel';

interface LobbyData {
  wallet: Wallet | null;
  games: Game[];
  offers: Offer[];
  bonus: Bonus | null;
  rounds: Round[];
  transactions: Transaction[];
}
const EMPTY: LobbyData = { wallet: null, games: [], offers: [], bonus: null, rounds: [], transactions: [] };

/**
 * The player's side: sign in, then wallet, bonuses, the slot machine and history; and, signed in or
 * not, a way to report a problem (Sentry user feedback).
 */
export function Lobby({ api }: { api: Api }) {
  const [session, setSession] = useSession();
  const [ended, setEnded] = useState<Problem | null>(null);
  return (
    <>
      {session ? (
        <PlayerLobby
          key={session.token}
          api={api}
          session={session}
          onLogout={(why) => {
            setEnded(why);
            setSession(null);
          }}
        />
      ) : (
        <>
          {ended && <ProblemNotice problem={ended} onDismiss={() => setEnded(null)} />}
          <AuthPanel
            api={api}
            onSession={(s) => {
              setEnded(null);
              setSession(s);
            }}
          />
        </>
      )}
      {canReport() && (
        <p className="lobby-report muted">
          Something not working as it should? <ReportProblem label="Report a problem" />
        </p>
      )}
    </>
  );
}

function PlayerLobby({ api, session, onLogout }: { api: Api; session: Session; onLogout: (why: Problem | null) => void }) {
  const [data, setData] = useState<LobbyData>(EMPTY);
  const [problem, setProblem] = useState<Problem | null>(null);
  const { token } = session;
  const latest = useRef(0);
  const catalogue = useRef<Pick<LobbyData, 'games' | 'offers'> | null>(null);

  // A 401 anywhere means the token is no longer good: back to the sign-in form, saying why.
  const authed: Api = useCallback(
    async <T,>(method: string, path: string, options = {}) => {
      try {
        return await api<T>(method, path, { ...options, token });
      } catch (err) {
        if (err instanceof ApiError && err.problem.status === 401) onLogout(err.problem);
        throw err;
      }
    },
    [api, token, onLogout],
  );

  // Refreshes can overlap (two quick spins): only the newest one's answers are shown.
  const refresh = useCallback(async () => {
    const mine = ++latest.current;
    try {
      // The games and offers do not change while the lobby is open: read once, not after every spin.
      const catalogueLoad =
        catalogue.current ??
        Promise.all([authed<Items<Game>>('GET', '/games'), authed<Items<Offer>>('GET', '/bonuses/offers')]).then(
          ([g, o]) => (catalogue.current = { games: g.items, offers: o.items }),
        );
      const [wallet, active, rounds, transactions, { games, offers }] = await Promise.all([
        authed<Wallet>('GET', '/wallet'),
        authed<{ bonus: Bonus | null }>('GET', '/bonuses/active'),
        authed<Items<Round>>('GET', '/rounds?limit=10'),
        authed<Items<Transaction>>('GET', '/wallet/transactions?limit=10'),
        catalogueLoad,
      ]);
      if (mine !== latest.current) return;
      setData({ wallet, games, offers, bonus: active.bonus, rounds: rounds.items, transactions: transactions.items });
      setProblem(null);
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      if (mine === latest.current) setProblem(reportProblem(err.problem));
    }
  }, [authed]);

  useEffect(() => {
    void refresh();
  }, [refresh]);

  // Each move's refresh is part of the move's trace (useAction's `after`): it returns its promise.
  const walletChanged = (wallet: Wallet) => {
    setData((d) => ({ ...d, wallet }));
    return refresh();
  };

  return (
    <div className="lobby">
      <div className="lobby-head">
        <p>
          Signed in as <strong>{session.player.displayName || session.player.email}</strong>
        </p>
        <button type="button" className="link" onClick={() => onLogout(null)}>
          Log out
        </button>
      </div>
      {problem && <ProblemNotice problem={problem} onDismiss={() => setProblem(null)} />}
      <div className="lobby-grid">
        <SlotMachine api={authed} token={token} games={data.games} onSpun={walletChanged} />
        <div className="stack">
          <WalletPanel api={authed} token={token} wallet={data.wallet} hasOpenBonus={data.bonus !== null} onChange={walletChanged} />
          <BonusPanel api={authed} token={token} offers={data.offers} active={data.bonus} onClaimed={refresh} />
        </div>
        <History rounds={data.rounds} transactions={data.transactions} games={data.games} />
      </div>
    </div>
  );
}
