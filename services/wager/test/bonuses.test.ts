import { bonusAmount, expiresAt, findOffer, isExpired, isWageringComplete, wageringRequired } from '../src/domain/bonuses';

const welcome = findOffer('welcome-100')!;
const reload = findOffer('reload-50')!;

describe('bonus maths', () => {
  describe('bonusAmount', () => {
    test.each([
      ['welcome matches 100% of a 25 EUR deposit', welcome, 2_500, 2_500],
      ['welcome matches exactly its 100 EUR cap', welcome, 10_000, 10_000],
      ['welcome caps a 500 EUR deposit at 100 EUR', welcome, 50_000, 10_000],
      ['reload matches 50% of a 40 EUR deposit', reload, 4_000, 2_000],
      ['reload caps a 200 EUR deposit at 50 EUR', reload, 20_000, 5_000],
      ['reload rounds half a cent down', reload, 333, 166],
      ['reload of a 1 cent deposit is nothing', reload, 1, 0],
    ])('when %s, then the bonus is the matched amount in whole cents', (_what, offer, deposit, expected) => {
      const amount = bonusAmount(offer, deposit);

      expect(amount).toBe(expected);
      expect(Number.isInteger(amount)).toBe(true);
    });
  });

  describe('wageringRequired', () => {
    test('when a welcome bonus of 20 EUR is given, then 35 times it must be wagered', () => {
      expect(wageringRequired(welcome, 2_000)).toBe(70_000);
    });

    test('when a reload bonus of 50 EUR is given, then 20 times it must be wagered', () => {
      expect(wageringRequired(reload, 5_000)).toBe(100_000);
    });
  });

  describe('expiry', () => {
    const claimed = new Date('2026-03-01T12:00:00Z');

    test('when a welcome bonus is claimed, then it expires 30 days later to the millisecond', () => {
      expect(expiresAt(welcome, claimed).toISOString()).toBe('2026-03-31T12:00:00.000Z');
    });

    test('when a reload bonus is claimed, then it expires 7 days later', () => {
      expect(expiresAt(reload, claimed).toISOString()).toBe('2026-03-08T12:00:00.000Z');
    });

    test('when the expiry instant arrives, then the bonus is expired, and a millisecond before it is not', () => {
      const bonus = { expiresAt: expiresAt(reload, claimed) };

      expect(isExpired(bonus, new Date(bonus.expiresAt.getTime() - 1))).toBe(false);
      expect(isExpired(bonus, bonus.expiresAt)).toBe(true);
      expect(isExpired(bonus, new Date(bonus.expiresAt.getTime() + 1))).toBe(true);
    });
  });

  describe('isWageringComplete', () => {
    test.each([
      ['one cent short', 69_999, false],
      ['exactly the requirement', 70_000, true],
      ['past the requirement', 70_150, true],
      ['nothing yet', 0, false],
    ])('when the player has wagered %s, then completion is %s', (_what, wagered, complete) => {
      expect(isWageringComplete({ wagered, wageringRequired: 70_000 })).toBe(complete);
    });
  });
});
