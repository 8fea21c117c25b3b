const formatters = new Map<string, Intl.NumberFormat>();

/** Cents as money: 123456 → "€1,234.56". Integer arithmetic only; the division is just for display. */
export function formatCents(cents: number, currency = 'EUR', locale = 'en-IE'): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError(`not a whole number of cents: ${cents}`);
  const key = `${locale}:${currency}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: 2, maximumFractionDigits: 2 });
    formatters.set(key, f);
  }
  return f.format(cents / 100);
}

/** A signed change: "+€5.00", "−€1.20". */
export function formatChange(cents: number, currency = 'EUR'): string {
  if (cents === 0) return formatCents(0, currency);
  return `${cents > 0 ? '+' : '−'}${formatCents(Math.abs(cents), currency)}`;
}

/**
 * What a person typed ("12", "12.5", "12,50", "€ 1,000.00") as cents, or null when it is not an
 * amount. No floating point: the euros and cents are read as integers.
 */
export function parseEuros(input: string): number | null {
  const s = input.replace(/[€\s]/g, '').replace(/,(?=\d{3}(\D|$))/g, '');
  const m = /^(\d{1,9})(?:[.,](\d{1,2}))?$/.exec(s);
  if (!m) return null;
  const cents = Number(m[1]) * 100 + Number((m[2] ?? '0').padEnd(2, '0'));
  return Number.isSafeInteger(cents) ? cents : null;
}

/** Percent of a target reached, clamped to 0–100 and floored so 100% means truly done. */
export function progressPercent(done: number, target: number): number {
  if (target <= 0) return 100;
  return Math.max(0, Math.min(100, Math.floor((done * 100) / target)));
}
