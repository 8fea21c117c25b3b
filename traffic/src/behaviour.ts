/**
 * What a simulated player does next. Every choice (who they are, how much they deposit, which game,
 * what stake, when to check the wallet, when to withdraw or leave, how long to think) is drawn from
 * a stream of the player's own, seeded from the run's seed and the player's number. Given the same
 * seed and the same answers from the platform, a player does the same things; the reels are drawn
 * by the game, so answers, and what follows from them, differ between runs.
 */
import type { GameView } from '@casino/shared/contracts';
import { derivedRng, pick, type Rng, unit, weighted } from '@casino/shared/random';
import { FIRST_NAMES, fitStake } from './demo-players';

export const TRAFFIC_DEFAULTS = { players: 20, durationSeconds: 300, seed: 42, thinkMs: 1000 } as const;

export const WELCOME_OFFER = 'welcome-100';
export const RELOAD_OFFER = 'reload-50';

export const trafficEmail = (seed: number, index: number): string => `traffic${seed}-player${index}@synthetic.casino.test`;

/** Every simulated player of a seed shares it, so a later run with that seed can log them in. */
export const trafficPassword = (seed: number): string => `traffic-seed-${seed}-password`;

export interface PlayerProfile {
  index: number;
  email: string;
  password: string;
  displayName: string;
  /** Cents. */
  firstDeposit: number;
  /** Cents, for each later deposit. */
  topUp: number;
  favouriteGameId: string;
  /** The stake this player is comfortable with, in cents, before it is fitted to a game. */
  stakeLevel: number;
  claimsWelcome: boolean;
  /** Chance in percent of claiming the reload offer after a later deposit. */
  reloadPercent: number;
  /** Mean spins in a burst. */
  burstMean: number;
  /** Mean spins in a session before the player logs out for a break. */
  sessionSpins: number;
  /** When the player arrives, after the run starts. */
  arrivalMs: number;
}

/** What a player knows of their own account. The player updates it from every answer. */
export interface PlayerView {
  signedIn: boolean;
  /** The account exists (this run registered it, or an earlier run with this seed did). */
  registered: boolean;
  /** Null when unknown, e.g. after logging in or a failed money move. */
  wallet: { cash: number; bonus: number } | null;
  bonus: 'none' | 'active' | 'unknown';
  deposits: number;
  /** False once the platform refused a deposit (the daily limit). */
  canDeposit: boolean;
  spinsThisSession: number;
}

export type Action =
  | { kind: 'register' }
  | { kind: 'login' }
  | { kind: 'deposit'; amount: number; claim: string | null }
  | { kind: 'spins'; gameId: string; stakes: number[] }
  | { kind: 'wallet' }
  | { kind: 'transactions'; limit: number }
  | { kind: 'rounds'; limit: number }
  | { kind: 'bonus' }
  | { kind: 'games' }
  | { kind: 'withdraw'; percent: number }
  | { kind: 'leave' }
  | { kind: 'retire' };

export type Pause = 'action' | 'spin' | 'break';

/** A new player's view: nothing known yet. */
export const freshView = (): PlayerView => ({
  signedIn: false,
  registered: false,
  wallet: null,
  bonus: 'unknown',
  deposits: 0,
  canDeposit: true,
  spinsThisSession: 0,
});

const byId = (catalogue: readonly GameView[]) => [...catalogue].sort((a, b) => a.id.localeCompare(b.id));

/** Withdrawals below this are not worth a player's while. */
const MIN_WITHDRAWAL = 2_000;

export class PlayerBehaviour {
  readonly profile: PlayerProfile;
  private readonly rng: Rng;
  private readonly games: GameView[];

  /**
   * `ramp` spreads arrivals over the first seconds, so sign-ups (argon2 on the user service) do
   * not all land at once.
   */
  constructor(
    seed: number,
    index: number,
    catalogue: readonly GameView[],
    private readonly thinkMs: number,
    rampMs = 0,
  ) {
    if (catalogue.length === 0) throw new Error('the game catalogue is empty');
    // Sorted: the catalogue's order is not part of its contract, and must not change the choices.
    this.games = byId(catalogue);
    this.rng = derivedRng(`casino-traffic:${seed}:${index}`);
    const rng = this.rng;
    // 20 to 200 EUR in steps of 5 EUR; top-ups are smaller.
    const firstDeposit = (4 + rng(37)) * 500;
    const favourite = pick(rng, this.games);
    this.profile = {
      index,
      email: trafficEmail(seed, index),
      password: trafficPassword(seed),
      displayName: `${pick(rng, FIRST_NAMES)} ${index}`,
      firstDeposit,
      topUp: (2 + rng(19)) * 500,
      favouriteGameId: favourite.id,
      // Sized so a deposit lasts a few hundred spins at the player's usual level.
      stakeLevel: Math.max(favourite.minStake, Math.round(firstDeposit / (100 + rng(300)))),
      claimsWelcome: rng(10) < 7,
      reloadPercent: 20 + rng(41),
      burstMean: 5 + rng(16),
      sessionSpins: 80 + rng(170),
      arrivalMs: rampMs > 0 ? rng(rampMs) : 0,
    };
  }

  /** How long to wait before the next step: exponential around the mean think time, capped. */
  think(kind: Pause): number {
    const mean = kind === 'spin' ? this.thinkMs / 4 : kind === 'break' ? this.thinkMs * 10 : this.thinkMs;
    if (mean <= 0) return 0;
    return Math.min(mean * 5, Math.round(-Math.log(1 - unit(this.rng)) * mean));
  }

  next(view: PlayerView): Action {
    const { profile } = this;
    if (!view.signedIn) return { kind: view.registered ? 'login' : 'register' };
    if (!view.wallet) return { kind: 'wallet' };
    const total = view.wallet.cash + view.wallet.bonus;
    const cheapest = Math.min(...this.games.map((g) => fitStake(g, g.minStake)));
    if (total < cheapest) return view.canDeposit ? this.deposit(view) : { kind: 'retire' };

    const lowOnFunds = total < profile.firstDeposit / 3;
    const choice = weighted(this.rng, {
      spins: 50,
      wallet: 8,
      transactions: 6,
      rounds: 6,
      bonus: 5,
      games: 2,
      withdraw: view.wallet.cash >= MIN_WITHDRAWAL ? 3 : 0,
      deposit: lowOnFunds && view.canDeposit ? 6 : 0,
      // The longer the session, the likelier the player leaves for a break.
      leave: 1 + (10 * view.spinsThisSession) / profile.sessionSpins,
    });
    switch (choice) {
      case 'spins':
        return this.burst(total);
      case 'transactions':
      case 'rounds':
        return { kind: choice, limit: pick(this.rng, [5, 10, 20]) };
      case 'withdraw':
        return { kind: 'withdraw', percent: 25 + this.rng(51) };
      case 'deposit':
        return this.deposit(view);
      default:
        return { kind: choice };
    }
  }

  private deposit(view: PlayerView): Action {
    const first = view.deposits === 0;
    const claim = first
      ? this.profile.claimsWelcome
        ? WELCOME_OFFER
        : null
      : this.rng(100) < this.profile.reloadPercent
        ? RELOAD_OFFER
        : null;
    return { kind: 'deposit', amount: first ? this.profile.firstDeposit : this.profile.topUp, claim };
  }

  /** A burst of spins on one game at stakes around the player's level, none above what they hold now. */
  private burst(total: number): Action {
    const game = this.rng(4) === 0 ? pick(this.rng, this.games) : this.games.find((g) => g.id === this.profile.favouriteGameId)!;
    const count = 1 + this.rng(2 * this.profile.burstMean);
    // Whole steps only, rounded down: rounding to the nearest step could ask for more than the player has.
    const affordable = Math.floor(total / game.stakeStep) * game.stakeStep;
    const stakes = Array.from({ length: count }, () =>
      fitStake(game, Math.min(this.profile.stakeLevel * pick(this.rng, [0.5, 1, 1, 1, 2]), affordable)),
    );
    return { kind: 'spins', gameId: game.id, stakes };
  }
}
