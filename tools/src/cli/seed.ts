/**
 * `npm run seed`: fills a running platform (`npm run demo`, or services on MongoDB) with demo
 * players, deposits, welcome bonuses and rounds, through the services' internal APIs. The same
 * seed gives the same data, and a second run adds nothing. Service URLs come from the same
 * settings the services use (USER_URL, GAME_URL, PAYMENT_URL, WAGER_URL, or the *_PORT defaults).
 *
 *   npm run seed -- --players 100 --spins 20 --seed 42 --concurrency 8 [--json]
 */
import { MAX_SEED } from '@casino/traffic/demo-players';
import { helpRequested, numberOption, parseOptions, runCli, unknownFlag } from '../cli-flags';
import { ConfigError, readDotEnv, serviceUrls } from '@casino/shared/config';
import { repoRoot } from '../launcher';
import { withDemoKeys } from '../service-keys';
import {
  formatSummary,
  gatewayAuthorization,
  SEED_DEFAULTS,
  type SeedOptions,
  seedPlatform,
  SeedUnreachableError,
  SeedUsageError,
} from '../seed';

const USAGE = 'usage: npm run seed -- [--players N] [--spins N] [--seed N] [--concurrency N] [--json]';
const FLAGS: Record<keyof SeedOptions, [min: number, max: number]> = {
  seed: [0, MAX_SEED],
  players: [1, 100_000],
  spins: [0, 10_000],
  concurrency: [1, 64],
};

function options(argv: readonly string[]): SeedOptions {
  const unknown = unknownFlag(argv, Object.keys(FLAGS), ['json']);
  if (unknown) throw new SeedUsageError(`unknown option ${unknown}`);
  const chosen = { ...SEED_DEFAULTS } as SeedOptions;
  for (const [name, [min, max]] of Object.entries(FLAGS) as [keyof SeedOptions, [number, number]][]) {
    chosen[name] = numberOption(argv, name, min, max, chosen[name]);
  }
  return chosen;
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (helpRequested(USAGE, argv)) return 0;
  const chosen = parseOptions('seed', USAGE, () => options(argv));
  if (!chosen) return 2;
  const json = argv.includes('--json');
  // The seeder reaches the services as the gateway does, with its key (or the last demo's).
  const env = withDemoKeys({ ...readDotEnv(), ...process.env }, repoRoot());
  const urls = serviceUrls(env);
  let authorize: ReturnType<typeof gatewayAuthorization>;
  try {
    authorize = gatewayAuthorization(env);
  } catch (err) {
    if (!(err instanceof SeedUsageError)) throw err;
    console.error(`${err.message} Set it in .env, or start the platform with \`npm run demo\`, which writes .demo/service-keys.env.`);
    return 2;
  }
  if (!json)
    console.log(
      `Seeding ${chosen.players} players x ${chosen.spins} spins (seed ${chosen.seed}) into user ${urls.user}, game ${urls.game}, payment ${urls.payment}, wager ${urls.wager}...`,
    );
  try {
    const { summary } = await seedPlatform(urls, chosen, authorize);
    console.log(json ? JSON.stringify(summary, null, 2) : formatSummary(summary));
    return summary.failures.count === 0 ? 0 : 1;
  } catch (err) {
    if (!(err instanceof SeedUnreachableError)) throw err;
    console.error(
      `seed: nothing seeded: ${err.message} Start it with \`npm run demo\`, or point USER_URL, GAME_URL, PAYMENT_URL and WAGER_URL at it.`,
    );
    return 1;
  }
}

runCli(main, (err) => (err instanceof ConfigError ? `seed: configuration error: ${err.message}` : err));
