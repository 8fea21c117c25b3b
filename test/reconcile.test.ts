/**
 * Money under load, end to end: 20 players make 1,000 spins through the gateway, with replays,
 * bonus claims and withdrawals mixed in, then `npm run reconcile` must find every wallet equal to
 * its ledger and every bonus equal to its wagering.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ReconciliationReport } from '@casino/shared';
import { runCli } from './support/cli';
import { call, type RunningPlatform, startPlatform, TEST_SECRETS } from './support/platform';
import './support/timeout';

const PLAYERS = 20;
const SPINS_EACH = 50;
const password = 'load-test-passphrase-1';

interface Wallet {
  cash: number;
  bonus: number;
  total: number;
}

/** The built reconcile command, as `npm run reconcile` runs it after building. */
const reconcile = (args: string[], env: NodeJS.ProcessEnv = {}) => runCli('reconcile', args, { env, timeoutMs: 60_000 });

describe('reconciliation after a load of 1,000 spins from 20 players through the gateway', () => {
  let platform: RunningPlatform;
  let api: string;
  const tokens: string[] = [];
  const spins = { settled: 0, replayed: 0, refused: 0, failed: [] as string[] };

  beforeAll(async () => {
    platform = await startPlatform({ REDIS_URL: 'redis://127.0.0.1:6379' });
    api = platform.api;
    const games = (await call<{ items: { id: string; minStake: number; stakeStep: number }[] }>(api, 'GET', '/games')).body.items;

    await Promise.all(
      Array.from({ length: PLAYERS }, async (_, p) => {
        const email = `load-${p}-${randomUUID()}@example.com`;
        const reg = await call<{ accessToken: string }>(api, 'POST', '/auth/register', { body: { email, password } });
        const token = reg.body.accessToken;
        tokens[p] = token;
        await call(api, 'POST', '/wallet/deposits', { token, key: randomUUID(), body: { amount: 20_000 } });
        if (p % 2 === 0) await call(api, 'POST', '/bonuses/offers/welcome-100/claim', { token, body: {} });
        for (let i = 0; i < SPINS_EACH; i++) {
          const game = games[(p + i) % games.length]!;
          const stake = game.minStake + game.stakeStep * ((p * 7 + i) % 20);
          const key = randomUUID();
          const send = () => call<{ wallet: Wallet }>(api, 'POST', `/games/${game.id}/spins`, { token, key, body: { stake } });
          // Every tenth spin is sent twice at once, as a client retrying on a timeout would.
          const answers = i % 10 === 0 ? await Promise.all([send(), send()]) : [await send()];
          for (const answer of answers) {
            if (answer.status === 201) {
              if (answer.headers.get('idempotent-replayed')) spins.replayed++;
              else spins.settled++;
            } else if (answer.status === 409 || answer.status === 422) {
              spins.refused++;
            } else {
              spins.failed.push(`${answer.status} ${JSON.stringify(answer.body)}`);
            }
          }
        }
        // Half the bonus players cash out by forfeiting; the others leave wagering open.
        if (p % 4 === 0) {
          const cash = (await call<Wallet>(api, 'GET', '/wallet', { token })).body.cash;
          await call(api, 'POST', '/wallet/withdrawals', {
            token,
            key: randomUUID(),
            body: { amount: Math.floor(cash / 2), forfeitBonus: true },
          });
        }
      }),
    );
  }, 300_000);

  afterAll(async () => {
    await platform?.stop();
  });

  test('when the load has run, then every spin settled or was refused with a problem, and none failed', () => {
    expect(spins.failed).toEqual([]);
    // Concurrent duplicates either replay the first answer or are told the first is still in progress.
    expect(spins.settled).toBe(PLAYERS * SPINS_EACH);
    expect(spins.settled + spins.replayed + spins.refused).toBe(PLAYERS * SPINS_EACH + PLAYERS * (SPINS_EACH / 10));
  });

  test('when npm run reconcile checks the platform, then it is clean and says so, and exits 0', async () => {
    const run = await reconcile(['--url', `http://127.0.0.1:${platform.ports.gateway}`], { ADMIN_TOKEN: TEST_SECRETS.ADMIN_TOKEN });

    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/wallets\s+20 checked against [\d,]+ ledger entries: 0 differences/);
    expect(run.stdout).toMatch(/bonuses\s+10 checked .*: 0 differences/);
    expect(run.stdout).toMatch(/rounds\s+1,000 checked \(1,000 took a stake, [\d,]+ paid a win\): 0 left half-way/);
    expect(run.stdout).toContain('Result: clean');
  });

  test("when the report is read as JSON, then its totals are the players' wallets and every spin has one bet", async () => {
    const run = await reconcile(['--url', `http://127.0.0.1:${platform.ports.gateway}`, '--json'], {
      ADMIN_TOKEN: TEST_SECRETS.ADMIN_TOKEN,
    });
    const report = JSON.parse(run.stdout) as ReconciliationReport;

    const wallets = await Promise.all(tokens.map(async (token) => (await call<Wallet>(api, 'GET', '/wallet', { token })).body));
    expect(report.ok).toBe(true);
    expect(report.ledger.totals).toEqual({
      cash: wallets.reduce((s, w) => s + w.cash, 0),
      bonus: wallets.reduce((s, w) => s + w.bonus, 0),
    });
    expect(report.ledger.byType.bet?.count).toBe(PLAYERS * SPINS_EACH);
    expect(report.ledger.byType.deposit).toEqual({ count: PLAYERS, amount: PLAYERS * 20_000 });
    expect(report.bonuses.byStatus).toEqual({ active: 5, forfeited: 5 });
    expect(report.rounds).toMatchObject({
      rounds: PLAYERS * SPINS_EACH,
      byStatus: { settled: PLAYERS * SPINS_EACH },
      bets: PLAYERS * SPINS_EACH,
    });
    expect(report.ledger.byType.win?.count).toBe(report.rounds.wins);
    expect(report.crossChecks.every((c) => c.ok)).toBe(true);
  });

  test('when the admin token is wrong, then the command says so and exits 2 without a report', async () => {
    const run = await reconcile(['--url', `http://127.0.0.1:${platform.ports.gateway}`], { ADMIN_TOKEN: 'not-the-admin-token-at-all' });

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('The gateway answered 401');
    expect(run.stdout).toBe('');
  });
});

describe('the reconcile command', () => {
  let gateway: Server;
  let report: ReconciliationReport;
  let url: string;

  beforeAll(async () => {
    // A gateway that answers with whatever report the test sets.
    gateway = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(report));
    });
    await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise((resolve) => gateway.close(resolve)));

  test('when the platform reports a difference, then each one is printed and the command exits 1', async () => {
    report = {
      ok: false,
      checkedAt: new Date().toISOString(),
      ledger: {
        wallets: 2,
        entries: 5,
        totals: { cash: 1_500, bonus: 0 },
        byType: {},
        unsettled: 0,
        abandoned: 0,
        walletsWithBonus: [],
        differences: [
          { walletId: 'w-1', problem: 'balance-mismatch', wallet: { cash: 1_500, bonus: 0 }, ledger: { cash: 1_000, bonus: 0 } },
        ],
      },
      bonuses: { bonuses: 0, wagers: 0, byStatus: {}, amount: 0, activeBonusPlayers: [], differences: [] },
      rounds: {
        rounds: 1,
        byStatus: { debited: 1 },
        bets: 1,
        wins: 0,
        differences: [{ roundId: 'r-9', playerId: 'p-9', problem: 'unfinished', detail: 'stake taken, stopped at debited' }],
      },
      crossChecks: [{ check: 'bonus-money', ok: false, detail: 'wallets holding bonus money without an active bonus: w-2' }],
    };

    const run = await reconcile(['--url', url], { ADMIN_TOKEN: 'any-token-for-the-fake-gateway' });

    expect(run.code).toBe(1);
    expect(run.stdout).toContain('wallet w-1: balance-mismatch');
    expect(run.stdout).toContain('round r-9 (player p-9): unfinished; stake taken, stopped at debited');
    expect(run.stdout).toContain('FAIL      bonus-money');
    expect(run.stdout).toContain('Result: DIFFERENCES FOUND');
  });

  test('when the gateway cannot be reached, then the command says so and exits 2', async () => {
    const run = await reconcile(['--url', 'http://127.0.0.1:1'], { ADMIN_TOKEN: 'any-token-for-the-fake-gateway' });

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Cannot reach the gateway at http://127.0.0.1:1');
  });

  test('when an option is unknown, then the usage is printed and the command exits 2', async () => {
    const run = await reconcile(['--frobnicate']);

    expect(run.code).toBe(2);
    expect(run.stderr).toContain('usage: npm run reconcile');
  });
});
