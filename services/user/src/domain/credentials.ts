import { hash, verify } from '@node-rs/argon2';

// argon2id with OWASP's minimum recommended cost (19 MiB, 2 passes): slow enough to make stolen
// hashes expensive to crack, fast enough (tens of ms) to log in without a queue.
const OPTIONS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

let dummy: Promise<string> | undefined;

/**
 * Checks a password against a stored hash. With no hash (unknown email) it still does the work
 * against a throwaway hash, so response time does not reveal which emails are registered.
 */
export async function verifyPassword(stored: string | undefined, password: string): Promise<boolean> {
  if (stored === undefined) {
    await verify(await (dummy ??= hash('no-such-player-password', OPTIONS)), password).catch(() => false);
    return false;
  }
  return verify(stored, password).catch(() => false);
}
