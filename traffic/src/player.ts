/**
 * One simulated player against the gateway's public API: carries out what its behaviour chooses,
 * keeps its view of the account up to date from the answers, and tallies what it did. Money moves
 * carry an Idempotency-Key of their own, which the client resends on a retry.
 */
import type { BonusView, MovementResult, RegisterResult, SpinResult, WalletView } from '@casino/shared/contracts';
import type { Action, PlayerBehaviour, PlayerView } from './behaviour';
import { freshView, RELOAD_OFFER } from './behaviour';
import { pause, type TrafficAnswer, type TrafficClient, type TrafficRequest, TrafficSetupError, TrafficStopped } from './client';

/** Money moves and sign-ins, counting only what the platform accepted. */
export interface PlayerCounts {
  logins: number;
  deposits: number;
  depositedCents: number;
  /** By offer id. */
  claims: Record<string, number>;
  spins: number;
  stakedCents: number;
  wonCents: number;
  withdrawals: number;
  withdrawnCents: number;
  /** Withdrawals that forfeited an open bonus. */
  forfeits: number;
}

export const noCounts = (): PlayerCounts => ({
  logins: 0,
  deposits: 0,
  depositedCents: 0,
  claims: {},
  spins: 0,
  stakedCents: 0,
  wonCents: 0,
  withdrawals: 0,
  withdrawnCents: 0,
  forfeits: 0,
});

/** What one player did in a run. */
export interface PlayerTally extends PlayerCounts {
  index: number;
  email: string;
  /** This run created the account; false when an earlier run with the same seed had. */
  registered: boolean;
  /** Ran out of money and could deposit no more. */
  retired: boolean;
}

export interface PlayerContext {
  behaviour: PlayerBehaviour;
  client: TrafficClient;
  signal: AbortSignal;
  /** A fresh Idempotency-Key for the player's next money move. */
  nextKey: () => string;
}

const walletOf = (w: WalletView) => ({ cash: w.cash, bonus: w.bonus });

export class SimulatedPlayer {
  readonly tally: PlayerTally;
  private readonly view: PlayerView = freshView();
  private token: string | undefined;
  /** Set when the player cannot go on: their account refuses their password. */
  private stuck = false;

  constructor(private readonly ctx: PlayerContext) {
    const { index, email } = ctx.behaviour.profile;
    this.tally = { index, email, registered: false, retired: false, ...noCounts() };
  }

  /** Plays until the run stops or the player has nothing left to play with. */
  async play(): Promise<PlayerTally> {
    const { behaviour, signal } = this.ctx;
    try {
      await pause(behaviour.profile.arrivalMs, signal);
      while (!signal.aborted) {
        const action = behaviour.next(this.view);
        if (action.kind === 'retire') {
          this.tally.retired = true;
          break;
        }
        await this.act(action);
        if (this.stuck) break;
        await pause(behaviour.think(action.kind === 'leave' ? 'break' : 'action'), signal);
      }
    } catch (err) {
      if (!(err instanceof TrafficStopped)) throw err;
    }
    return this.tally;
  }

  /**
   * Signs in (registering first when new) and deposits, for raw load that spins on this player's
   * token: the token, or an error saying which step the platform refused.
   */
  async prepare(amount: number): Promise<string> {
    const { index } = this.ctx.behaviour.profile;
    await this.act({ kind: 'register' });
    if (!this.view.signedIn && this.view.registered) await this.act({ kind: 'login' });
    if (!this.token) throw new TrafficSetupError(`player ${index} could not sign in`, true);
    await this.deposit(amount, null);
    if (this.tally.deposits === 0)
      throw new TrafficSetupError(`player ${index} could not deposit (the daily deposit limit, or a failure: see the gateway's log)`, true);
    return this.token;
  }

  /** Sends as this player; a token the gateway no longer accepts sends the player back to log in. */
  private async send<T>(request: Omit<TrafficRequest, 'token'>, authenticated = true): Promise<TrafficAnswer<T>> {
    const answer = await this.ctx.client.send<T>({ ...request, ...(authenticated ? { token: this.token } : {}) });
    if (authenticated && answer.status === 401) this.signOut();
    return answer;
  }

  private signOut(): void {
    this.token = undefined;
    this.view.signedIn = false;
    this.view.spinsThisSession = 0;
  }

  private async act(action: Action): Promise<void> {
    const { profile } = this.ctx.behaviour;
    const view = this.view;
    switch (action.kind) {
      case 'register': {
        const body = { email: profile.email, password: profile.password, displayName: profile.displayName };
        const answer = await this.send<RegisterResult>(
          { operation: 'register', method: 'POST', path: '/auth/register', body, expect: [409] },
          false,
        );
        if (answer.ok) {
          this.token = answer.body.accessToken;
          Object.assign(view, { signedIn: true, registered: true, wallet: { cash: 0, bonus: 0 }, bonus: 'none' });
          this.tally.registered = true;
        } else if (answer.problem === 'email-taken') {
          view.registered = true;
        }
        return;
      }
      case 'login': {
        const body = { email: profile.email, password: profile.password };
        const answer = await this.send<{ accessToken: string }>({ operation: 'login', method: 'POST', path: '/auth/login', body }, false);
        if (answer.ok) {
          this.token = answer.body.accessToken;
          Object.assign(view, { signedIn: true, wallet: null, bonus: 'unknown' });
          this.tally.logins++;
        } else if (answer.status === 401) {
          // Someone else holds this email with another password: trying again would only spend the sign-in budget.
          this.stuck = true;
        }
        return;
      }
      case 'wallet':
        return void (await this.refreshWallet());
      case 'bonus':
        return void (await this.refreshBonus());
      case 'games':
        return void (await this.send({ operation: 'games', method: 'GET', path: '/games' }, false));
      case 'transactions':
        return void (await this.send({ operation: 'transactions', method: 'GET', path: `/wallet/transactions?limit=${action.limit}` }));
      case 'rounds':
        return void (await this.send({ operation: 'rounds', method: 'GET', path: `/rounds?limit=${action.limit}` }));
      case 'deposit':
        return this.deposit(action.amount, action.claim);
      case 'spins':
        return this.spins(action.gameId, action.stakes);
      case 'withdraw':
        return this.withdraw(action.percent);
      case 'leave':
        return this.signOut();
      case 'retire':
        return;
    }
  }

  private async refreshWallet(): Promise<WalletView | undefined> {
    const answer = await this.send<WalletView>({ operation: 'wallet', method: 'GET', path: '/wallet' });
    if (!answer.ok) return undefined;
    this.view.wallet = walletOf(answer.body);
    return answer.body;
  }

  private async refreshBonus(): Promise<BonusView | null | undefined> {
    const answer = await this.send<{ bonus: BonusView | null }>({ operation: 'bonus', method: 'GET', path: '/bonuses/active' });
    if (!answer.ok) return undefined;
    this.view.bonus = answer.body.bonus ? 'active' : 'none';
    return answer.body.bonus;
  }

  private async deposit(amount: number, claim: string | null): Promise<void> {
    const { view, tally } = this;
    const answer = await this.send<MovementResult>({
      operation: 'deposit',
      method: 'POST',
      path: '/wallet/deposits',
      body: { amount },
      idempotencyKey: this.ctx.nextKey(),
      // Over the daily deposit limit: the player plays on with what they have.
      expect: [422],
    });
    if (!answer.ok) {
      if (answer.status === 422) view.canDeposit = false;
      else view.wallet = null;
      return;
    }
    view.wallet = walletOf(answer.body.wallet);
    view.deposits++;
    tally.deposits++;
    tally.depositedCents += amount;
    if (!claim) return;

    // A reload needs no bonus open; a player who does not know looks first, as the casino's page would show it.
    if (claim === RELOAD_OFFER && view.bonus === 'unknown') await this.refreshBonus();
    if (view.bonus === 'active') return;
    await pause(this.ctx.behaviour.think('action'), this.ctx.signal);
    const claimed = await this.send<{ bonus: BonusView }>({
      operation: 'claim',
      method: 'POST',
      path: `/bonuses/offers/${claim}/claim`,
      body: {},
      idempotencyKey: this.ctx.nextKey(),
      // Claimed by this player in an earlier run, or a bonus still open from one.
      expect: [409],
    });
    if (claimed.ok) {
      view.bonus = 'active';
      if (view.wallet) view.wallet.bonus += claimed.body.bonus.amount;
      tally.claims[claim] = (tally.claims[claim] ?? 0) + 1;
    } else if (claimed.problem === 'bonus-active') {
      view.bonus = 'active';
    } else if (claimed.status !== 409) {
      view.wallet = null;
    }
  }

  private async spins(gameId: string, stakes: readonly number[]): Promise<void> {
    const { view, tally } = this;
    for (const [i, stake] of stakes.entries()) {
      if (!view.wallet || view.wallet.cash + view.wallet.bonus < stake) return;
      if (i > 0) await pause(this.ctx.behaviour.think('spin'), this.ctx.signal);
      const answer = await this.send<SpinResult>({
        operation: 'spin',
        method: 'POST',
        path: `/games/${gameId}/spins`,
        body: { stake },
        idempotencyKey: this.ctx.nextKey(),
        // The wallet moved under the player (a bonus expired): they look again.
        expect: [422],
      });
      if (!answer.ok) {
        view.wallet = null;
        return;
      }
      const hadBonus = view.wallet.bonus > 0;
      view.wallet = walletOf(answer.body.wallet);
      // Bonus money gone: spent, converted on completing the wagering, or expired. Look before the next claim.
      if (hadBonus && view.wallet.bonus === 0) view.bonus = 'unknown';
      view.spinsThisSession++;
      tally.spins++;
      tally.stakedCents += stake;
      tally.wonCents += answer.body.win;
    }
  }

  /** Looks at the bonus and the balance first, as a cashier page shows them, then cashes out part of the cash. */
  private async withdraw(percent: number): Promise<void> {
    const bonus = await this.refreshBonus();
    if (bonus === undefined) return;
    const wallet = await this.refreshWallet();
    if (!wallet) return;
    const amount = Math.floor((wallet.cash * percent) / 100 / 100) * 100;
    if (amount < 100) return;
    const forfeit = bonus !== null;
    const answer = await this.send<MovementResult>({
      operation: 'withdraw',
      method: 'POST',
      path: '/wallet/withdrawals',
      // Wagering is open while a bonus is active: cashing out then gives the bonus up.
      body: forfeit ? { amount, forfeitBonus: true } : { amount },
      idempotencyKey: this.ctx.nextKey(),
      expect: [409, 422],
    });
    if (!answer.ok) {
      this.view.wallet = null;
      return;
    }
    this.view.wallet = walletOf(answer.body.wallet);
    if (forfeit) {
      this.view.bonus = 'none';
      this.tally.forfeits++;
    }
    this.tally.withdrawals++;
    this.tally.withdrawnCents += amount;
  }
}
