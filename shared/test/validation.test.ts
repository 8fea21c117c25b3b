import {
  cents,
  email,
  idempotencyKey,
  listLimit,
  MAX_TRANSFER_CENTS,
  password,
  playerId,
  slug,
  transferAmount,
} from '@casino/shared/validation';

const ok = (schema: { safeParse(v: unknown): { success: boolean } }, value: unknown) => schema.safeParse(value).success;
const message = (schema: { safeParse(v: unknown): { success: boolean; error?: { issues: { message: string }[] } } }, value: unknown) =>
  schema.safeParse(value).error?.issues[0]?.message;

describe('validation', () => {
  describe('cents', () => {
    test.each([
      [0, 'must be more than zero'],
      [-1, 'must be more than zero'],
      [1.5, 'must be a whole number of cents'],
      ['100', 'must be a whole number of cents'],
      [1e12, `must be at most ${MAX_TRANSFER_CENTS} cents`],
      [MAX_TRANSFER_CENTS + 1, `must be at most ${MAX_TRANSFER_CENTS} cents`],
      [Number.NaN, 'must be a whole number of cents'],
      [Number.POSITIVE_INFINITY, 'must be a whole number of cents'],
      [null, 'must be a whole number of cents'],
      [undefined, 'is required'],
    ])('when a transfer amount is %p, then it is refused: %s', (value, expected) => {
      expect(message(transferAmount, value)).toBe(expected);
    });

    test('when an amount is 1 cent or exactly the maximum, then it is accepted as it is', () => {
      expect(transferAmount.parse(1)).toBe(1);
      expect(transferAmount.parse(MAX_TRANSFER_CENTS)).toBe(MAX_TRANSFER_CENTS);
    });

    test('when a schema is made with its own maximum, then that maximum applies', () => {
      const stake = cents(500);

      expect([ok(stake, 500), ok(stake, 501)]).toEqual([true, false]);
    });
  });

  describe('email', () => {
    test('when an email has spaces around it, then they are trimmed and its case is kept', () => {
      expect(email.parse('  Ada@Example.com ')).toBe('Ada@Example.com');
    });

    test.each(['', 'ada', 'ada@', '@example.com', 'ada example@x.com', `${'a'.repeat(250)}@example.com`, 42, { $gt: '' }])(
      'when the email is %p, then it is refused',
      (value) => {
        expect(ok(email, value)).toBe(false);
      },
    );
  });

  describe('password', () => {
    test('when a password has 10 to 128 characters, then it is accepted untouched, spaces included', () => {
      expect(password.parse(' ten chars ')).toBe(' ten chars ');
      expect(ok(password, 'x'.repeat(128))).toBe(true);
    });

    test.each([
      ['9 characters', 'x'.repeat(9), 'must be at least 10 characters'],
      ['129 characters', 'x'.repeat(129), 'must be at most 128 characters'],
    ])('when a password has %s, then it is refused with the rule', (_what, value, expected) => {
      expect(message(password, value)).toBe(expected);
    });

    test('when a password is a number, then it is refused', () => {
      expect(ok(password, 12345678901)).toBe(false);
    });
  });

  describe('idempotencyKey', () => {
    test.each([
      '550e8400-e29b-41d4-a716-446655440000',
      'x',
      'order:42.retry_1',
      'has space in it',
      'semi;colon@key',
      '"quoted"',
      'x'.repeat(255),
    ])('when the key is %s, then it is accepted', (value) => {
      expect(idempotencyKey.parse(value)).toBe(value);
    });

    test.each(['x'.repeat(256), 'tab\there', 'line\nbreak', 'ключ-ключ-ключ', '', 12345678])(
      'when the key is %p, then it is refused',
      (value) => {
        expect(ok(idempotencyKey, value)).toBe(false);
      },
    );
  });

  describe('ids and lists', () => {
    test('when ids and catalogue slugs are checked, then only uuids and lower-case slugs pass', () => {
      expect([ok(playerId, '550e8400-e29b-41d4-a716-446655440000'), ok(playerId, 'p-1')]).toEqual([true, false]);
      expect([ok(slug, 'lucky-sevens'), ok(slug, 'Lucky-Sevens'), ok(slug, '-lead'), ok(slug, '')]).toEqual([true, false, false, false]);
    });

    test('when a list limit comes from a query string, then it is coerced, defaulted and bounded', () => {
      expect([listLimit.parse('5'), listLimit.parse(undefined)]).toEqual([5, 20]);
      expect([ok(listLimit, '0'), ok(listLimit, '101'), ok(listLimit, '2.5')]).toEqual([false, false, false]);
    });
  });
});
