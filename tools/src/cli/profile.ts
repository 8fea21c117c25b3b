/**
 * `npm run profile`: where each service spends its CPU under load. Starts one of the bench's rows
 * afresh with V8's sampling profiler preloaded in every service, warms up, profiles a burst of
 * spins, and prints each service's busy time a spin with its shares by owner (Sentry, mingo,
 * express, the kit, the service, Node alone, the garbage collector) and by function. The
 * .cpuprofile files are kept for Chrome's DevTools.
 *
 *   npm run profile -- --row off --duration 10 --connections 20 [--out DIR] [--root CHECKOUT]
 *
 * `--root` profiles the built services of another checkout (an older commit, say) with this
 * checkout's load and summary, for a before and after.
 *
 * Rows with Sentry's profiler on are refused: two profilers in one process disturb each other.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SERVICES } from '@casino/shared/config';
import { helpRequested, numberOption, parseOptions, runCli, textOption, unknownFlag, UsageError } from '../cli-flags';
import { startNullIngest } from '../bench/ingest';
import { startLoadedPlatform } from '../bench/measure';
import { isBare, ROWS } from '../bench/rows';
import { type CpuProfile, summarise } from '../profile/summary';

const PROFILED = ROWS.filter((r) => !isBare(r.id) && r.env?.SENTRY_PROFILE_SESSION_SAMPLE_RATE !== '1');
const USAGE = `usage: npm run profile -- [--row ${PROFILED.map((r) => r.id).join('|')}] [--duration S] [--connections N] [--warmup S] [--out DIR] [--root CHECKOUT]`;

function options(argv: string[]) {
  const unknown = unknownFlag(argv, ['row', 'duration', 'connections', 'warmup', 'out', 'root'], ['help']);
  if (unknown) throw new UsageError(`unknown option ${unknown}`);
  const id = textOption(argv, 'row') ?? 'off';
  const row = PROFILED.find((r) => r.id === id);
  if (!row) throw new UsageError(`--row: ${id} is not a row that can be profiled (${PROFILED.map((r) => r.id).join(', ')})`);
  const out = textOption(argv, 'out', 'a directory');
  const root = textOption(argv, 'root', 'a checkout');
  if (root && !existsSync(join(root, 'services', 'gateway', 'dist', 'main.js')))
    throw new UsageError(`--root: ${root} has no built services (run npm install and npx tsc -b there)`);
  return {
    root: root && resolve(root),
    row,
    durationSeconds: numberOption(argv, 'duration', 1, 600, 10),
    connections: numberOption(argv, 'connections', 1, 1000, 20),
    warmupSeconds: numberOption(argv, 'warmup', 1, 60, 3),
    out: resolve(out ?? join(tmpdir(), `casino-profile-${id}-${Date.now()}`)),
  };
}

const pct = (share: number) => `${Math.round(share * 100)}%`;

async function waitForFiles(paths: string[], timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!paths.every((p) => existsSync(p))) {
    if (Date.now() > until) throw new Error(`no profile written: ${paths.filter((p) => !existsSync(p)).join(', ')}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function main(): Promise<number> {
  if (helpRequested(USAGE)) return 0;
  const opts = parseOptions('profile', USAGE, () => options(process.argv.slice(2)));
  if (!opts) return 2;
  mkdirSync(opts.out, { recursive: true });
  const preload = join(__dirname, '..', 'profile', 'preload.js');
  const ingest = await startNullIngest();
  const platform = await startLoadedPlatform(opts.row, ingest, {
    connections: opts.connections,
    root: opts.root,
    env: { NODE_OPTIONS: `--require ${preload}`, PROFILE_DIR: opts.out },
  });
  let spins: number;
  try {
    await platform.load(opts.warmupSeconds);
    const toggle = () => Object.values(platform.pids).forEach((pid) => process.kill(pid, 'SIGUSR2'));
    toggle();
    const result = await platform.load(opts.durationSeconds);
    toggle();
    spins = result['2xx'];
    await waitForFiles(
      SERVICES.map((s) => join(opts.out, `${s}.cpuprofile`)),
      10_000,
    );
  } finally {
    await platform.stop();
    await ingest.close();
  }
  console.log(`${opts.row.label}: ${spins} spins in ${opts.durationSeconds} s at ${opts.connections} connections; profiles in ${opts.out}`);
  for (const service of SERVICES) {
    const profile = JSON.parse(readFileSync(join(opts.out, `${service}.cpuprofile`), 'utf8')) as CpuProfile;
    const s = summarise(profile);
    console.log(`\n${service}: ${(s.busyMs / Math.max(spins, 1)).toFixed(1)} busy ms a spin (profiler included)`);
    console.log(`  by owner:    ${s.owners.map((o) => `${o.owner} ${pct(o.share)}`).join(', ')}`);
    console.log(
      `  by function: ${s.functions
        .slice(0, 6)
        .map((f) => `${f.name} ${pct(f.share)}`)
        .join(', ')}`,
    );
  }
  return 0;
}

runCli(main);
