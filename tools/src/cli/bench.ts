/**
 * `npm run bench`: what observability costs and how near the platform runs to a bare chain of five
 * Express processes, measured in one run on this machine. Each row is started afresh, warmed up
 * and loaded with spins at N connections; rows alternate round by round, so drift hits them alike.
 *
 *   npm run bench -- --connections 20 --duration 10 --rounds 3 [--rows off,all] [--json]
 */
import { cpus, totalmem } from 'node:os';
import { helpRequested, numberOption, parseOptions, runCli, textOption, unknownFlag, UsageError } from '../cli-flags';
import { identityCost, identityLine } from '../bench/identity-cost';
import { startNullIngest } from '../bench/ingest';
import { type Measurement, measure } from '../bench/measure';
import { answerLines, answers, summarise, table } from '../bench/report';
import { ROWS } from '../bench/rows';

const USAGE = `usage: npm run bench -- [--connections N] [--duration S] [--rounds N] [--warmup S] [--rows ${ROWS.map((r) => r.id).join(',')}] [--json]`;

function options(argv: string[]) {
  const unknown = unknownFlag(argv, ['connections', 'duration', 'rounds', 'warmup', 'rows'], ['json']);
  if (unknown) throw new UsageError(`unknown option ${unknown}`);
  const rowsFlag = textOption(argv, 'rows', 'a comma-separated list');
  const ids = rowsFlag?.split(',').map((s) => s.trim()) ?? ROWS.map((r) => r.id);
  const unknownRow = ids.find((id) => !ROWS.some((r) => r.id === id));
  if (unknownRow) throw new UsageError(`--rows: there is no row ${unknownRow}`);
  return {
    connections: numberOption(argv, 'connections', 1, 1000, 20),
    durationSeconds: numberOption(argv, 'duration', 1, 600, 10),
    rounds: numberOption(argv, 'rounds', 1, 20, 3),
    warmupSeconds: numberOption(argv, 'warmup', 1, 60, 3),
    rows: ROWS.filter((r) => ids.includes(r.id)),
    json: argv.includes('--json'),
  };
}

async function main(): Promise<number> {
  if (helpRequested(USAGE)) return 0;
  const opts = parseOptions('bench', USAGE, () => options(process.argv.slice(2)));
  if (!opts) return 2;
  const say = (line: string) => (opts.json ? process.stderr : process.stdout).write(`${line}\n`);
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}`;
  const date = new Date().toISOString();
  say(`${date}, ${machine}`);
  say(
    `${opts.rounds} rounds of ${opts.rows.length} rows, each started afresh, ${opts.warmupSeconds} s warm-up, then ${opts.durationSeconds} s of spins at ${opts.connections} connections`,
  );
  const ingest = await startNullIngest();
  const measurements: Measurement[] = [];
  try {
    for (let round = 1; round <= opts.rounds; round++) {
      for (const row of opts.rows) {
        const m = await measure(row, opts, ingest);
        measurements.push(m);
        say(
          `  round ${round}, ${row.label}: ${m.spinsPerSecond.toFixed(1)} spins/s, p50 ${m.p50} ms, ${m.cpuMsPerSpin.total!.toFixed(1)} CPU ms/spin`,
        );
      }
    }
  } finally {
    await ingest.close();
  }
  const rows = summarise(measurements);
  const found = answers(rows);
  const identity = identityCost();
  if (opts.json) {
    process.stdout.write(
      `${JSON.stringify({ date, machine, options: { ...opts, rows: opts.rows.map((r) => r.id) }, rows, answers: found, identity, measurements }, null, 2)}\n`,
    );
  } else {
    say('');
    say(
      'Medians over the rounds; "÷ off" is the SDK-off spins/s divided by the row\'s. CPU per process: gateway user game payment wager (hop1…hop5 for the chain).',
    );
    say(table(rows, opts.connections));
    say('');
    for (const line of answerLines(found)) say(line);
    say(identityLine(identity));
  }
  return 0;
}

runCli(main);
