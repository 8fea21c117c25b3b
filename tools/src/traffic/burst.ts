/**
 * Raw load: autocannon against the spin route, one pre-registered, funded player per connection,
 * each spin with an Idempotency-Key of its own. It measures how many spins a second the platform
 * sustains, which think-time traffic never reaches.
 */
import { randomBytes } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import autocannon from 'autocannon';
import type { GameView } from '@casino/shared/contracts';
import { fitStake } from '@casino/traffic/demo-players';
import { PlayerBehaviour } from '@casino/traffic/behaviour';
import { SYNTHETIC_BAGGAGE, TrafficClient } from '@casino/traffic/client';
import { SimulatedPlayer } from '@casino/traffic/player';
import { loadCatalogue } from '@casino/traffic/runner';
import { TrafficStats } from '@casino/traffic/stats';

export interface BurstOptions {
  /** The gateway, e.g. http://127.0.0.1:8080. */
  url: string;
  connections: number;
  durationSeconds: number;
  /** Names the players: the same seed signs the same accounts in again. */
  seed: number;
}

export interface BurstSetup {
  gameId: string;
  stake: number;
  players: number;
  /** Sign-ups and logins the gateway rate-limited while the players were prepared. */
  rateLimited: number;
  seconds: number;
}

export interface BurstFigures {
  setup: BurstSetup;
  /** autocannon's own result. */
  result: autocannon.Result;
}

/** Enough for thousands of minimum-stake spins each: no player runs dry in a burst. */
const FUNDING_CENTS = 20_000;

/** The game with the smallest stake (by id on a tie), and that stake. */
export function burstTarget(catalogue: readonly GameView[]): { gameId: string; stake: number } {
  const stakes = catalogue.map((g) => ({ gameId: g.id, stake: fitStake(g, g.minStake) }));
  stakes.sort((a, b) => a.stake - b.stake || a.gameId.localeCompare(b.gameId));
  if (!stakes[0]) throw new Error('the game catalogue is empty');
  return stakes[0];
}

/** Signs in and funds one player per connection. Throws TrafficSetupError when the gateway does not answer or refuses one. */
export async function prepareBurst(
  options: BurstOptions,
  signal: AbortSignal = new AbortController().signal,
): Promise<{ setup: BurstSetup; tokens: string[] }> {
  const started = performance.now();
  setMaxListeners(options.connections + 10, signal);
  const stats = new TrafficStats();
  const client = new TrafficClient({ baseUrl: options.url, stats, signal });
  try {
    const catalogue = await loadCatalogue(client, options.url);
    const runId = randomBytes(4).toString('hex');
    const tokens = await Promise.all(
      Array.from({ length: options.connections }, (_, i) => {
        const player = new SimulatedPlayer({
          behaviour: new PlayerBehaviour(options.seed, i + 1, catalogue, 0),
          client,
          signal,
          nextKey: () => `burst-${runId}-p${i + 1}-deposit`,
        });
        return player.prepare(FUNDING_CENTS);
      }),
    );
    const seconds = Math.round((performance.now() - started) / 100) / 10;
    return { setup: { ...burstTarget(catalogue), players: tokens.length, rateLimited: stats.totalsNow().rateLimited, seconds }, tokens };
  } finally {
    client.close();
  }
}

/** Starts autocannon; `instance` is for autocannon.track and stop(). */
export function startBurst(
  options: BurstOptions,
  setup: BurstSetup,
  tokens: readonly string[],
): { instance: autocannon.Instance; result: Promise<autocannon.Result> } {
  let connection = 0;
  let instance!: autocannon.Instance;
  const result = new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url: `${options.url.replace(/\/+$/, '')}/api/v1/games/${setup.gameId}/spins`,
        method: 'POST',
        connections: options.connections,
        duration: options.durationSeconds,
        headers: {
          accept: 'application/json',
          'content-type': 'application/json',
          baggage: SYNTHETIC_BAGGAGE,
          // autocannon puts a fresh id in place of [<id>] on every request: each spin is a new one.
          'idempotency-key': `burst-${randomBytes(4).toString('hex')}-[<id>]`,
        },
        idReplacement: true,
        body: JSON.stringify({ stake: setup.stake }),
        // Called once per connection, so each connection plays as its own player.
        setupClient: (client) => client.setHeaders({ authorization: `Bearer ${tokens[connection++ % tokens.length]}` }),
      },
      (err: unknown, res: autocannon.Result) => (err ? reject(err instanceof Error ? err : new Error(String(err))) : resolve(res)),
    );
  });
  return { instance, result };
}

/** The figures worth keeping from autocannon's result, for --json. */
export function burstJson({ setup, result }: BurstFigures) {
  return {
    mode: 'burst' as const,
    setup,
    connections: result.connections,
    durationSeconds: result.duration,
    requests: {
      total: result.requests.total,
      sent: result.requests.sent,
      perSecond: { mean: result.requests.average, stddev: result.requests.stddev, min: result.requests.min, max: result.requests.max },
    },
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
      mean: result.latency.average,
    },
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats ?? {}).map(([status, s]) => [status, s.count ?? 0])),
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}
