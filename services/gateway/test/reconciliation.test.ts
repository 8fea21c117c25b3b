import type { BonusReconciliation, LedgerReconciliation, RoundReconciliation } from '@casino/shared';
import request from 'supertest';
import { JobFinding } from '@casino/shared';
import { reconcileOnSchedule } from '../src/ops/reconcile-on-schedule';
import { combineReconciliation } from '../src/ops/reconciliation';
import { bearer, closeAll, expectProblem, gateway } from './harness';

afterEach(closeAll);

const AT = new Date('2026-03-01T12:00:00.000Z');

function ledger(overrides: Partial<LedgerReconciliation> = {}): LedgerReconciliation {
  return {
    wallets: 3,
    entries: 12,
    totals: { cash: 9_000, bonus: 1_000 },
    byType: {
      deposit: { count: 3, amount: 12_000 },
      bet: { count: 30, amount: -3_000 },
      win: { count: 4, amount: 1_000 },
      bonus_credit: { count: 2, amount: 1_500 },
      bonus_conversion: { count: 1, amount: 0 },
    },
    unsettled: 0,
    abandoned: 0,
    walletsWithBonus: ['p-1'],
    differences: [],
    ...overrides,
  };
}

function rounds(overrides: Partial<RoundReconciliation> = {}): RoundReconciliation {
  return { rounds: 31, byStatus: { settled: 30, failed: 1 }, bets: 30, wins: 4, differences: [], ...overrides };
}

function bonuses(overrides: Partial<BonusReconciliation> = {}): BonusReconciliation {
  return {
    bonuses: 2,
    wagers: 40,
    byStatus: { active: 1, completed: 1 },
    amount: 1_500,
    activeBonusPlayers: ['p-1'],
    differences: [],
    ...overrides,
  };
}

describe('combining the reconciliation', () => {
  test('when both services agree with themselves and each other, then the report is ok and every cross-check passes', () => {
    const report = combineReconciliation(ledger(), bonuses(), rounds(), AT);

    expect(report.ok).toBe(true);
    expect(report.checkedAt).toBe('2026-03-01T12:00:00.000Z');
    expect(report.crossChecks.map((c) => [c.check, c.ok])).toEqual([
      ['round-bets', true],
      ['round-wins', true],
      ['bonus-credits', true],
      ['bonus-conversions', true],
      ['bonus-forfeits', true],
      ['bonus-money', true],
    ]);
  });

  test.each([
    ['a round took a stake without a bet in the ledger', ledger(), bonuses(), rounds({ bets: 31 }), 'round-bets'],
    ['a winning round was never paid', ledger(), bonuses(), rounds({ wins: 5 }), 'round-wins'],
    [
      'a bonus was never credited',
      ledger({ byType: { ...ledger().byType, bonus_credit: { count: 1, amount: 1_000 } } }),
      bonuses(),
      rounds(),
      'bonus-credits',
    ],
    [
      'a completed bonus was never converted',
      ledger({ byType: { ...ledger().byType, bonus_conversion: { count: 0, amount: 0 } } }),
      bonuses(),
      rounds(),
      'bonus-conversions',
    ],
    [
      'a forfeited bonus still holds its money',
      ledger(),
      bonuses({ byStatus: { completed: 1, forfeited: 1 }, activeBonusPlayers: [] }),
      rounds(),
      'bonus-forfeits',
    ],
    [
      'a wallet holds bonus money without an active bonus',
      ledger({ walletsWithBonus: ['p-1', 'p-2'] }),
      bonuses(),
      rounds(),
      'bonus-money',
    ],
  ])('when %s, then the report is not ok and names that check', (_what, l, b, r, failing) => {
    const report = combineReconciliation(l, b, r, AT);

    expect(report.ok).toBe(false);
    expect(report.crossChecks.filter((c) => !c.ok).map((c) => c.check)).toContain(failing);
  });

  test('when a service reports its own difference, then the report is not ok even though every cross-check passes', () => {
    const mismatch = {
      walletId: 'p-1',
      problem: 'balance-mismatch' as const,
      wallet: { cash: 1, bonus: 0 },
      ledger: { cash: 0, bonus: 0 },
    };

    const halfWay = { roundId: 'r-1', playerId: 'p-1', problem: 'unfinished' as const, detail: 'stake taken, stopped at debited' };

    expect(combineReconciliation(ledger({ differences: [mismatch] }), bonuses(), rounds(), AT).ok).toBe(false);
    expect(combineReconciliation(ledger(), bonuses(), rounds({ differences: [halfWay] }), AT).ok).toBe(false);
  });
});

describe('GET /api/v1/admin/reconciliation', () => {
  test('when an operator asks, then payment, wager and game are each asked for their own check and the combined report comes back', async () => {
    const g = await gateway();
    g.fakes.payment.answer({ status: 200, body: ledger() });
    g.fakes.wager.answer({ status: 200, body: bonuses() });
    g.fakes.game.answer({ status: 200, body: rounds() });

    const res = await request(g.app).get('/api/v1/admin/reconciliation').set(bearer(g.adminToken));

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, ledger: { wallets: 3 }, bonuses: { bonuses: 2 }, rounds: { rounds: 31 } });
    expect(g.fakes.payment.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /reconciliation']);
    expect(g.fakes.wager.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /reconciliation']);
    expect(g.fakes.game.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /reconciliation']);
  });

  test('when payment is down, then the operator gets a 503 problem rather than a partial report', async () => {
    const g = await gateway();
    g.fakes.payment.answer({
      status: 503,
      body: { type: 'urn:casino:problem:store-unavailable', title: 'Service unavailable', status: 503, detail: 'down' },
    });
    g.fakes.wager.answer({ status: 200, body: bonuses() });
    g.fakes.game.answer({ status: 200, body: rounds() });

    const res = await request(g.app).get('/api/v1/admin/reconciliation').set(bearer(g.adminToken));

    expectProblem(res, 503, 'service-unavailable');
  });
});

describe('the scheduled reconciliation', () => {
  /** Reads the given reports in turn, the last one for ever after. */
  const reads = (...reports: ReturnType<typeof combineReconciliation>[]) => {
    let i = 0;
    return async () => reports[Math.min(i++, reports.length - 1)]!;
  };
  const clean = () => combineReconciliation(ledger(), bonuses(), rounds(), AT);
  const betsAhead = (bets: number) =>
    combineReconciliation(ledger({ byType: { ...ledger().byType, bet: { count: bets, amount: -bets * 100 } } }), bonuses(), rounds(), AT);

  test('when a pass is clean, then the run is ok after one read and says what it checked', async () => {
    const read = jest.fn(reads(clean()));
    await expect(reconcileOnSchedule(read, 0)).resolves.toEqual({ wallets: 3, bonuses: 2, rounds: 31, differences: 0 });
    expect(read).toHaveBeenCalledTimes(1);
  });

  test('when money moving while a pass reads makes a count differ, then the next pass does not see the same line and the run is ok', async () => {
    await expect(reconcileOnSchedule(reads(betsAhead(31), betsAhead(33), clean()), 0)).resolves.toMatchObject({ differences: 0 });
  });

  test('when a difference lasts three passes word for word, then the run fails with each difference as context, and only those', async () => {
    const walletOff = combineReconciliation(
      ledger({
        differences: [
          { walletId: 'w-1', problem: 'balance-mismatch', wallet: { cash: 1_500, bonus: 0 }, ledger: { cash: 1_000, bonus: 0 } },
        ],
      }),
      bonuses(),
      rounds(),
      AT,
    );
    const both = combineReconciliation(ledger({ ...walletOff.ledger, byType: betsAhead(31).ledger.byType }), bonuses(), rounds(), AT);
    const failure = await reconcileOnSchedule(reads(both, walletOff, walletOff), 0).catch((err: unknown) => err);

    expect(failure).toBeInstanceOf(JobFinding);
    expect((failure as JobFinding).failureKind).toBe('reconciliation-differences');
    expect((failure as JobFinding).findings).toEqual({
      count: 1,
      'difference 1': 'wallet w-1: balance-mismatch; wallet {"cash":1500,"bonus":0}, ledger {"cash":1000,"bonus":0}',
    });
  });
});
