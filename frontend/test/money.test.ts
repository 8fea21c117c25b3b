import { describe, expect, test } from 'vitest';
import { formatCents, formatChange, parseEuros, progressPercent } from '../src/lib/money';

describe('money formatting', () => {
  test('when cents are formatted, then they show as euros with two decimals and thousands separators', () => {
    expect(formatCents(0)).toBe('€0.00');
    expect(formatCents(5)).toBe('€0.05');
    expect(formatCents(123_456)).toBe('€1,234.56');
    expect(formatCents(100_000_000)).toBe('€1,000,000.00');
    expect(formatCents(-150)).toBe('-€1.50');
  });

  test('when an amount is not a whole number of cents, then formatting refuses it rather than rounding money', () => {
    expect(() => formatCents(1.5)).toThrow(RangeError);
    expect(() => formatCents(Number.NaN)).toThrow(RangeError);
  });

  test('when a change is formatted, then it carries its sign', () => {
    expect(formatChange(500)).toBe('+€5.00');
    expect(formatChange(-120)).toBe('−€1.20');
    expect(formatChange(0)).toBe('€0.00');
  });

  test('when a person types an amount, then it is read as exact cents, and anything else is refused', () => {
    expect(parseEuros('12')).toBe(1_200);
    expect(parseEuros('12.5')).toBe(1_250);
    expect(parseEuros('12,50')).toBe(1_250);
    expect(parseEuros('0.1')).toBe(10);
    expect(parseEuros('€ 1,000.00')).toBe(100_000);
    expect(parseEuros('19.99')).toBe(1_999); // 19.99 * 100 is 1998.9999999999998 in floating point
    for (const bad of ['', 'abc', '1.234', '-5', '1e3', '12.5.0', '.5']) expect(parseEuros(bad)).toBeNull();
  });

  test('when progress is computed, then it is floored and kept within 0 to 100', () => {
    expect(progressPercent(0, 3_500)).toBe(0);
    expect(progressPercent(3_499, 3_500)).toBe(99);
    expect(progressPercent(3_500, 3_500)).toBe(100);
    expect(progressPercent(9_000, 3_500)).toBe(100);
    expect(progressPercent(5, 0)).toBe(100);
  });
});
