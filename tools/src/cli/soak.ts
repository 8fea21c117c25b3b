/**
 * `npm run soak`: does memory stay flat? Starts one of the bench's platform rows afresh (everything
 * on by default, sending to a local ingest), runs the traffic generator at its defaults for the
 * given time, reads each service's resident memory at intervals, then prints the trend of each
 * and the reconciliation of everything the run did.
 *
 *   npm run soak -- --minutes 60 --every 60 [--row all] [--json]
 *
 * Exits 0 when the run ended with a clean reconciliation, 1 when it found a difference.
 */
import type { ReconciliationReport } from '@casino/shared/contracts';
import { SERVICES } from '@casino/shared/config';
import { TRAFFIC_DEFAULTS } from '@casino/traffic/behaviour';
import { startTraffic } from '@casino/traffic/runner';
import { helpRequested, numberOption, parseOptions, runCli, textOption, unknownFlag, UsageError } from '../cli-flags';
import { startNullIngest } from '../bench/ingest';
import { rowEnv } from '../bench/measure';
import { rssMb } from '../bench/proc';
import { isBare, ROWS } from '../bench/rows';
import { launch } from '../launcher';
import { memoryTrends, type Sample } from '../soak/summary';

const PLATFORM_ROWS = ROWS.filter((r) => !isBare(r.id));
const USAGE = `usage: npm run soak -- [--minutes M] [--every S] [--row ${PLATFORM_ROWS.map((r) => r.id).join('|')}] [--json]`;

function options(argv: string[]) {
  const unknown = unknownFlag(argv, ['minutes', 'every', 'row'], ['json', 'help']);
  if (unknown) throw new UsageError(`unknown option ${unknown}`);
  const id = textOption(argv, 'row') ?? 'all';
  const row = PLATFORM_ROWS.find((r) => r.id === id);
  if (!row) throw new UsageError(`--row: ${id} is not a platform row (${PLATFORM_ROWS.map((r) => r.id).join(', ')})`);
  return {
    row,
    minutes: numberOption(argv, 'minutes', 1, 600, 60),
    everySeconds: numberOption(argv, 'every', 5, 600, 60),
    json: argv.includes('--json'),
  };
}

const mb = (n: number) => String(Math.round(n)).padStart(5);

async function main(): Promise<number> {
  if (helpRequested(USAGE)) return 0;
  const opts = parseOptions('soak', USAGE, () => options(process.argv.slice(2)));
  if (!opts) return 2;
  const ingest = await startNullIngest();
  const env = await rowEnv(opts.row, ingest);
  const platform = await launch({ env, onLine: () => undefined });
  const url = `http://127.0.0.1:${platform.ports.gateway}`;
  const read = () => Object.fromEntries(SERVICES.map((s) => [s, rssMb(platform.pids[s]!)]));
  const samples: Sample[] = [];
  const say = (line: string) => opts.json || console.log(line);
  let report: ReconciliationReport;
  let spins: number;
  try {
    say(`${opts.row.label}: traffic at its defaults (${TRAFFIC_DEFAULTS.players} players) for ${opts.minutes} min`);
    say(`idle      ${SERVICES.map((s) => `${s} ${mb(read()[s]!)}`).join('  ')} MB`);
    const run = await startTraffic({ url, ...TRAFFIC_DEFAULTS, durationSeconds: opts.minutes * 60 });
    const began = Date.now();
    const sample = () => {
      const rss = read();
      const minute = (Date.now() - began) / 60_000;
      samples.push({ minute, rssMb: rss });
      const total = Object.values(rss).reduce((a, b) => a + b, 0);
      const live = run.status().live;
      say(
        `${minute.toFixed(1).padStart(5)} min ${SERVICES.map((s) => `${s} ${mb(rss[s]!)}`).join('  ')}  total ${mb(total)} MB  ${live.requests} requests`,
      );
    };
    const timer = setInterval(sample, opts.everySeconds * 1000);
    const summary = await run.done.finally(() => clearInterval(timer));
    sample();
    spins = summary.totals.spins;
    // Recovery and retention passes run every 30 s: let the last ones finish what the run left.
    await new Promise((r) => setTimeout(r, 35_000));
    const res = await fetch(`${url}/api/v1/admin/reconciliation`, {
      headers: { authorization: `Bearer ${env.ADMIN_TOKEN}` },
      signal: AbortSignal.timeout(120_000),
    });
    report = (await res.json()) as ReconciliationReport;
  } finally {
    await platform.stop();
    await ingest.close();
  }
  const trends = memoryTrends(samples);
  if (opts.json) {
    console.log(JSON.stringify({ row: opts.row.id, minutes: opts.minutes, spins, samples, trends, reconciliation: report }, null, 2));
  } else {
    console.log(`\n${spins.toLocaleString('en')} spins. Resident memory, MB:`);
    console.log('process    first   peak   last   growth over the second half');
    for (const t of trends) {
      console.log(
        `${t.process.padEnd(9)} ${mb(t.firstMb)}  ${mb(t.peakMb)}  ${mb(t.lastMb)}   ${t.secondHalfMbPerHour.toFixed(0)} MB/hour`,
      );
    }
    const counts = `${report.rounds.rounds.toLocaleString('en')} rounds, ${report.ledger.entries.toLocaleString('en')} ledger entries, ${report.bonuses.wagers.toLocaleString('en')} wagers`;
    console.log(`reconciliation: ${report.ok ? 'clean' : 'DIFFERENCES'} over ${counts}`);
  }
  return report.ok ? 0 : 1;
}

runCli(main);
