import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { type GameView, SERVICES, type ServiceName, type TransactionView, type WalletView } from '@casino/shared';
import { callerAuthorization } from '@casino/shared/testing';
import { repoRoot } from '@casino/tools/launcher';
import { gatewayAuthorization, localPeerUrls, planPlayers, seedPlatform, type SeedResult } from '@casino/tools/seed';
import { freePorts, type RunningPlatform, startPlatform, TEST_SECRETS } from './support/platform';

const asGateway = gatewayAuthorization(TEST_SECRETS);

const SEED_CLI = join(repoRoot(), 'tools', 'dist', 'cli', 'seed.js');
const SMALL = { players: 6, spins: 5, concurrency: 3 };

const CATALOGUE: GameView[] = [
  { id: 'lucky-sevens', name: 'Lucky Sevens', minStake: 10, maxStake: 10_000, stakeStep: 1, rtp: 96 },
  { id: 'fruit-fiesta', name: 'Fruit Fiesta', minStake: 10, maxStake: 5_000, stakeStep: 5, rtp: 96 },
];

/** A read straight from a service behind the gateway, as the gateway makes it. */
async function get<T>(url: string, service: ServiceName): Promise<T> {
  const res = await fetch(url, { headers: { authorization: callerAuthorization('gateway', service) } });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

/** Runs the CLI with only the given service URLs and the gateway's key (unless told not to) in its environment. */
function runCli(
  args: string[],
  urls: Record<string, string>,
  key: string | undefined = TEST_SECRETS.GATEWAY_SIGNING_KEY,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...(key ? { GATEWAY_SIGNING_KEY: key } : {}),
    ...Object.fromEntries(Object.entries(urls).map(([s, u]) => [`${s.toUpperCase()}_URL`, u])),
  };
  const child = spawn(process.execPath, [SEED_CLI, ...args], { env, cwd: __dirname, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, stdout, stderr })));
}

describe('the seed plan', () => {
  test('when planned twice with the same seed, then players, amounts, games, stakes and keys are the same', () => {
    const a = planPlayers({ seed: 42, players: 20, spins: 10 }, CATALOGUE);
    const b = planPlayers({ seed: 42, players: 20, spins: 10 }, [...CATALOGUE].reverse());

    expect(b).toEqual(a);
    expect(a[0]!.email).toBe('seed42-player1@demo.casino.test');
    expect(a[0]!.deposit.key).toBe('seed-42-player1-deposit-0');
    expect(a[0]!.spins[3]!.key).toBe('seed-42-player1-spin-3');
  });

  test('when planned with another seed, then no email, idempotency key or list of choices is shared', () => {
    const a = planPlayers({ seed: 42, players: 20, spins: 10 }, CATALOGUE);
    const b = planPlayers({ seed: 43, players: 20, spins: 10 }, CATALOGUE);
    const keys = (plans: typeof a) => plans.flatMap((p) => [p.deposit.key, p.claim?.key, ...p.spins.map((s) => s.key)]).filter(Boolean);

    expect(new Set([...a.map((p) => p.email), ...b.map((p) => p.email)]).size).toBe(40);
    expect(keys(a).filter((k) => keys(b).includes(k))).toEqual([]);
    expect(b.map((p) => [p.deposit.amount, p.spins.map((s) => s.stake)])).not.toEqual(
      a.map((p) => [p.deposit.amount, p.spins.map((s) => s.stake)]),
    );
  });

  test('when more players or spins are planned, then the earlier ones do not change', () => {
    const few = planPlayers({ seed: 7, players: 3, spins: 4 }, CATALOGUE);
    const many = planPlayers({ seed: 7, players: 50, spins: 20 }, CATALOGUE);

    expect(many.slice(0, 3).map((p) => ({ ...p, spins: p.spins.slice(0, 4) }))).toEqual(few);
  });

  test('when planning, then every choice is one the services accept: deposits of 20 to 500 EUR, stakes in range and step, about half claiming', () => {
    const plans = planPlayers({ seed: 42, players: 200, spins: 20 }, CATALOGUE);

    for (const plan of plans) {
      expect(plan.deposit.amount).toBeGreaterThanOrEqual(2_000);
      expect(plan.deposit.amount).toBeLessThanOrEqual(50_000);
      expect(plan.displayName).toMatch(/^\p{L}+ \d+$/u);
      for (const spin of plan.spins) {
        const game = CATALOGUE.find((g) => g.id === spin.gameId)!;
        expect(spin.stake).toBeGreaterThanOrEqual(game.minStake);
        expect(spin.stake).toBeLessThanOrEqual(game.maxStake);
        expect(spin.stake % game.stakeStep).toBe(0);
      }
    }
    const claiming = plans.filter((p) => p.claim).length;
    expect(claiming).toBeGreaterThan(70);
    expect(claiming).toBeLessThan(130);
    expect(new Set(plans.flatMap((p) => p.spins.map((s) => s.gameId)))).toEqual(new Set(CATALOGUE.map((g) => g.id)));
  });
});

describe('seeding a running platform', () => {
  let platform: RunningPlatform;
  let first: SeedResult;
  let counts: Map<string, { transactions: number; rounds: number }>;

  const svc = (service: 'payment' | 'game', path: string) => `http://127.0.0.1:${platform.ports[service]}${path}`;
  const countsOf = async (result: SeedResult) =>
    new Map(
      await Promise.all(
        result.players.map(async ({ playerId }) => {
          const tx = await get<{ items: unknown[] }>(svc('payment', `/wallets/${playerId}/transactions?limit=100`), 'payment');
          const rounds = await get<{ items: unknown[] }>(svc('game', `/players/${playerId}/rounds?limit=100`), 'game');
          return [playerId, { transactions: tx.items.length, rounds: rounds.items.length }] as const;
        }),
      ),
    );

  beforeAll(async () => {
    platform = await startPlatform();
    first = await seedPlatform(localPeerUrls(platform.ports), { seed: 42, ...SMALL }, asGateway);
    counts = await countsOf(first);
  }, 90_000);

  afterAll(async () => {
    await platform?.stop();
  });

  test('when seeding a fresh platform, then every player, deposit and planned claim is new and rounds were played', () => {
    const { summary } = first;

    expect(summary.failures).toEqual({ count: 0, samples: [] });
    expect(summary.players).toEqual({ planned: 6, created: 6, existing: 0 });
    expect(summary.deposits).toEqual({ created: 6, replayed: 0 });
    const claims = planPlayers({ seed: 42, ...SMALL }, CATALOGUE).filter((p) => p.claim).length;
    expect(summary.claims).toEqual({ created: claims, alreadyClaimed: 0 });
    expect(summary.spins.created).toBeGreaterThan(0);
    expect(summary.spins.replayed).toBe(0);
    expect(first.players.map((p) => p.email)).toEqual(planPlayers({ seed: 42, ...SMALL }, CATALOGUE).map((p) => p.email));
  });

  test('when seeding twice with the same seed, then the second run creates no player, deposit or round and says everything was there', async () => {
    const second = await seedPlatform(localPeerUrls(platform.ports), { seed: 42, ...SMALL }, asGateway);

    expect(second.summary.failures.count).toBe(0);
    expect(second.summary.players).toEqual({ planned: 6, created: 0, existing: 6 });
    expect(second.summary.deposits).toEqual({ created: 0, replayed: 6 });
    expect(second.summary.claims).toEqual({ created: 0, alreadyClaimed: first.summary.claims.created });
    expect(second.summary.spins).toEqual({ ...first.summary.spins, created: 0, replayed: first.summary.spins.created });
    expect(second.players).toEqual(first.players);
    expect(await countsOf(second)).toEqual(counts);
  }, 60_000);

  test('when seeding, then every seeded wallet equals the sum of its ledger entries, cash and bonus apart', async () => {
    for (const { playerId } of first.players) {
      const wallet = await get<WalletView>(svc('payment', `/wallets/${playerId}`), 'payment');
      const { items } = await get<{ items: TransactionView[] }>(svc('payment', `/wallets/${playerId}/transactions?limit=100`), 'payment');

      expect(items.length).toBeGreaterThan(0);
      expect(wallet.cash).toBe(items.reduce((sum, t) => sum + t.cash, 0));
      expect(wallet.bonus).toBe(items.reduce((sum, t) => sum + t.bonus, 0));
      expect(wallet.total).toBe(wallet.cash + wallet.bonus);
    }
  });

  test('when seeding with another seed, then other players are created beside the first ones', async () => {
    const other = await seedPlatform(localPeerUrls(platform.ports), { seed: 7, players: 2, spins: 1, concurrency: 2 }, asGateway);

    expect(other.summary.players).toEqual({ planned: 2, created: 2, existing: 0 });
    expect(other.players.map((p) => p.email)).toEqual(['seed7-player1@demo.casino.test', 'seed7-player2@demo.casino.test']);
    expect(other.summary.login.password).not.toBe(first.summary.login.password);
  }, 30_000);

  test('when the CLI seeds with --json, then it exits 0 and prints the summary as JSON', async () => {
    const urls = localPeerUrls(platform.ports);

    const run = await runCli(['--players', '2', '--spins', '2', '--seed=42', '--json'], urls);

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as SeedResult['summary'];
    expect(summary.players).toEqual({ planned: 2, created: 0, existing: 2 });
    expect(summary.login).toEqual({ email: 'seed42-player1@demo.casino.test', password: first.summary.login.password });
  }, 30_000);
});

describe('the seed CLI without a platform', () => {
  test('when the platform is not reachable, then it exits non-zero, seeds nothing and says what to do', async () => {
    const ports = await freePorts(SERVICES.length);
    const urls = {
      user: `http://127.0.0.1:${ports[1]}`,
      game: `http://127.0.0.1:${ports[2]}`,
      payment: `http://127.0.0.1:${ports[3]}`,
      wager: `http://127.0.0.1:${ports[4]}`,
    };

    const run = await runCli(['--players', '1'], urls);

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /^seed: nothing seeded: the \w+ service at http:\/\/127\.0\.0\.1:\d+ is not reachable .*Is the platform running\? Start it with `npm run demo`/,
    );
  });

  test('when the gateway key is nowhere to be found, then it exits 2 saying where to set it', async () => {
    const run = await runCli(['--players', '1'], {}, '');

    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^seed: GATEWAY_SIGNING_KEY is not set: .*\.demo\/service-keys\.env\.\n$/);
  });

  test('when an option is not a number in range, then it exits 2 with the usage', async () => {
    const run = await runCli(['--players', 'lots'], {});

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--players must be a whole number from 1 to 100000 (got "lots")');
    expect(run.stderr).toContain('usage: npm run seed');
  });
});
