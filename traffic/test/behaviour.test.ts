import type { GameView } from '@casino/shared/contracts';
import { type Action, freshView, PlayerBehaviour, type PlayerView, RELOAD_OFFER, WELCOME_OFFER } from '../src/behaviour';

const CATALOGUE: GameView[] = [
  { id: 'lucky-sevens', name: 'Lucky Sevens', minStake: 10, maxStake: 10_000, stakeStep: 1, rtp: 96 },
  { id: 'fruit-fiesta', name: 'Fruit Fiesta', minStake: 10, maxStake: 5_000, stakeStep: 5, rtp: 96 },
];

/**
 * Plays a player against a pretend platform that accepts everything and whose spins all lose half
 * the stake: every answer follows from the choices alone, so two players who choose alike see alike.
 */
function script(behaviour: PlayerBehaviour, steps: number): { actions: Action[]; pauses: number[]; balances: number[] } {
  const view: PlayerView = freshView();
  const actions: Action[] = [];
  const pauses: number[] = [];
  const balances: number[] = [];
  for (let i = 0; i < steps; i++) {
    balances.push(view.wallet ? view.wallet.cash + view.wallet.bonus : 0);
    const action = behaviour.next(view);
    actions.push(action);
    pauses.push(behaviour.think(action.kind === 'spins' ? 'spin' : 'action'));
    switch (action.kind) {
      case 'register':
      case 'login':
        Object.assign(view, { signedIn: true, registered: true, wallet: view.wallet ?? { cash: 0, bonus: 0 }, spinsThisSession: 0 });
        break;
      case 'deposit':
        view.wallet!.cash += action.amount;
        view.deposits++;
        if (action.claim) view.bonus = 'active';
        break;
      case 'spins':
        for (const stake of action.stakes) {
          if (view.wallet!.cash < stake) break;
          view.wallet!.cash -= Math.ceil(stake / 2);
          view.spinsThisSession++;
        }
        break;
      case 'withdraw':
        view.wallet!.cash -= Math.floor((view.wallet!.cash * action.percent) / 100);
        view.bonus = 'none';
        break;
      case 'leave':
        view.signedIn = false;
        break;
      case 'retire':
        return { actions, pauses, balances };
    }
  }
  return { actions, pauses, balances };
}

const player = (seed: number, index: number, catalogue = CATALOGUE, thinkMs = 1000) =>
  new PlayerBehaviour(seed, index, catalogue, thinkMs, 5_000);

describe('the traffic behaviour plan', () => {
  test('when two players are made from the same seed and number, then who they are and every choice and pause are the same', () => {
    const a = player(42, 7);
    const b = player(42, 7, [...CATALOGUE].reverse());

    expect(b.profile).toEqual(a.profile);
    expect(script(b, 400)).toEqual(script(a, 400));
    expect(a.profile.email).toBe('traffic42-player7@synthetic.casino.test');
  });

  test('when the seed or the player differs, then the profile and the choices differ', () => {
    const base = script(player(42, 7), 200);

    expect(script(player(43, 7), 200)).not.toEqual(base);
    expect(script(player(42, 8), 200)).not.toEqual(base);
    expect(player(43, 7).profile.email).not.toBe(player(42, 7).profile.email);
  });

  test('when a new player starts, then they register, deposit their first deposit claiming the welcome offer if they want it, then play', () => {
    for (let index = 1; index <= 30; index++) {
      const behaviour = player(5, index);
      const { actions } = script(behaviour, 3);

      expect(actions[0]).toEqual({ kind: 'register' });
      expect(actions[1]).toEqual({
        kind: 'deposit',
        amount: behaviour.profile.firstDeposit,
        claim: behaviour.profile.claimsWelcome ? WELCOME_OFFER : null,
      });
      expect(actions[2]!.kind).not.toMatch(/register|login|deposit/);
    }
  });

  test('when players are planned, then deposits are 20 to 200 EUR, stakes fit the game and the balance, and every kind of action happens', () => {
    const kinds = new Set<string>();
    const misfits: string[] = [];
    for (let index = 1; index <= 40; index++) {
      const behaviour = player(11, index);
      expect(behaviour.profile.firstDeposit).toBeGreaterThanOrEqual(2_000);
      expect(behaviour.profile.firstDeposit).toBeLessThanOrEqual(20_000);
      const { actions, balances } = script(behaviour, 300);
      for (const [i, action] of actions.entries()) {
        kinds.add(action.kind === 'deposit' && action.claim ? `claim ${action.claim}` : action.kind);
        if (action.kind !== 'spins') continue;
        const game = CATALOGUE.find((g) => g.id === action.gameId)!;
        for (const stake of action.stakes) {
          const outOfRange = stake < game.minStake || stake > game.maxStake || stake % game.stakeStep !== 0;
          // Above the balance only when the balance is below the game's smallest stake: the player then stops the burst.
          if (outOfRange || stake > Math.max(balances[i]!, game.minStake)) misfits.push(`${game.id} ${stake} with ${balances[i]}`);
        }
      }
    }
    expect(misfits).toEqual([]);
    expect([...kinds].sort()).toEqual(
      [
        'bonus',
        'deposit',
        `claim ${RELOAD_OFFER}`,
        `claim ${WELCOME_OFFER}`,
        'games',
        'leave',
        'login',
        'register',
        'rounds',
        'spins',
        'transactions',
        'wallet',
        'withdraw',
      ].sort(),
    );
  });

  test('when a player cannot cover the cheapest stake, then they deposit, and once deposits are refused they retire', () => {
    const behaviour = player(3, 1);
    const broke: PlayerView = { ...freshView(), signedIn: true, registered: true, wallet: { cash: 5, bonus: 0 }, deposits: 1 };

    expect(behaviour.next(broke)).toMatchObject({ kind: 'deposit', amount: behaviour.profile.topUp });
    expect(behaviour.next({ ...broke, canDeposit: false })).toEqual({ kind: 'retire' });
  });

  test('when think time is 0, then players never pause; otherwise pauses average near the mean and never exceed five times it', () => {
    const eager = player(9, 1, CATALOGUE, 0);
    expect(Array.from({ length: 50 }, () => eager.think('action'))).toEqual(Array(50).fill(0));

    const thoughtful = player(9, 1, CATALOGUE, 1000);
    const pauses = Array.from({ length: 4000 }, () => thoughtful.think('action'));
    const mean = pauses.reduce((a, b) => a + b, 0) / pauses.length;
    expect(mean).toBeGreaterThan(850);
    expect(mean).toBeLessThan(1050);
    expect(Math.max(...pauses)).toBeLessThanOrEqual(5000);
  });
});
