/**
 * A traffic run: simulated players against one gateway for a set time, until stopped. The CLI and
 * the gateway's admin API both drive it through startTraffic; it prints nothing itself.
 */
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { GameView } from '@casino/shared/contracts';
import { PlayerBehaviour } from './behaviour';
import { TrafficClient, TrafficSetupError } from './client';
import { noCounts, type PlayerCounts, type PlayerTally, SimulatedPlayer } from './player';
import { type LiveFigures, type OperationSummary, type Percentiles, TrafficStats } from './stats';

export interface TrafficOptions {
  /** The gateway, e.g. http://127.0.0.1:8080. */
  url: string;
  players: number;
  durationSeconds: number;
  seed: number;
  /** Mean think time between a player's actions, in ms; spins within a burst come four times faster. */
  thinkMs: number;
  /** Per request. */
  timeoutMs?: number;
}

export type TrafficState = 'running' | 'stopping' | 'finished';
export type TrafficEnd = 'deadline' | 'stopped' | 'players-done';

export type TrafficTotals = PlayerCounts & { players: number; registered: number; retired: number };

export interface TrafficSummary {
  options: Omit<TrafficOptions, 'timeoutMs'>;
  endedBy: TrafficEnd;
  elapsedSeconds: number;
  requests: number;
  errors: number;
  refused: number;
  rateLimited: number;
  rateLimitWaitSeconds: number;
  requestsPerSecond: number;
  latencyMs: Percentiles;
  operations: OperationSummary[];
  totals: TrafficTotals;
  players: PlayerTally[];
}

export interface TrafficStatus {
  state: TrafficState;
  startedAt: string;
  options: Omit<TrafficOptions, 'timeoutMs'>;
  live: LiveFigures;
  /** Once finished. */
  summary?: TrafficSummary;
  /** Why the run ended without a summary: a fault in the generator itself. */
  failure?: string;
}

export interface TrafficRun {
  readonly done: Promise<TrafficSummary>;
  status(): TrafficStatus;
  /** Ends every player's wait at once; requests already sent finish first. */
  stop(): Promise<TrafficSummary>;
}

/** The game catalogue every player picks from. Throws TrafficSetupError when it cannot be had. */
export async function loadCatalogue(client: TrafficClient, url: string): Promise<GameView[]> {
  const games = await client.send<{ items: GameView[] }>({ operation: 'games', method: 'GET', path: '/games' });
  if (games.status === 0) throw new TrafficSetupError(`the gateway at ${url} is not reachable`, false);
  if (!games.ok) throw new TrafficSetupError(`the gateway at ${url} answered ${games.status} to GET /api/v1/games`, true);
  return games.body.items;
}

/** Arrivals are spread over the first seconds, so sign-ups do not all hit argon2 at once. */
const rampMs = (o: TrafficOptions) => Math.min(5_000, o.players * 100, o.durationSeconds * 250);

export function totalsOf(tallies: readonly PlayerTally[]): TrafficTotals {
  const totals: TrafficTotals = { players: tallies.length, registered: 0, retired: 0, ...noCounts() };
  for (const t of tallies) {
    if (t.registered) totals.registered++;
    if (t.retired) totals.retired++;
    for (const key of Object.keys(noCounts()) as (keyof PlayerCounts)[]) {
      if (key === 'claims') for (const [offer, n] of Object.entries(t.claims)) totals.claims[offer] = (totals.claims[offer] ?? 0) + n;
      else totals[key] += t[key];
    }
  }
  return totals;
}

/** Loads the catalogue, then starts the players. Throws TrafficSetupError when the catalogue cannot be had. */
export async function startTraffic(options: TrafficOptions): Promise<TrafficRun> {
  const { timeoutMs, ...shown } = options;
  const stats = new TrafficStats();
  const controller = new AbortController();
  // Every waiting player listens for the stop at once: that many listeners is no leak.
  setMaxListeners(options.players + 10, controller.signal);
  const client = new TrafficClient({ baseUrl: options.url, stats, signal: controller.signal, ...(timeoutMs ? { timeoutMs } : {}) });

  const catalogue = await loadCatalogue(client, options.url);

  // Keys name this run, so a second run with the same seed moves money again instead of replaying the first.
  const runId = randomBytes(4).toString('hex');
  const players = Array.from({ length: options.players }, (_, i) => {
    const index = i + 1;
    let moves = 0;
    return new SimulatedPlayer({
      behaviour: new PlayerBehaviour(options.seed, index, catalogue, options.thinkMs, rampMs(options)),
      client,
      signal: controller.signal,
      nextKey: () => `tg-${runId}-p${index}-${++moves}`,
    });
  });

  const startedAt = new Date().toISOString();
  let state: TrafficState = 'running';
  let endedBy: TrafficEnd = 'players-done';
  let summary: TrafficSummary | undefined;
  let failure: string | undefined;
  const end = (why: TrafficEnd) => {
    if (controller.signal.aborted) return;
    endedBy = why;
    state = 'stopping';
    controller.abort();
  };
  const deadline = setTimeout(() => end('deadline'), options.durationSeconds * 1000);

  const done = Promise.all(players.map((p) => p.play())).then(
    (tallies) => {
      clearTimeout(deadline);
      client.close();
      const totals = stats.totalsNow();
      const elapsedSeconds = stats.elapsedSeconds();
      summary = {
        options: shown,
        endedBy,
        elapsedSeconds: Math.round(elapsedSeconds * 10) / 10,
        ...totals,
        rateLimitWaitSeconds: Math.round(stats.rateLimitWaitMs / 100) / 10,
        requestsPerSecond: Math.round((totals.requests / Math.max(elapsedSeconds, 0.001)) * 10) / 10,
        latencyMs: stats.overall(),
        operations: stats.operations(),
        totals: totalsOf(tallies),
        players: tallies,
      };
      state = 'finished';
      return summary;
    },
    (err: unknown) => {
      clearTimeout(deadline);
      controller.abort();
      client.close();
      failure = err instanceof Error ? err.message : String(err);
      state = 'finished';
      throw err;
    },
  );

  return {
    done,
    status: () => ({
      state,
      startedAt,
      options: shown,
      live: stats.live(),
      ...(summary ? { summary } : {}),
      ...(failure ? { failure } : {}),
    }),
    stop: () => {
      end('stopped');
      return done;
    },
  };
}
