/**
 * `npm run traffic`: simulated players against a running gateway's public API, with a live
 * progress line and a summary table by operation; or, with `--mode burst`, raw load on the spin
 * route through autocannon. Every request carries `baggage: synthetic=true`.
 *
 *   npm run traffic -- --players 20 --duration 5m --seed 42 [--think 1000] [--url http://127.0.0.1:8080] [--json]
 *   npm run traffic -- --mode burst --connections 10 --duration 30s
 *
 * Exit codes: 0 no request failed, 1 some did or the gateway was not reachable, 2 bad options.
 */
import autocannon from 'autocannon';
import { SingleBar } from 'cli-progress';
import { durationFlag, helpRequested, numberOption, parseOptions, runCli, textOption, unknownFlag, UsageError } from '../cli-flags';
import { gatewayUrl, readDotEnv } from '@casino/shared/config';
import { repoRoot } from '../launcher';
import { MAX_SEED } from '@casino/traffic/demo-players';
import { TRAFFIC_DEFAULTS } from '@casino/traffic/behaviour';
import { TrafficSetupError, TrafficStopped } from '@casino/traffic/client';
import { burstJson, prepareBurst, startBurst } from '../traffic/burst';
import { clock, formatTrafficSummary, liveFields } from '../traffic/format';
import { startTraffic, type TrafficOptions } from '@casino/traffic/runner';

const USAGE = [
  'usage: npm run traffic -- [--players N] [--duration 5m] [--seed N] [--think MS] [--url URL] [--json]',
  '       npm run traffic -- --mode burst [--connections N] [--duration 30s] [--seed N] [--url URL] [--json]',
].join('\n');
const VALUED = ['players', 'duration', 'seed', 'think', 'url', 'mode', 'connections'];

interface Chosen {
  mode: 'players' | 'burst';
  url: string;
  players: number;
  connections: number;
  durationSeconds: number;
  seed: number;
  thinkMs: number;
  json: boolean;
}

function options(argv: readonly string[]): Chosen {
  const unknown = unknownFlag(argv, VALUED, ['json', 'help']);
  if (unknown) throw new UsageError(`unknown option ${unknown}`);
  const mode = textOption(argv, 'mode') ?? 'players';
  if (mode !== 'players' && mode !== 'burst') throw new UsageError(`--mode must be players or burst (got ${JSON.stringify(mode)})`);
  const env: Record<string, string | undefined> = { ...readDotEnv(repoRoot()), ...process.env };
  const url = (textOption(argv, 'url') ?? gatewayUrl(env)).replace(/\/+$/, '').replace(/\/api\/v1$/, '');
  if (!/^https?:\/\/[^/]+/.test(url)) throw new UsageError(`--url must be the gateway's http(s) URL (got ${JSON.stringify(url)})`);
  return {
    mode,
    url,
    players: numberOption(argv, 'players', 1, 10_000, TRAFFIC_DEFAULTS.players),
    connections: numberOption(argv, 'connections', 1, 1_000, 10),
    durationSeconds: durationFlag(argv, 'duration', 1, 24 * 3600) ?? (mode === 'burst' ? 30 : TRAFFIC_DEFAULTS.durationSeconds),
    seed: numberOption(argv, 'seed', 0, MAX_SEED, TRAFFIC_DEFAULTS.seed),
    thinkMs: numberOption(argv, 'think', 0, 600_000, TRAFFIC_DEFAULTS.thinkMs),
    json: argv.includes('--json'),
  };
}

/** What the first Ctrl-C (or SIGTERM) stops, cleanly; a second one gives up at once. */
let stopCurrent: () => void = () => process.exit(130);
let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    stopCurrent();
  });
}

async function players(chosen: Chosen): Promise<number> {
  const traffic: TrafficOptions = {
    url: chosen.url,
    players: chosen.players,
    durationSeconds: chosen.durationSeconds,
    seed: chosen.seed,
    thinkMs: chosen.thinkMs,
  };
  const run = await startTraffic(traffic);
  stopCurrent = () => void run.stop();
  const tty = process.stderr.isTTY === true;
  const bar = new SingleBar({
    format: '{bar} {elapsed} of {total_time} | {requests} req | {errors} errors | {rps} req/s | p50 {p50} p95 {p95} | {waits} x 429',
    barsize: 20,
    hideCursor: tty,
    // Not on a terminal (CI, a pipe): a plain line every 10 s instead of redrawing one; none with --json.
    noTTYOutput: !chosen.json,
    notTTYSchedule: 10_000,
    stopOnComplete: false,
  });
  if (tty || !chosen.json) {
    process.stderr.write(
      `Traffic: ${chosen.players} players, seed ${chosen.seed}, think ${chosen.thinkMs} ms, for ${clock(chosen.durationSeconds)} against ${chosen.url} (Ctrl-C stops)\n`,
    );
    bar.start(chosen.durationSeconds, 0, { ...liveFields(run.status().live), total_time: clock(chosen.durationSeconds) });
  }
  const tick = setInterval(() => {
    const live = run.status().live;
    bar.update(Math.min(chosen.durationSeconds, live.elapsedSeconds), liveFields(live));
  }, 500);
  const summary = await run.done;
  clearInterval(tick);
  bar.update(Math.min(chosen.durationSeconds, summary.elapsedSeconds), liveFields(run.status().live));
  bar.stop();
  console.log(chosen.json ? JSON.stringify({ mode: 'players', ...summary }, null, 2) : formatTrafficSummary(summary));
  return summary.errors === 0 ? 0 : 1;
}

async function burst(chosen: Chosen): Promise<number> {
  const burstOptions = { url: chosen.url, connections: chosen.connections, durationSeconds: chosen.durationSeconds, seed: chosen.seed };
  const preparing = new AbortController();
  stopCurrent = () => preparing.abort();
  if (!chosen.json) process.stderr.write(`Burst: preparing ${chosen.connections} players (one per connection) at ${chosen.url}...\n`);
  const { setup, tokens } = await prepareBurst(burstOptions, preparing.signal);
  if (!chosen.json) {
    process.stderr.write(
      `Burst: POST /api/v1/games/${setup.gameId}/spins at ${setup.stake} cents, ${chosen.connections} connections for ${clock(chosen.durationSeconds)} ` +
        `(players ready in ${setup.seconds.toFixed(1)} s, ${setup.rateLimited} x 429 waited out)\n`,
    );
  }
  const { instance, result } = startBurst(burstOptions, setup, tokens);
  // Ctrl-C now ends the burst early; autocannon still reports what it measured.
  stopCurrent = () => instance.stop();
  if (!chosen.json)
    autocannon.track(instance, {
      outputStream: process.stderr,
      renderProgressBar: process.stderr.isTTY === true,
      renderResultsTable: false,
    });
  const figures = { setup, result: await result };
  if (chosen.json) {
    console.log(JSON.stringify(burstJson(figures), null, 2));
  } else {
    const r = figures.result;
    console.log(autocannon.printResult(r, { renderResultsTable: true, renderLatencyTable: false }));
    console.log(
      `Sustained: ${r.requests.average.toFixed(1)} spins/s over ${r.duration.toFixed(1)} s with ${r.connections} connections; ` +
        `${r['2xx'].toLocaleString('en-US')} settled, ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts`,
    );
  }
  return figures.result.non2xx + figures.result.errors === 0 ? 0 : 1;
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (helpRequested(USAGE, argv)) return 0;
  const chosen = parseOptions('traffic', USAGE, () => options(argv));
  if (!chosen) return 2;
  try {
    return await (chosen.mode === 'burst' ? burst(chosen) : players(chosen));
  } catch (err) {
    if (err instanceof TrafficStopped) return (console.error('traffic: stopped before the burst began'), 130);
    if (!(err instanceof TrafficSetupError)) throw err;
    const hint = err.reachable ? '' : ' Is the platform running? Start it with `npm run demo`, or point --url at the gateway.';
    console.error(`traffic: nothing was run: ${err.message}.${hint}`);
    return 1;
  }
}

runCli(main);
