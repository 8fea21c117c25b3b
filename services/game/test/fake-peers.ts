import { randomUUID } from 'node:crypto';
import { AppError, type MovementResult, type PlayerState, type PlayerStatus, type WagerResult, type WalletView } from '@casino/shared';
import type { ServiceDeps } from '@casino/shared';
import type { GamePeers } from '../src/data/peers';
import { RoundRepository } from '../src/data/round-repository';
import { gameFaults, type GameFaultsOptions } from '../src/scenarios';
import type { SpinDeps } from '../src/use-cases/advance-round';
import type { Rng } from '../src/domain/slots';

export type Call = 'playerStatus' | 'debit' | 'credit' | 'recordWager';

/**
 * user, payment and wager as a spin sees them. One in-memory wallet; bets and wins are idempotent
 * per round, as payment's round-derived keys make them. `calls` records every call in order, even
 * those that fail; `bets` and `wins` only the money that moved.
 */
export class FakeGamePeers implements GamePeers {
  readonly calls: { op: Call; roundId?: string }[] = [];
  readonly bets = new Map<string, number>();
  readonly wins = new Map<string, number>();
  readonly wagers: { roundId: string; stake: number }[] = [];
  /** While true, the call fails with a 503 before moving any money. */
  readonly down: Record<'debit' | 'credit' | 'recordWager', boolean> = { debit: false, credit: false, recordWager: false };
  status: PlayerState = 'active';
  private cash: number;

  constructor(cash = 10_000) {
    this.cash = cash;
  }

  get wallet(): WalletView {
    return { currency: 'EUR', cash: this.cash, bonus: 0, total: this.cash };
  }

  ops(): Call[] {
    return this.calls.map((c) => c.op);
  }

  async playerStatus(playerId: string): Promise<PlayerStatus> {
    this.calls.push({ op: 'playerStatus' });
    return {
      id: playerId,
      status: this.status,
      selfExcludedUntil: this.status === 'self_excluded' ? '2099-01-01T00:00:00.000Z' : null,
      dailyDepositLimit: 500_000,
      pendingDepositLimit: null,
    };
  }

  async debit(_playerId: string, roundId: string, _gameId: string, stake: number): Promise<MovementResult> {
    this.enter('debit', roundId);
    if (!this.bets.has(roundId)) {
      if (stake > this.cash) {
        throw new AppError(422, {
          slug: 'insufficient-funds',
          title: 'Insufficient funds',
          detail: `The balance is ${this.cash} cents; the stake is ${stake}.`,
        });
      }
      this.cash -= stake;
      this.bets.set(roundId, stake);
    }
    return this.movement('bet', roundId, -stake);
  }

  async credit(_playerId: string, roundId: string, _gameId: string, win: number): Promise<MovementResult> {
    this.enter('credit', roundId);
    if (!this.wins.has(roundId)) {
      this.cash += win;
      this.wins.set(roundId, win);
    }
    return this.movement('win', roundId, win);
  }

  async recordWager(_playerId: string, roundId: string, stake: number): Promise<WagerResult> {
    this.enter('recordWager', roundId);
    this.wagers.push({ roundId, stake });
    return { bonus: null };
  }

  private enter(op: 'debit' | 'credit' | 'recordWager', roundId: string): void {
    this.calls.push({ op, roundId });
    if (this.down[op])
      throw new AppError(503, { slug: 'service-unavailable', title: 'Service unavailable', detail: `The ${op} call failed.` });
  }

  private movement(type: 'bet' | 'win', roundId: string, amount: number): MovementResult {
    return {
      transaction: {
        id: randomUUID(),
        type,
        amount,
        cash: amount,
        bonus: 0,
        balanceAfter: this.cash,
        createdAt: new Date().toISOString(),
        ref: roundId,
      },
      wallet: this.wallet,
    };
  }
}

/** An Rng that answers the given draws in order, then repeats the last `reels` of them. */
export function scriptedRng(...draws: number[][]): Rng {
  const queue = draws.flat();
  const tail = draws.at(-1)!;
  let i = 0;
  return () => (i < queue.length ? queue[i++]! : tail[(i++ - queue.length) % tail.length]!);
}

/** What the game's use cases get, over `deps`' store: as createApp wires it, with these peers, draws and clock. */
export function spinDeps(
  deps: ServiceDeps,
  parts: { peers: GamePeers; rng: Rng; now?: () => Date; spinHistory?: GameFaultsOptions['spinHistory'] },
): SpinDeps {
  const faults = gameFaults({ scenarios: deps.scenarios, logger: deps.logger, release: 'casino@test', spinHistory: parts.spinHistory });
  return {
    ...deps,
    rounds: new RoundRepository(deps.store),
    peers: parts.peers,
    rng: parts.rng,
    now: parts.now ?? (() => new Date()),
    faults,
  };
}
