import { InsufficientFundsError, type Movement, plan, requestedAmount, total, utcDay } from '../src/domain/ledger';

/** plan(), with -0 read as 0: a stake taken wholly from cash plans "-0" bonus, which is no money either way. */
function changeOf(balances: { cash: number; bonus: number }, movement: Movement): { cash: number; bonus: number } {
  const change = plan(balances, movement);
  return { cash: change.cash + 0, bonus: change.bonus + 0 };
}

/** Runs plan() and returns the refusal it throws, failing the test if it plans instead. */
function refusal(balances: { cash: number; bonus: number }, movement: Movement): InsufficientFundsError {
  try {
    plan(balances, movement);
  } catch (err) {
    if (err instanceof InsufficientFundsError) return err;
    throw err;
  }
  throw new Error(`expected ${movement.type} to be refused`);
}

describe('ledger rules', () => {
  describe('plan', () => {
    test('when a player deposits, then all of it goes to cash and bonus is untouched', () => {
      const change = changeOf({ cash: 1_000, bonus: 700 }, { type: 'deposit', amount: 2_500 });

      expect(change).toEqual({ cash: 2_500, bonus: 0 });
    });

    test('when a player withdraws no more than their cash, then it comes out of cash only', () => {
      const change = changeOf({ cash: 3_000, bonus: 900 }, { type: 'withdrawal', amount: 3_000 });

      expect(change).toEqual({ cash: -3_000, bonus: 0 });
    });

    test('when a player withdraws more than their cash, then it is refused even though cash and bonus together would cover it', () => {
      const err = refusal({ cash: 1_000, bonus: 5_000 }, { type: 'withdrawal', amount: 1_001 });

      expect(err).toMatchObject({ needed: 1_001, available: 1_000 });
      expect(err.message).toBe('needs 1001 cents, 1000 available');
    });

    test('when a bet fits in cash, then it is all staked from cash', () => {
      const change = changeOf({ cash: 500, bonus: 500 }, { type: 'bet', amount: 500 });

      expect(change).toEqual({ cash: -500, bonus: 0 });
    });

    test('when a bet is larger than the cash, then cash is used up first and the rest comes from bonus', () => {
      const change = changeOf({ cash: 300, bonus: 1_000 }, { type: 'bet', amount: 800 });

      expect(change).toEqual({ cash: -300, bonus: -500 });
    });

    test('when there is no cash at all, then a bet is staked entirely from bonus', () => {
      const change = changeOf({ cash: 0, bonus: 1_000 }, { type: 'bet', amount: 1_000 });

      expect(change).toEqual({ cash: 0, bonus: -1_000 });
    });

    test('when a bet is larger than cash and bonus together, then it is refused naming the total available', () => {
      const err = refusal({ cash: 300, bonus: 200 }, { type: 'bet', amount: 501 });

      expect(err).toMatchObject({ needed: 501, available: 500 });
    });

    test('when a round was staked from cash only, then its win is all cash', () => {
      const change = changeOf({ cash: 0, bonus: 0 }, { type: 'win', amount: 1_234, stake: { cash: 100, bonus: 0 } });

      expect(change).toEqual({ cash: 1_234, bonus: 0 });
    });

    test('when a round was staked from bonus only, then its win is all bonus', () => {
      const change = changeOf({ cash: 0, bonus: 0 }, { type: 'win', amount: 1_234, stake: { cash: 0, bonus: 100 } });

      expect(change).toEqual({ cash: 0, bonus: 1_234 });
    });

    test('when a round was staked partly from bonus, then the win goes to bonus in the same proportion', () => {
      const change = changeOf({ cash: 0, bonus: 0 }, { type: 'win', amount: 1_000, stake: { cash: 75, bonus: 25 } });

      expect(change).toEqual({ cash: 750, bonus: 250 });
    });

    test('when the bonus share is not a whole cent, then it is rounded down and the remainder is cash', () => {
      // 100 * 1/3 = 33.33: bonus gets 33, cash gets 67.
      const change = changeOf({ cash: 0, bonus: 0 }, { type: 'win', amount: 100, stake: { cash: 2, bonus: 1 } });

      expect(change).toEqual({ cash: 67, bonus: 33 });
      expect(total(change)).toBe(100);
    });

    test('when the win and stake are at the top of the allowed range, then the bonus share is still rounded down exactly', () => {
      // 999,999,201 * 9,999,991 is past 2^53: plain float arithmetic rounds the share up to ...101.
      const change = changeOf({ cash: 0, bonus: 0 }, { type: 'win', amount: 999_999_201, stake: { cash: 1, bonus: 9_999_991 } });

      expect(change.bonus).toBe(999_999_100);
      expect(change.cash).toBe(101);
    });

    test('when a round had a zero stake, then its win is all cash', () => {
      const change = changeOf({ cash: 0, bonus: 0 }, { type: 'win', amount: 500, stake: { cash: 0, bonus: 0 } });

      expect(change).toEqual({ cash: 500, bonus: 0 });
    });

    test('when a bonus is credited, then it all goes to bonus', () => {
      const change = changeOf({ cash: 800, bonus: 0 }, { type: 'bonus_credit', amount: 5_000 });

      expect(change).toEqual({ cash: 0, bonus: 5_000 });
    });

    test('when a bonus is converted, then the whole bonus balance moves to cash', () => {
      const change = changeOf({ cash: 800, bonus: 4_321 }, { type: 'bonus_conversion' });

      expect(change).toEqual({ cash: 4_321, bonus: -4_321 });
      expect(total(change)).toBe(0);
    });

    test('when a bonus is forfeited, then the whole bonus balance is removed and cash stays', () => {
      const change = changeOf({ cash: 800, bonus: 4_321 }, { type: 'bonus_forfeit' });

      expect(change).toEqual({ cash: 0, bonus: -4_321 });
    });

    test('when there is no bonus to convert or forfeit, then nothing changes', () => {
      expect(changeOf({ cash: 800, bonus: 0 }, { type: 'bonus_conversion' })).toEqual({ cash: 0, bonus: 0 });
      expect(changeOf({ cash: 800, bonus: 0 }, { type: 'bonus_forfeit' })).toEqual({ cash: 0, bonus: 0 });
    });
  });

  describe('utcDay', () => {
    test('when it is the middle of a day, then the day is that UTC date', () => {
      expect(utcDay(new Date('2026-03-14T15:09:26.535Z'))).toBe('2026-03-14');
    });

    test('when it is the last millisecond of a day, then it still belongs to that day', () => {
      expect(utcDay(new Date('2026-03-14T23:59:59.999Z'))).toBe('2026-03-14');
    });

    test('when it is exactly midnight UTC, then a new day has started', () => {
      expect(utcDay(new Date('2026-03-15T00:00:00.000Z'))).toBe('2026-03-15');
    });

    test('when the local time zone is ahead of UTC, then the UTC day still decides', () => {
      // 00:30 in Berlin on the 1st is still 23:30 on the 31st in UTC.
      expect(utcDay(new Date('2026-01-01T00:30:00+01:00'))).toBe('2025-12-31');
    });
  });

  describe('requestedAmount', () => {
    test('when a movement carries an amount, then that is what a replay must match; conversions and forfeits ask for nothing', () => {
      expect(requestedAmount({ type: 'bet', amount: 250 })).toBe(250);
      expect(requestedAmount({ type: 'win', amount: 900, stake: { cash: 1, bonus: 0 } })).toBe(900);
      expect(requestedAmount({ type: 'bonus_conversion' })).toBe(0);
      expect(requestedAmount({ type: 'bonus_forfeit' })).toBe(0);
    });
  });
});
