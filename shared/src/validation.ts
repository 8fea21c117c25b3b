import { z } from 'zod';

/** Cents as players read them: `1250` is `12.50 EUR`. */
export const euros = (cents: number): string => `${(cents / 100).toFixed(2)} EUR`;

/** Largest single deposit or withdrawal, in cents: 10,000.00 EUR. */
export const MAX_TRANSFER_CENTS = 1_000_000;

/** Money is a whole number of cents: no floats, no strings, no zero, nothing absurd. */
export const cents = (max: number) =>
  z
    .number({ error: (i) => (i.input === undefined ? 'is required' : 'must be a whole number of cents') })
    .int('must be a whole number of cents')
    .positive('must be more than zero')
    .max(max, `must be at most ${max} cents`);

export const transferAmount = cents(MAX_TRANSFER_CENTS);

export const playerId = z.uuid('must be a player id');
export const entityId = z.uuid('must be an id');

/** Catalogue ids: `lucky-sevens`, `welcome-100`. */
export const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'must be a catalogue id');

export const email = z.string().trim().max(254).pipe(z.email('must be an email address'));

export const password = z.string().min(10, 'must be at least 10 characters').max(128, 'must be at most 128 characters');

export const displayName = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[\p{L}\p{N} ._'-]+$/u, "may hold letters, digits, spaces and . _ ' -");

/**
 * Idempotency keys as the IETF draft (draft-ietf-httpapi-idempotency-key-header) allows them:
 * printable ASCII, here up to 255 characters; a UUID is what clients usually send.
 */
export const idempotencyKey = z.string().regex(/^[ -~]{1,255}$/, 'must be 1–255 printable ASCII characters');

/** Keys as services store them: a client's key with a prefix, or one derived from a round or bonus. */
export const storedIdempotencyKey = z.string().regex(/^[ -~]{8,300}$/, 'must be 8–300 printable ASCII characters');

export const listLimit = z.coerce.number().int().min(1).max(100).default(20);
